"""The grouped view that every report format renders.

Findings are grouped by fingerprint (fingerprint.py): the same leak on 40 page views is one
group with a count. Each group has a status — `open` (reported; fails the run at or above the
threshold), `allowed` (the vendor has a BAA in the policy) or `suppressed` (accepted in the
baseline) — so nothing is hidden, only classified. `build_report` is the one place that
applies the baseline and decides the verdict; the formats only render a `Report`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from importlib import metadata
from typing import Any, Iterable

from ..baseline import Baseline, BaselineEntry
from ..engine import Inspection
from ..fingerprint import fingerprint
from ..masking import mask_url
from ..model import Finding, severity_rank
from ..policy import Policy
from ..scan import ScanResult

STATUSES = ("open", "allowed", "suppressed")
VERDICTS = {"PASS": 0, "FAIL": 1, "ERROR": 2}  # verdict → exit code


@dataclass(frozen=True)
class ReportMeta:
    """What a report says about the run. Every field is optional: the proxy addon knows less
    than an offline scan. `generated` is filled in by build_report when empty (injectable, so
    golden files stay byte-for-byte stable)."""

    threshold: str = "high"
    captures: tuple[str, ...] = ()
    policy: str = ""
    baseline: str = ""
    tool_version: str = ""
    generated: str = ""
    requests: int | None = None
    third_party: int | None = None
    first_party: int | None = None
    reveal_evidence: bool = False
    allowed_reasons: tuple[tuple[str, str], ...] = ()  # (vendor id, reason), from the policy
    errors: tuple[str, ...] = ()  # captures that could not be read: the run cannot pass
    skipped: tuple[str, ...] = ()  # capture entries that could not be read
    not_inspected: tuple[str, ...] = ()  # requests only partly inspected: not known to be clean


@dataclass(frozen=True)
class FindingGroup:
    fingerprint: str
    finding: Finding  # the worst occurrence (the first, on a tie) speaks for the group
    count: int
    occurrences: tuple[tuple[str, int], ...]  # distinct (capture, entry index), sorted
    status: str = "open"
    baseline_entry: BaselineEntry | None = None  # the entry that suppresses it, or that expired
    allowed_reason: str = ""

    @property
    def expired(self) -> bool:
        """Baselined once, but the entry has expired: reported like a new finding."""
        return self.status == "open" and self.baseline_entry is not None

    def failing(self, threshold: str) -> bool:
        return self.status == "open" and severity_rank(self.finding.severity) >= severity_rank(threshold)


@dataclass(frozen=True)
class Report:
    meta: ReportMeta
    groups: tuple[FindingGroup, ...] = ()
    unused_baseline: tuple[BaselineEntry, ...] = ()
    _status: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def with_status(self, status: str) -> list[FindingGroup]:
        return [group for group in self.groups if group.status == status]

    @property
    def failing(self) -> list[FindingGroup]:
        return [group for group in self.groups if group.failing(self.meta.threshold)]

    @property
    def warnings(self) -> list[FindingGroup]:
        """Open groups below the threshold: reported, not failing."""
        return [g for g in self.with_status("open") if not g.failing(self.meta.threshold)]

    @property
    def verdict(self) -> str:
        if self.meta.errors:  # an unreadable capture must never look clean
            return "ERROR"
        return "FAIL" if self.failing else "PASS"

    @property
    def exit_code(self) -> int:
        return VERDICTS[self.verdict]

    @property
    def revealed(self) -> bool:
        """True when raw values may be in the report: every format then says so up front."""
        return self.meta.reveal_evidence or any(group.finding.revealed for group in self.groups)

    def status_of(self, finding: Finding) -> str:
        return self._status.get(fingerprint(finding), "open")

    def headline(self) -> str:
        return f"{self.verdict}: {self.summary_line()}"

    def summary_line(self) -> str:
        failing, threshold = self.failing, self.meta.threshold
        if self.verdict == "ERROR":
            return f"{len(self.meta.errors)} capture(s) could not be read; the run is not known to be clean"
        if failing:
            vendors = len({group.finding.vendor for group in failing})
            return f"{len(failing)} finding(s) at or above {threshold}, sent to {vendors} third-party vendor(s)"
        below = len(self.warnings)
        return f"no finding at or above {threshold}" + (f" ({below} below it)" if below else "")

def build_report(findings: Iterable[Finding], meta: ReportMeta | None = None, baseline: Baseline | None = None,
                 now: dt.datetime | None = None) -> Report:
    meta = meta or ReportMeta()
    now = now or dt.datetime.now(dt.timezone.utc)
    meta = replace(meta, generated=meta.generated or now.isoformat(timespec="seconds"),
                   tool_version=meta.tool_version or tool_version(),
                   baseline=meta.baseline or (baseline.source if baseline else ""))
    allowed = dict(meta.allowed_reasons)
    groups = [_classify(group, baseline, allowed, now.date()) for group in _group(findings)]
    groups.sort(key=_order)
    used = {group.baseline_entry.fingerprint for group in groups if group.baseline_entry}
    unused = tuple(e for e in (baseline.entries if baseline else ()) if e.fingerprint not in used)
    return Report(meta, tuple(groups), unused, {group.fingerprint: group.status for group in groups})


def tool_version() -> str:
    try:
        return metadata.version("pixelguard")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def _group(findings: Iterable[Finding]) -> list[FindingGroup]:
    members: dict[str, list[Finding]] = {}
    for finding in findings:
        members.setdefault(fingerprint(finding), []).append(finding)
    groups = []
    for key, items in members.items():
        worst = max(items, key=lambda f: severity_rank(f.severity))  # max keeps the first on a tie
        occurrences = tuple(sorted({(f.source, f.index) for f in items}))
        groups.append(FindingGroup(key, worst, len(items), occurrences))
    return groups


def _classify(group: FindingGroup, baseline: Baseline | None, allowed: dict[str, str],
              today: dt.date) -> FindingGroup:
    finding = group.finding
    entry = baseline.lookup(group.fingerprint) if baseline else None
    if finding.allowed:
        return replace(group, status="allowed", allowed_reason=allowed.get(finding.vendor_id, ""),
                       baseline_entry=entry)
    if entry is not None and not entry.expired(today):
        return replace(group, status="suppressed", baseline_entry=entry)
    return replace(group, baseline_entry=entry)  # open; an expired entry stays attached to say so


def _order(group: FindingGroup) -> tuple:
    finding = group.finding
    return (STATUSES.index(group.status), -severity_rank(finding.severity), finding.vendor,
            finding.page_url or "", finding.rule_id, finding.chain)


def scan_meta(result: ScanResult, threshold: str, policy: Policy, **fields: Any) -> ReportMeta:
    """Metadata for an offline scan: what was read, what could not be, and the policy's BAAs."""
    return ReportMeta(
        threshold=threshold, captures=tuple(result.captures),
        policy="" if policy.source == Policy().source else policy.source,
        requests=result.requests, third_party=result.third_party, first_party=result.first_party,
        allowed_reasons=policy.allowed_vendors, errors=tuple(result.errors), skipped=tuple(result.skipped),
        not_inspected=tuple(not_inspected_line(inspection, why) for inspection, why in result.not_inspected),
        **fields,
    )


def not_inspected_line(inspection: Inspection, why: str) -> str:
    request = inspection.request
    return f"{request.method} {mask_url(request.url)} ({inspection.vendor_name}): {why}"
