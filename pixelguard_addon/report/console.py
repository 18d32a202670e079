"""The readable summary printed at the end of a scan or a proxy session."""
from __future__ import annotations

from collections import defaultdict
from typing import Callable, TextIO

from ..model import Finding, severity_rank
from ..scan import ScanResult
from .grouped import Report, build_report, not_inspected_line


def render_summary(result: ScanResult, threshold: str, out: TextIO, report: Report | None = None,
                   scope: str | None = None) -> None:
    """`report`, when given, says which findings the baseline suppresses (and lists its unused entries).
    `scope` names what was inspected; default: the number of captures scanned."""
    report = report or build_report(result.findings)
    write = lambda line="": print(line, file=out)  # noqa: E731 - tiny local printer
    if report.revealed:
        write("WARNING  raw field values shown (--reveal-evidence): keep this output private")
    write(f"pixelguard: {scope or f'{len(result.captures)} capture(s)'}, {result.requests} request(s): "
          f"{result.third_party} third-party, {result.first_party} first-party"
          + (f", {result.ignored} ignored" if result.ignored else ""))
    for error in result.errors:
        write(f"ERROR  {error}")
    for skipped in result.skipped:
        write(f"SKIPPED  {skipped}")
    if not result.findings:
        write("No PHI found in third-party requests.")
    for vendor, pages in _grouped(result.findings).items():
        count = sum(len(items) for items in pages.values())
        write()
        write(f"{vendor} — {count} finding(s)")
        for page, items in pages.items():
            write(f"  page {page or '(unknown page)'}")
            for finding in items:
                write("    " + _line(finding, threshold, report.status_of(finding)))
    if result.not_inspected:
        write()
        write(f"Not fully inspected: {len(result.not_inspected)} request(s) — these are not known to be clean")
        for inspection, why in result.not_inspected:
            write(f"  {not_inspected_line(inspection, why)}")
    _baseline_notes(report, write)
    write()
    suppressed = sum(1 for f in result.findings if report.status_of(f) == "suppressed")
    failing = [f for f in result.failing(threshold) if report.status_of(f) != "suppressed"]
    allowed = sum(1 for f in result.findings if f.allowed)
    warn = len(result.findings) - len(failing) - allowed - suppressed
    write(f"FAIL: {len(failing)}  WARN: {warn}  ALLOWED: {allowed}  "
          + (f"SUPPRESSED: {suppressed}  " if report.meta.baseline else "")
          + f"NOT-INSPECTED: {len(result.not_inspected)}  (fail on: {threshold} and above)")


def _grouped(findings: list[Finding]) -> dict[str, dict[str | None, list[Finding]]]:
    groups: dict[str, dict[str | None, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for finding in sorted(findings, key=lambda f: (f.vendor, f.page_url or "", -severity_rank(f.severity))):
        groups[f"{finding.vendor} ({finding.host})"][finding.page_url].append(finding)
    return groups


def _baseline_notes(report: Report, write: Callable[..., None]) -> None:
    expired = [group for group in report.groups if group.expired]
    if expired:
        write()
        write(f"Baseline entries expired: {len(expired)} — their findings are reported again")
        for group in expired:
            write(f"  {group.finding.rule_id} {group.finding.host} {group.finding.chain} (expired {group.baseline_entry.expires})")
    if report.unused_baseline:
        write()
        write(f"Baseline entries that matched nothing: {len(report.unused_baseline)} — remove them if the leak is fixed")
        for entry in report.unused_baseline:
            write(f"  {entry.fingerprint} {entry.parts.rule} {entry.parts.host} {entry.parts.chain} {entry.parts.page}")


def _line(finding: Finding, threshold: str, status: str = "open") -> str:
    mark = "ALLOWED" if finding.allowed else "SUPPRESSED" if status == "suppressed" else finding.severity.upper()
    what = f"{finding.category}" + (f" [{finding.term}]" if finding.term else "")
    raw = f" (raw: {finding.revealed})" if finding.revealed else ""
    return f"{mark:<8} {finding.rule_id:<20} {what} in {finding.chain}: {finding.evidence}{raw}"
