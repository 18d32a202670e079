"""The summary a report opens with: who leaks, from which pages, what kind of data, how bad.

Counts are of open findings (distinct leaks, not page views) unless a name says otherwise:
allowed and suppressed findings are counted separately so they stay visible without
inflating the picture of what needs fixing.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import SEVERITIES, severity_rank
from .grouped import FindingGroup, Report

# Matrix columns in the order a reader should care about them; unknown families follow, sorted.
FAMILY_ORDER = ("test-patient", "identifier", "condition", "authenticated-page", "health-page")


def category_family(category: str) -> str:
    """`identifier:email` → `identifier`; `context:health-page` → `health-page`."""
    head, _, tail = category.partition(":")
    return tail if head == "context" and tail else head


@dataclass(frozen=True)
class VendorRow:
    vendor: str
    hosts: tuple[str, ...]
    open: int
    allowed: int
    suppressed: int
    worst: str  # worst open severity, "" when nothing is open
    pages: int
    seen: int  # requests / page views, all statuses


@dataclass(frozen=True)
class PageRow:
    page: str
    vendors: tuple[str, ...]
    open: int
    worst: str


def severity_counts(report: Report) -> dict[str, int]:
    counts = {severity: 0 for severity in reversed(SEVERITIES)}
    for group in report.with_status("open"):
        counts[group.finding.severity] += 1
    return counts


def category_counts(report: Report) -> dict[str, int]:
    counts: dict[str, int] = {}
    for group in report.with_status("open"):
        family = category_family(group.finding.category)
        counts[family] = counts.get(family, 0) + 1
    return {family: counts[family] for family in _family_columns(counts)}


def vendor_rows(report: Report) -> list[VendorRow]:
    by_vendor: dict[str, list[FindingGroup]] = {}
    for group in report.groups:
        by_vendor.setdefault(group.finding.vendor, []).append(group)
    rows = [_vendor_row(vendor, groups) for vendor, groups in by_vendor.items()]
    return sorted(rows, key=lambda r: (-_rank(r.worst), -r.open, r.vendor))


def page_rows(report: Report) -> list[PageRow]:
    by_page: dict[str, list[FindingGroup]] = {}
    for group in report.with_status("open"):
        by_page.setdefault(group.finding.page_url or "", []).append(group)
    rows = [PageRow(page, tuple(sorted({g.finding.vendor for g in groups})), len(groups), _worst(groups))
            for page, groups in by_page.items()]
    return sorted(rows, key=lambda r: (-_rank(r.worst), -r.open, r.page))


def category_matrix(report: Report) -> tuple[list[str], list[tuple[str, dict[str, tuple[int, str]]]]]:
    """Columns (category families) and one row per vendor: family → (open findings, worst severity)."""
    cells: dict[str, dict[str, list[FindingGroup]]] = {}
    for group in report.with_status("open"):
        row = cells.setdefault(group.finding.vendor, {})
        row.setdefault(category_family(group.finding.category), []).append(group)
    columns = _family_columns({family for row in cells.values() for family in row})
    order = [row.vendor for row in vendor_rows(report) if row.vendor in cells]
    return columns, [(vendor, {family: (len(groups), _worst(groups)) for family, groups in cells[vendor].items()})
                     for vendor in order]


def _vendor_row(vendor: str, groups: list[FindingGroup]) -> VendorRow:
    open_groups = [g for g in groups if g.status == "open"]
    return VendorRow(
        vendor=vendor,
        hosts=tuple(sorted({g.finding.host for g in groups})),
        open=len(open_groups),
        allowed=sum(1 for g in groups if g.status == "allowed"),
        suppressed=sum(1 for g in groups if g.status == "suppressed"),
        worst=_worst(open_groups),
        pages=len({g.finding.page_url for g in open_groups}),
        seen=sum(g.count for g in groups),
    )


def _worst(groups: list[FindingGroup]) -> str:
    return max((g.finding.severity for g in groups), key=severity_rank, default="")


def _rank(severity: str) -> int:
    return severity_rank(severity) if severity else -1


def _family_columns(families) -> list[str]:
    known = [family for family in FAMILY_ORDER if family in families]
    return known + sorted(family for family in families if family not in FAMILY_ORDER)
