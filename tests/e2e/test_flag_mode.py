"""Flag mode, as users see it: `pixelguard demo` drives a real Chromium through mitmdump with the
addon. The demo must succeed, and its JSON Lines report must hold the expected findings for each
page, and the same ones as the bundled recording of that visit (which the demo replays when there
is no browser)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from pixelguard_addon.capture import read_capture
from pixelguard_addon.demo import browser as demo_browser
from pixelguard_addon.demo.patient import demo_patient, demo_policy_path
from pixelguard_addon.demo.session import bundled_capture
from pixelguard_addon.engine import Engine
from pixelguard_addon.policy import load_policy
from pixelguard_addon.report.jsonl import read_jsonl
from pixelguard_addon.scan import scan_captures

from .conftest import assert_demo_succeeded, run_demo, unavailable

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
def demo_run(tmp_path_factory):
    if demo_browser.browser_unavailable_reason():
        unavailable(demo_browser.browser_unavailable_reason())
    out = tmp_path_factory.mktemp("demo")
    return run_demo(out), out


@pytest.fixture(scope="module")
def findings(demo_run):
    return read_jsonl(demo_run[1] / "findings.jsonl")


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


def test_the_demo_drives_chromium_and_catches_every_planted_leak(demo_run):
    done, out = demo_run
    assert "browser: Chromium" in done.stdout and "patient fills in the appointment form" in done.stdout
    assert_demo_succeeded(done, out)


def test_first_party_requests_are_not_findings(findings, demo_run):
    posted = [r for r in read_capture(demo_run[1] / "session.har") if r.path == "/api/appointments"]
    assert posted and demo_patient()["email"].encode() in posted[0].body  # the form did post PHI…
    assert not [f for f in findings if f.host.endswith("mercyvalley-health.test")]  # …to the hospital: no leak


def test_report_holds_no_raw_patient_value(findings, demo_run):
    text = (demo_run[1] / "findings.jsonl").read_text(encoding="utf-8")
    for value in demo_patient().values():
        assert value not in text and value.lower() not in text


def test_bundled_recording_agrees_with_the_live_portal(findings):
    """The demo's no-browser replay must show what the browser shows; if this fails, the portal
    changed: re-record with scripts/make_demo_capture.py."""
    recorded = scan_captures(Engine(load_policy(demo_policy_path())), [bundled_capture()])
    signature = lambda items: {(urlsplit(f.page_url or "").path, f.host, f.category, f.chain)  # noqa: E731
                               for f in items}
    assert signature(recorded.findings) == signature(findings)


def test_each_flagged_request_has_its_alert_line_in_the_terminal(findings, demo_run):
    """The alert reaches mitmdump's terminal output (termlog), whatever route it skips."""
    log = (demo_run[1] / "mitmdump.log").read_text(encoding="utf-8", errors="replace")
    alerts = [line for line in log.splitlines() if "pixelguard flagged: " in line]
    flagged = {(finding.method, finding.url) for finding in findings}
    assert flagged and len(alerts) >= len(flagged)
    for method, url in flagged:
        assert any(f"pixelguard flagged: {method} {url}: " in line for line in alerts), url
