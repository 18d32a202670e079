"""The summary figures: category families, vendors, pages, the vendor × category matrix."""
from __future__ import annotations

from pixelguard_addon.report.overview import (category_counts, category_family, category_matrix, page_rows,
                                              severity_counts, vendor_rows)

from .helpers import report


def test_category_family():
    assert category_family("identifier:email") == "identifier"
    assert category_family("test-patient:first_name") == "test-patient"
    assert category_family("context:authenticated-page") == "authenticated-page"
    assert category_family("condition") == "condition"
    assert category_family("uninspectable") == "uninspectable"


def test_vendor_rows_count_each_status_and_sort_worst_first():
    rows = {row.vendor: row for row in vendor_rows(report())}
    assert [row.vendor for row in vendor_rows(report())][:2] == ["Meta Pixel", "Hotjar"]
    assert (rows["Meta Pixel"].open, rows["Meta Pixel"].seen, rows["Meta Pixel"].worst) == (2, 3, "critical")
    ga = rows["Google Analytics (GA4 / Universal Analytics)"]
    assert (ga.open, ga.suppressed, ga.worst) == (1, 1, "medium")
    assert (rows["Segment"].allowed, rows["Segment"].worst) == (1, "")


def test_pages_and_counts_cover_open_findings_only():
    pages = {row.page: row for row in page_rows(report())}
    assert pages["https://www.mercyvalley-health.org/appointments/request"].vendors == ("Meta Pixel",)
    assert not any("find-a-doctor" in page for page in pages)  # only a suppressed finding there
    assert severity_counts(report())["critical"] == 2
    assert category_counts(report()) == {"test-patient": 2, "condition": 1, "authenticated-page": 1, "health-page": 1}


def test_matrix_cells_hold_count_and_worst():
    columns, rows = category_matrix(report())
    cells = dict(rows)
    assert columns[0] == "test-patient"
    assert cells["Mixpanel"] == {"authenticated-page": (1, "high")}
    assert cells["Hotjar"] == {"test-patient": (1, "critical")}
