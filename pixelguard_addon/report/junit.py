"""JUnit XML, for CI systems that show test results (GitLab, Jenkins, Azure DevOps, GitHub actions).

One test suite per vendor, one test case per vendor × page: "no PHI to Meta Pixel from
/conditions/hiv-prep". A case fails when a finding there is at or above the threshold, is
skipped when everything there is baselined or BAA-allowed (so suppression stays visible), and
passes otherwise. The failure lists the findings at or above the threshold; system-out lists the
rest (below it, allowed, baselined). Captures that could not be read are errors. A run without
findings is one passing case, so CI shows that the gate ran.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..model import severity_rank
from .grouped import FindingGroup, Report
from .overview import vendor_rows
from .rules import rule_info

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render_junit(report: Report) -> str:
    suites = _suites(report)
    root = ET.Element("testsuites", name="pixelguard")
    for name in ("tests", "failures", "errors", "skipped"):
        root.set(name, str(sum(int(suite.get(name)) for suite in suites)))
    root.set("time", "0")
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suites(report: Report) -> list[ET.Element]:
    suites = []
    if report.meta.errors:
        suites.append(_suite("captures", [_error_case(error) for error in report.meta.errors], report))
    by_vendor: dict[str, list[FindingGroup]] = {}
    for group in report.groups:
        by_vendor.setdefault(group.finding.vendor, []).append(group)
    for row in vendor_rows(report):
        groups = by_vendor[row.vendor]
        pages = sorted({group.finding.page_url or "" for group in groups})
        cases = [_case(row.vendor, page, [g for g in groups if (g.finding.page_url or "") == page], report)
                 for page in pages]
        suites.append(_suite(f"{row.vendor} ({', '.join(row.hosts)})", cases, report))
    if not suites:
        case = ET.Element("testcase", classname="pixelguard", name="no PHI sent to third parties", time="0")
        suites.append(_suite("pixelguard", [case], report))
    return suites


def _suite(name: str, cases: list[ET.Element], report: Report) -> ET.Element:
    suite = ET.Element("testsuite", name=name, tests=str(len(cases)))
    for kind, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
        suite.set(kind, str(sum(1 for case in cases if case.find(tag) is not None)))
    suite.set("time", "0")
    if report.revealed:
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="pixelguard.warning",
                      value="raw field values inside (--reveal-evidence): share with no one")
    suite.extend(cases)
    return suite


def _case(vendor: str, page: str, groups: list[FindingGroup], report: Report) -> ET.Element:
    first = groups[0].finding
    case = ET.Element("testcase", classname=f"pixelguard.{first.vendor_id or first.host}",
                      name=f"no PHI to {vendor} from {page or '(unknown page)'}", time="0")
    threshold = report.meta.threshold
    failing = [group for group in groups if group.failing(threshold)]
    if failing:
        worst = max(failing, key=lambda g: severity_rank(g.finding.severity)).finding
        rules = ", ".join(sorted({g.finding.rule_id for g in failing}))
        failure = ET.SubElement(case, "failure", type=worst.rule_id,
                                message=f"{len(failing)} finding(s) at or above {threshold}: {rules}")
        failure.text = _clean("\n".join(_line(group, threshold) for group in failing))
    elif all(group.status != "open" for group in groups):
        ET.SubElement(case, "skipped", message=_clean("; ".join(_status_note(group) for group in groups)))
    rest = [group for group in groups if group not in failing]  # below the threshold, allowed, baselined
    if rest:
        ET.SubElement(case, "system-out").text = _clean("\n".join(_line(group, threshold) for group in rest))
    return case


def _error_case(error: str) -> ET.Element:
    case = ET.Element("testcase", classname="pixelguard.captures", name="capture is readable", time="0")
    ET.SubElement(case, "error", type="CaptureError", message=_clean(error))
    return case


def _line(group: FindingGroup, threshold: str) -> str:
    finding, info = group.finding, rule_info(group.finding.rule_id)
    mark = group.status.upper() if group.status != "open" else (
        finding.severity.upper() if group.failing(threshold) else f"WARN-{finding.severity.upper()}")
    term = f" [{finding.term}]" if finding.term else ""
    text = (f"{mark} {finding.rule_id} {finding.category}{term} in {finding.chain}: {finding.evidence}"
            f" (seen {group.count}x) - {info.title}.")
    if finding.revealed:
        text += f" Raw value: {finding.revealed}"
    if group.status != "open" or group.expired:
        text += f" [{_status_note(group)}]"
    if group.status == "open" and info.remediation:
        text += f" What to do: {info.remediation[0]}"
    return text


def _status_note(group: FindingGroup) -> str:
    entry = group.baseline_entry
    if group.status == "allowed":
        return f"allowed: BAA ({group.allowed_reason or 'vendor allowed by the policy'})"
    if group.expired:
        return f"baseline entry expired on {entry.expires}"
    until = f", until {entry.expires}" if entry.expires else ""
    return f"baselined: {entry.reason} (owner: {entry.owner}{until})"


def _clean(text: str) -> str:
    """XML 1.0 cannot hold most control characters; a raw value may contain them."""
    return _NOT_XML.sub("\ufffd", text)
