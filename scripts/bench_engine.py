#!/usr/bin/env python3
"""Engine throughput on the bundled demo capture: requests per second and per-request latency."""
from __future__ import annotations

import statistics
import time
from importlib.resources import files

from pixelguard_addon.capture import read_capture
from pixelguard_addon.engine import Engine
from pixelguard_addon.policy import load_policy

demo = files("pixelguard_addon") / "demo"
started = time.perf_counter()
engine = Engine(load_policy(str(demo / "policy.toml")))
print(f"engine start-up (catalog, lexicon, canaries): {(time.perf_counter() - started) * 1000:.0f} ms")
requests = list(read_capture(str(demo / "portal-session.har")))
timings = []
for _ in range(200):
    for request in requests:
        begin = time.perf_counter()
        engine.inspect(request)
        timings.append(time.perf_counter() - begin)
timings.sort()
print(f"requests inspected: {len(timings)} (demo mix of {len(requests)} requests x 200)")
print(f"throughput: {len(timings) / sum(timings):.0f} requests/s on one core")
print(f"latency: p50 {statistics.median(timings) * 1e6:.0f} us, p99 {timings[int(len(timings) * 0.99)] * 1e6:.0f} us")
