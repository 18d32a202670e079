"""The JSON summary: verdict, counts and the grouped findings, for dashboards and CI scripts.

One JSON document (JSON Lines in jsonl.py keeps every single finding instead). Keys are stable;
`schema_version` changes when one is renamed or removed.
"""
from __future__ import annotations

import dataclasses
import json
from typing import Any

from ..baseline import BaselineEntry
from .grouped import FindingGroup, Report
from .overview import category_counts, category_matrix, page_rows, severity_counts, vendor_rows
from .rules import rule_info

SCHEMA_VERSION = 1


def render_summary_json(report: Report) -> str:
    return json.dumps(summary(report), ensure_ascii=False, indent=2) + "\n"


def summary(report: Report) -> dict[str, Any]:
    meta = report.meta
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "pixelguard", "version": meta.tool_version},
        "generated": meta.generated,
        "verdict": report.verdict,
        "headline": report.headline(),
        "exit_code": report.exit_code,
        "threshold": meta.threshold,
        "reveal_evidence": report.revealed,
        "captures": list(meta.captures),
        "policy": meta.policy,
        "baseline": meta.baseline,
    }
    if report.revealed:
        data["warning"] = "This summary contains raw field values (--reveal-evidence). Share it with no one."
    if meta.requests is not None:
        data["requests"] = {"total": meta.requests, "third_party": meta.third_party, "first_party": meta.first_party}
    data["counts"] = _counts(report)
    data["vendors"] = [dataclasses.asdict(row) for row in vendor_rows(report)]
    data["pages"] = [dataclasses.asdict(row) for row in page_rows(report)]
    data["categories"] = category_counts(report)
    columns, rows = category_matrix(report)
    data["matrix"] = {"columns": columns,
                      "rows": [{"vendor": vendor, "cells": {k: {"open": n, "worst": w} for k, (n, w) in cells.items()}}
                               for vendor, cells in rows]}
    data["findings"] = [group_dict(group, meta.threshold) for group in report.groups]
    data["baseline_unused"] = [entry.to_dict() for entry in report.unused_baseline]
    data["errors"], data["skipped"], data["not_inspected"] = list(meta.errors), list(meta.skipped), list(meta.not_inspected)
    return data


def group_dict(group: FindingGroup, threshold: str) -> dict[str, Any]:
    finding = group.finding
    data = {
        "fingerprint": group.fingerprint,
        "status": group.status,
        "failing": group.failing(threshold),
        "count": group.count,
        "occurrences": [{"source": source, "index": index} for source, index in group.occurrences],
        "rule_id": finding.rule_id,
        "title": rule_info(finding.rule_id).title,
        "cwe": list(rule_info(finding.rule_id).cwe),
    } | {k: v for k, v in finding.to_dict().items() if k not in ("source", "index", "rule_id")}
    if group.baseline_entry is not None:
        data["baseline"] = _entry_dict(group.baseline_entry, expired=group.expired)
    if group.allowed_reason:
        data["allowed_reason"] = group.allowed_reason
    return data


def _counts(report: Report) -> dict[str, Any]:
    return {
        "findings": len(report.groups),
        "seen": sum(group.count for group in report.groups),
        "failing": len(report.failing),
        "warnings": len(report.warnings),
        "allowed": len(report.with_status("allowed")),
        "suppressed": len(report.with_status("suppressed")),
        "expired_baseline": sum(1 for group in report.groups if group.expired),
        "unused_baseline": len(report.unused_baseline),
        "open_by_severity": severity_counts(report),
        "not_inspected": len(report.meta.not_inspected),
        "errors": len(report.meta.errors),
    }


def _entry_dict(entry: BaselineEntry, expired: bool) -> dict[str, Any]:
    data = {k: v for k, v in entry.to_dict().items() if k in ("reason", "owner", "expires")}
    data["expired"] = expired
    return data
