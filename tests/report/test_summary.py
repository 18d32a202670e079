"""The JSON summary: verdict, counts, vendors, matrix and grouped findings."""
from __future__ import annotations

import json

from pixelguard_addon.report.summary import render_summary_json

from .helpers import assert_golden, report


def test_golden():
    assert_golden("report.summary.json.golden", render_summary_json(report()))


def test_verdict_and_counts():
    data = json.loads(render_summary_json(report()))
    assert (data["verdict"], data["exit_code"], data["threshold"]) == ("FAIL", 1, "high")
    counts = data["counts"]
    assert (counts["findings"], counts["seen"], counts["failing"], counts["warnings"]) == (7, 9, 4, 1)
    assert (counts["allowed"], counts["suppressed"], counts["expired_baseline"], counts["unused_baseline"]) == (1, 1, 1, 1)
    assert counts["open_by_severity"] == {"critical": 2, "high": 2, "medium": 1, "low": 0, "info": 0}
    assert data["reveal_evidence"] is False and "warning" not in data


def test_findings_are_grouped_with_status_and_baseline():
    data = json.loads(render_summary_json(report()))
    by_rule = {}
    for item in data["findings"]:
        by_rule.setdefault(item["rule_id"], []).append(item)
    phone = by_rule["PG-CANARY-PHONE"][0]
    assert phone["count"] == 2 and len(phone["occurrences"]) == 2 and phone["cwe"] == ["CWE-359", "CWE-201"]
    auth = by_rule["PG-CTX-AUTH-PAGE"][0]
    assert auth["status"] == "open" and auth["baseline"]["expired"] is True
    assert data["baseline_unused"][0]["page"] == "/old-form"
    assert all("revealed" not in item for item in data["findings"])


def test_matrix_rows_and_columns():
    matrix = json.loads(render_summary_json(report()))["matrix"]
    assert matrix["columns"] == ["test-patient", "condition", "authenticated-page", "health-page"]
    rows = {row["vendor"]: row["cells"] for row in matrix["rows"]}
    assert rows["Meta Pixel"] == {"test-patient": {"open": 1, "worst": "critical"},
                                  "condition": {"open": 1, "worst": "high"}}
    assert "Segment" not in rows  # allowed: counted as allowed, not as a leak to fix
