"""JUnit XML: parsed back with xml.etree, one case per vendor × page, the right outcome for each."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from pixelguard_addon.report.grouped import ReportMeta, build_report
from pixelguard_addon.report.junit import render_junit

from .helpers import NOW, assert_golden, findings, report, revealed


def cases(xml: str) -> dict[str, ET.Element]:
    return {case.get("name"): case for case in ET.fromstring(xml).iter("testcase")}


def test_golden():
    assert_golden("report.junit.xml.golden", render_junit(report()))


def test_one_case_per_vendor_and_page_with_the_right_outcome():
    root = ET.fromstring(render_junit(report()))
    found = cases(render_junit(report()))
    meta_page = found["no PHI to Meta Pixel from https://www.mercyvalley-health.org/appointments/request"]
    assert meta_page.find("failure").get("type") == "PG-CANARY-EMAIL"
    assert "PG-PHI-CONDITION" in meta_page.find("failure").get("message")
    health_page = found["no PHI to Google Analytics (GA4 / Universal Analytics) from "
                        "https://www.mercyvalley-health.org/conditions/hiv-prep"]
    assert list(health_page) == [health_page.find("system-out")]  # medium: passes, listed
    baselined = found["no PHI to Google Analytics (GA4 / Universal Analytics) from "
                      "https://www.mercyvalley-health.org/find-a-doctor?specialty=•••&q=•••"]
    assert "baselined: search terms go to GA4" in baselined.find("skipped").get("message")
    allowed = found["no PHI to Segment from (unknown page)"]
    assert "allowed: BAA" in allowed.find("skipped").get("message")
    expired = found["no PHI to Mixpanel from https://mychart.mercyvalley-health.org/MyChart/app/test-results"]
    assert "expired on 2026-01-31" in expired.find("failure").text
    assert root.get("tests") == str(len(found)) == "6"
    assert (root.get("failures"), root.get("skipped"), root.get("errors")) == ("3", "2", "0")


def test_suite_counts_add_up():
    for suite in ET.fromstring(render_junit(report())).iter("testsuite"):
        outcomes = [case.find(tag) is not None for case in suite.iter("testcase") for tag in ("failure",)]
        assert int(suite.get("failures")) == sum(outcomes)
        assert int(suite.get("tests")) == len(list(suite.iter("testcase")))


def test_capture_errors_are_errors():
    root = ET.fromstring(render_junit(report(errors=("captures/broken.har: not a HAR",))))
    assert root.get("errors") == "1"
    assert next(root.iter("error")).get("message") == "captures/broken.har: not a HAR"


def test_clean_run_is_one_passing_case():
    root = ET.fromstring(render_junit(build_report([], ReportMeta(), now=NOW)))
    (case,) = root.iter("testcase")
    assert case.get("name") == "no PHI sent to third parties" and list(case) == []
    assert root.get("failures") == "0"


def test_revealed_values_with_control_characters_still_parse():
    xml = render_junit(build_report(revealed(findings()), ReportMeta(), now=NOW))
    root = ET.fromstring(xml)
    assert "RAW<condition>\ufffdvalue" in "".join(root.itertext())
    assert next(root.iter("property")).get("name") == "pixelguard.warning"
