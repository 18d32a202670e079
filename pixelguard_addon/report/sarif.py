"""SARIF 2.1.0, shaped for GitHub code scanning (and any other SARIF viewer).

GitHub shows a result only when its location is a file with a line (shared/reference/
mitmproxy.md §3.3), so a result points at the capture file and the HAR entry's line; the
tracker URL goes in the message and in `webRequest`. One result per distinct leak, with
`partialFingerprints` so GitHub recognises it across runs. Rules carry `security-severity`
(GitHub's severity buckets) and tags ["security", "privacy", CWE]. Baselined and BAA-allowed
results are not dropped: they carry `suppressions`, so a viewer shows them as such.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model import severity_rank
from .grouped import FindingGroup, Report
from .locations import entry_line
from .rules import RuleInfo, rule_info

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "pixelguard/v1"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub buckets: >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
MAX_RELATED = 10  # more places the same leak was seen; the count says how many in all


def render_sarif(report: Report) -> str:
    return json.dumps(sarif_log(report), ensure_ascii=False, indent=2) + "\n"


def sarif_log(report: Report) -> dict[str, Any]:
    worst: dict[str, str] = {}
    for group in report.groups:
        rule_id, severity = group.finding.rule_id, group.finding.severity
        if rule_id not in worst or severity_rank(severity) > severity_rank(worst[rule_id]):
            worst[rule_id] = severity
    rule_ids = sorted(worst)
    uris = {source: artifact_uri(source) for group in report.groups for source, _ in group.occurrences}
    meta = report.meta
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "pixelguard", "version": meta.tool_version,
                            "rules": [_rule(rule_info(rule_id), worst[rule_id]) for rule_id in rule_ids]}},
        "invocations": [_invocation(report)],
        "results": [_result(group, rule_ids.index(group.finding.rule_id), report, uris) for group in report.groups],
        "properties": {"verdict": report.verdict, "threshold": meta.threshold, "revealEvidence": report.revealed},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule(info: RuleInfo, severity: str) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": info.id,
        "name": "".join(part.capitalize() for part in info.id.split("-")[1:]),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.description},
        "help": {"text": _help_text(info), "markdown": _help_markdown(info)},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {
            "tags": ["security", "privacy", *info.cwe,
                     *(f"external/cwe/cwe-{cwe.split('-')[1]}" for cwe in info.cwe)],
            "precision": "high",
            "security-severity": SECURITY_SEVERITY[severity],
        },
    }
    urls = [ref.url for ref in info.references if ref.url]
    if urls:
        rule["helpUri"] = urls[0]
    return rule


def _help_text(info: RuleInfo) -> str:
    todo = "\n".join(f"- {step}" for step in info.remediation)
    refs = "\n".join(f"- {ref.title}" + (f" <{ref.url}>" if ref.url else "") for ref in info.references)
    return f"{info.description}\n\nWhat to do:\n{todo}\n\nReferences:\n{refs}"


def _help_markdown(info: RuleInfo) -> str:
    todo = "\n".join(f"- {step}" for step in info.remediation)
    refs = "\n".join(f"- [{ref.title}]({ref.url})" if ref.url else f"- {ref.title}" for ref in info.references)
    return f"{info.description}\n\n**What to do**\n\n{todo}\n\n**References**\n\n{refs}"


def _result(group: FindingGroup, rule_index: int, report: Report, uris: dict[str, str]) -> dict[str, Any]:
    finding = group.finding
    (source, index), others = group.occurrences[0], group.occurrences[1:]
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": _message(group)},
        "locations": [_location(uris[source], source, index)],
        "partialFingerprints": {FINGERPRINT_KEY: group.fingerprint},
        "rank": round(finding.confidence * 100, 1),
        "webRequest": {"target": finding.url, "method": finding.method},
        "properties": _properties(group),
    }
    if others:
        result["relatedLocations"] = [
            _location(uris[other_source], other_source, other_index) | {"id": number, "message": {"text": "the same leak, seen again"}}
            for number, (other_source, other_index) in enumerate(others[:MAX_RELATED], 1)
        ]
    if report.meta.baseline:
        result["baselineState"] = "unchanged" if group.baseline_entry is not None else "new"
    suppression = _suppression(group)
    if suppression:
        result["suppressions"] = [suppression]
    return result


def _message(group: FindingGroup) -> str:
    finding = group.finding
    term = f" [{finding.term}]" if finding.term else ""
    text = (f"{rule_info(finding.rule_id).title}: {finding.category}{term} in {finding.chain}, sent to "
            f"{finding.vendor} ({finding.host}) from page {finding.page_url or '(unknown)'}. "
            f"Request: {finding.method} {finding.url}. Evidence: {finding.evidence}.")
    if group.count > 1:
        text += f" Seen {group.count} times."
    if group.expired:
        text += f" Its baseline entry expired on {group.baseline_entry.expires}."
    return text


def _location(uri: str, source: str, index: int) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": {"uri": uri},
                                 "region": {"startLine": entry_line(source, index)}}}


def artifact_uri(source: str) -> str:
    """A repository-relative path when the capture is under the working directory (what GitHub
    needs to show the alert), else a file: URI."""
    path = Path(source)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_uri()


def _properties(group: FindingGroup) -> dict[str, Any]:
    finding = group.finding
    properties = {
        "status": group.status, "severity": finding.severity, "count": group.count,
        "vendor": finding.vendor, "vendorId": finding.vendor_id, "host": finding.host,
        "page": finding.page_url or "", "category": finding.category, "chain": finding.chain,
        "evidence": finding.evidence, "term": finding.term, "detail": finding.detail,
    }
    for name, value in (("keyContext", finding.key_context), ("citation", finding.citation),
                        ("revealed", finding.revealed)):
        if value:
            properties[name] = value
    return properties


def _suppression(group: FindingGroup) -> dict[str, Any] | None:
    if group.status == "allowed":
        reason = group.allowed_reason or "vendor allowed by the policy"
        return {"kind": "external", "status": "accepted", "justification": f"BAA: {reason}"}
    if group.status == "suppressed":
        entry = group.baseline_entry
        until = f", until {entry.expires}" if entry.expires else ""
        return {"kind": "external", "status": "accepted",
                "justification": f"baseline: {entry.reason} (owner: {entry.owner}{until})"}
    return None


def _invocation(report: Report) -> dict[str, Any]:
    meta = report.meta
    notes = ([("error", f"capture not read: {error}") for error in meta.errors]
             + [("warning", f"entry skipped: {skipped}") for skipped in meta.skipped]
             + [("warning", f"not fully inspected: {line}") for line in meta.not_inspected]
             + [("note", f"baseline entry matched nothing: {entry.parts.rule} {entry.parts.host} "
                         f"{entry.parts.chain} {entry.parts.page}") for entry in report.unused_baseline])
    invocation: dict[str, Any] = {"executionSuccessful": not meta.errors}
    if notes:
        invocation["toolExecutionNotifications"] = [{"level": level, "message": {"text": text}} for level, text in notes]
    return invocation
