"""Flag mode, as the demo runs it: a real Chromium visits the portal through mitmdump with the
addon; the JSON Lines report must hold the expected findings for each page, and the same ones
as the bundled recording of that visit (which the demo replays when there is no browser)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from pixelguard_addon.demo.patient import demo_patient, demo_policy_path
from pixelguard_addon.demo.session import bundled_capture
from pixelguard_addon.engine import Engine
from pixelguard_addon.policy import load_policy
from pixelguard_addon.report.jsonl import read_jsonl
from pixelguard_addon.scan import scan_captures

from .conftest import visit

pytestmark = pytest.mark.browser

# (category, decode chain) that each page must produce; the pages not named must produce none.
EXPECTED = {
    "/find-a-doctor": {
        ("condition", "body → ndjson[0] → form → ep.search_term"),
        ("condition", "query.dl → url.query.q"),
        ("context:health-page", "query.dl"),
    },
    "/conditions/hiv-prep": {
        ("context:health-page", "query.dl"),
        ("context:health-page", "query.cd[pageFeatures] → json → title"),
    },
    "/appointments/request": {
        ("test-patient:email", "query.udff[em]"),
        ("test-patient:phone", "query.udff[ph]"),
        ("test-patient:dob", "query.udff[db]"),
        ("condition", "query.cd[buttonFeatures] → json → innerText"),
        ("test-patient:email", "body → json → context.user.email"),
    },
    "/MyChart/app/home": {("context:authenticated-page", "query.dl")},
    "/MyChart/app/test-results": {
        ("condition", "body → form → data(base64) → json → [0].properties.medication"),
        ("context:authenticated-page", "body → form → data(base64) → json → [0].properties.$current_url"),
        ("test-patient:phone", "body(gzip) → json → events[0].text"),
    },
}
QUIET_PAGES = ("/", "/MyChart/login")


@pytest.fixture(scope="module")
def findings(browser, flag_proxy, workdir):
    visit(browser, flag_proxy)
    return read_jsonl(workdir / "flag.jsonl")


def by_page(findings) -> dict[str, set[tuple[str, str]]]:
    pages: dict[str, set[tuple[str, str]]] = {}
    for finding in findings:
        path = urlsplit(finding.page_url or "").path
        pages.setdefault(path, set()).add((finding.category, finding.chain))
    return pages


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_each_page_reports_its_leaks(findings, page):
    missing = EXPECTED[page] - by_page(findings).get(page, set())
    assert not missing, f"{page}: not reported: {sorted(missing)}"


@pytest.mark.parametrize("page", QUIET_PAGES)
def test_benign_pages_stay_quiet(findings, page):
    assert by_page(findings).get(page, set()) == set()


def test_first_party_requests_are_not_findings(findings, portal):
    assert any(path == "/api/appointments" for _, path, _ in portal.received)  # the form did post…
    assert not [f for f in findings if f.host.endswith("mercyvalley-health.test")]  # …and is not a leak


def test_report_holds_no_raw_patient_value(findings, workdir):
    text = (workdir / "flag.jsonl").read_text(encoding="utf-8")
    for value in demo_patient().values():
        assert value not in text and value.lower() not in text


def test_bundled_recording_agrees_with_the_live_portal(findings):
    """The demo's no-browser replay must show what the browser shows; if this fails, the portal
    changed: re-record with scripts/make_demo_capture.py."""
    recorded = scan_captures(Engine(load_policy(demo_policy_path())), [bundled_capture()])
    signature = lambda items: {(urlsplit(f.page_url or "").path, f.host, f.category, f.chain)  # noqa: E731
                               for f in items}
    assert signature(recorded.findings) == signature(findings)
