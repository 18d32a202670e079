"""The readable summary printed at the end of a scan or a proxy session."""
from __future__ import annotations

from collections import defaultdict
from typing import TextIO

from ..masking import mask_url
from ..model import Finding, severity_rank
from ..scan import ScanResult


def render_summary(result: ScanResult, threshold: str, out: TextIO, scope: str | None = None) -> None:
    """`scope` names what was inspected; default: the number of captures scanned."""
    write = lambda line="": print(line, file=out)  # noqa: E731 - tiny local printer
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
                write("    " + _line(finding, threshold))
    if result.not_inspected:
        write()
        write(f"Not fully inspected: {len(result.not_inspected)} request(s) — these are not known to be clean")
        for inspection, why in result.not_inspected:
            request = inspection.request
            write(f"  {request.method} {mask_url(request.url)} ({inspection.vendor_name}): {why}")
    write()
    failing = result.failing(threshold)
    allowed = sum(1 for f in result.findings if f.allowed)
    write(f"FAIL: {len(failing)}  WARN: {len(result.findings) - len(failing) - allowed}  "
          f"ALLOWED: {allowed}  NOT-INSPECTED: {len(result.not_inspected)}  (fail on: {threshold} and above)")


def _grouped(findings: list[Finding]) -> dict[str, dict[str | None, list[Finding]]]:
    groups: dict[str, dict[str | None, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for finding in sorted(findings, key=lambda f: (f.vendor, f.page_url or "", -severity_rank(f.severity))):
        groups[f"{finding.vendor} ({finding.host})"][finding.page_url].append(finding)
    return groups


def _line(finding: Finding, threshold: str) -> str:
    mark = "ALLOWED" if finding.allowed else finding.severity.upper()
    what = f"{finding.category}" + (f" [{finding.term}]" if finding.term else "")
    return f"{mark:<8} {finding.rule_id:<20} {what} in {finding.chain}: {finding.evidence}"
