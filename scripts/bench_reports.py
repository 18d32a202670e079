#!/usr/bin/env python3
"""Report writing on a large session: grouping, baseline, and each format's render time and size.

A long proxy session or a big CI capture set produces tens of thousands of findings, most of them
the same leak on many page views; this measures what turning them into reports costs.
"""
from __future__ import annotations

import dataclasses
import time
from importlib.resources import files

from pixelguard_addon.baseline import create_baseline
from pixelguard_addon.capture import read_capture
from pixelguard_addon.engine import Engine
from pixelguard_addon.policy import load_policy
from pixelguard_addon.report.formats import RENDERERS
from pixelguard_addon.report.grouped import ReportMeta, build_report

PAGE_VIEWS = 1000  # the demo session replayed as this many page views across 50 pages

demo = files("pixelguard_addon") / "demo"
engine = Engine(load_policy(str(demo / "policy.toml")))
session = [f for request in read_capture(str(demo / "portal-session.har")) for f in engine.inspect(request).findings]
findings = [dataclasses.replace(f, index=view, page_url=f"{f.page_url}/p{view % 50}")
            for view in range(PAGE_VIEWS) for f in session]
print(f"findings: {len(findings)} ({len(session)} per page view x {PAGE_VIEWS} views)")

started = time.perf_counter()
report = build_report(findings, ReportMeta())
print(f"group + classify: {(time.perf_counter() - started) * 1000:.0f} ms -> {len(report.groups)} distinct leaks")
baseline = create_baseline(findings[: len(findings) // 2], "bench", "bench")
started = time.perf_counter()
build_report(findings, ReportMeta(), baseline)
print(f"group + classify with a {len(baseline.entries)}-entry baseline: {(time.perf_counter() - started) * 1000:.0f} ms")
for name, render in RENDERERS.items():
    started = time.perf_counter()
    text = render(report)
    print(f"render {name:<8} {(time.perf_counter() - started) * 1000:6.0f} ms  {len(text.encode()) / 1e6:6.2f} MB")
