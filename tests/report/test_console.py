"""The console summary: baseline-aware marks and counts, and raw values only when revealed."""
from __future__ import annotations

import dataclasses
import io

from pixelguard_addon.report.console import render_summary
from pixelguard_addon.scan import ScanResult

from .helpers import findings, report, revealed


def summary(items, rep=None) -> str:
    out = io.StringIO()
    render_summary(ScanResult(captures=["captures/portal.har"], requests=9, third_party=9, findings=items),
                   "high", out, rep)
    return out.getvalue()


def test_without_a_baseline_the_counts_line_is_unchanged():
    text = summary(findings())
    assert text.rstrip().endswith("FAIL: 7  WARN: 1  ALLOWED: 1  NOT-INSPECTED: 0  (fail on: high and above)")
    assert "SUPPRESSED" not in text and "WARNING" not in text


def test_with_a_baseline_suppressed_expired_and_unused_are_shown():
    text = summary(findings(), report())
    assert "SUPPRESSED PG-PHI-CONDITION" in text
    assert "Baseline entries expired: 1" in text and "(expired 2026-01-31)" in text
    assert "Baseline entries that matched nothing: 1" in text and "/old-form" in text
    assert text.rstrip().endswith("FAIL: 6  WARN: 1  ALLOWED: 1  SUPPRESSED: 1  NOT-INSPECTED: 0  "
                                  "(fail on: high and above)")


def test_raw_values_only_when_revealed():
    plain = summary(findings())
    assert "raw:" not in plain
    shown = summary(revealed(findings()))
    assert shown.startswith("WARNING  raw field values shown") and "(raw: RAW<condition>" in shown
    assert "(raw:" not in summary([dataclasses.replace(findings()[0], revealed="")])
