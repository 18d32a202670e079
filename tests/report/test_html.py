"""The HTML report: golden file, escaping, self-containment, and a real Chromium rendering it."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from pixelguard_addon.report.grouped import ReportMeta, build_report
from pixelguard_addon.report.html import render_html, write_html

from .helpers import HOSTILE, META, NOW, assert_golden, findings, report, revealed

CHROMIUM = Path("/usr/bin/chromium")


def test_golden():
    assert_golden("report.html.golden", render_html(report()))


def test_page_text_is_escaped_never_markup():
    html = render_html(report())
    assert HOSTILE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_self_contained_no_network_fetch():
    html = render_html(report())
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"@import|url\(|\bsrc=", html.replace("src=x", ""))
    assert re.search(r"<style>\s*/\* pixelguard HTML report", html)  # the style sheet is inlined


def test_opens_with_verdict_then_summary_then_findings():
    html = render_html(report())
    order = [html.index(marker) for marker in ('id="verdict"', 'id="summary"', 'id="vendor-category-matrix"',
                                                'id="findings"', 'id="allowed"', 'id="suppressed"',
                                                'id="baseline-unused"', 'id="coverage"')]
    assert order == sorted(order)


def test_finding_card_explains_why_and_what_to_do():
    html = render_html(report())
    start = html.rindex("<article", 0, html.index("PG-CTX-AUTH-PAGE</code>"))
    card = html[start:html.index("</article>", start)]
    assert "BASELINE EXPIRED" in card and "entry expired on 2026-01-31" in card
    assert "American Hospital Association v. Becerra" in card
    assert "Remove the tag from authenticated pages" in card
    assert "CWE-359" in card


def test_reveal_warning_only_when_raw_values_are_present():
    assert 'id="reveal-warning"' not in render_html(report())
    html = render_html(build_report(revealed(findings()), META, now=NOW))
    assert 'id="reveal-warning"' in html and "RAW&lt;condition&gt;" in html


def test_write_html_is_owner_only_and_returns_the_report(tmp_path):
    path = tmp_path / "r.html"
    path.write_text("old")
    os.chmod(path, 0o644)
    result = write_html(findings(), ReportMeta(threshold="critical"), path, now=NOW)
    assert result.verdict == "FAIL" and len(result.failing) == 2
    assert path.stat().st_mode & 0o777 == 0o600
    assert "2026-11-20T15:00:00+00:00" in path.read_text()


def test_clean_report_says_pass():
    html = render_html(build_report([], ReportMeta(), now=NOW))
    assert "verdict-PASS" in html and "No open findings." in html


def _browser_or_skip():
    """Chromium and Playwright, or a skip; in CI (CI=true) a missing one fails the test instead."""
    missing = [] if CHROMIUM.exists() else [str(CHROMIUM)]
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing.append("the playwright package")
        sync_playwright = None
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run in CI: missing {', '.join(missing)}")
    if missing:
        pytest.skip(f"missing {', '.join(missing)} (CI=true makes this a failure)")
    return CHROMIUM, sync_playwright


@pytest.mark.browser
def test_chromium_renders_the_report_from_disk(tmp_path):
    chromium, sync_playwright = _browser_or_skip()
    page_file = tmp_path / "report.html"
    write_html(findings(), META, page_file, now=NOW)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            requests = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_file.as_uri())
            page.screenshot(path=str(tmp_path / "report-1280.png"), full_page=True)
            verdict = page.locator("#verdict")
            assert verdict.is_visible() and verdict.inner_text().startswith("FAIL")
            matrix = page.locator("#vendor-category-matrix")
            assert matrix.is_visible()
            header = matrix.locator("thead").inner_text()
            assert "test-patient" in header and "health-page" in header
            assert "Hotjar" in matrix.locator("tbody").inner_text()
            chain = page.locator("code.chain", has_text="body(gzip) → json → events[0].text").first
            assert chain.is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # no sideways scrolling
            assert requests == [page_file.as_uri()]  # nothing fetched but the file itself
            page.emulate_media(media="print")
            assert page.locator("nav.toc").is_hidden()
        finally:
            browser.close()
    assert (tmp_path / "report-1280.png").stat().st_size > 10_000
