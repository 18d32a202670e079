"""Grouping, baseline status, verdict and exit code: the decisions every format renders."""
from __future__ import annotations

import dataclasses
import datetime as dt

from pixelguard_addon.baseline import create_baseline
from pixelguard_addon.report.grouped import ReportMeta, build_report, tool_version

from .helpers import NOW, baseline, findings, report


def statuses(rep) -> dict[str, str]:
    return {f"{g.finding.rule_id} {g.finding.host}": g.status for g in rep.groups}


def test_same_leak_on_many_requests_is_one_group_with_a_count():
    groups = {g.finding.rule_id + g.finding.host: g for g in report().groups}
    phone = groups["PG-CANARY-PHONEcontent.hotjar.io"]
    assert phone.count == 2 and phone.occurrences == (("captures/portal.har", 12), ("captures/portal.har", 14))
    assert phone.finding.chain == "body(gzip) → json → events[0].text"  # the first occurrence speaks


def test_worst_occurrence_represents_the_group():
    items = findings()[1:3]
    items[1] = dataclasses.replace(items[1], severity="critical")
    (group,) = build_report(items, now=NOW).groups
    assert group.finding.severity == "critical" and group.finding.index == 9


def test_statuses_and_unused_baseline_entries():
    rep = report()
    assert statuses(rep)["PG-ID-EMAIL api.segment.io"] == "allowed"
    assert statuses(rep)["PG-PHI-CONDITION region1.google-analytics.com"] == "suppressed"
    expired = next(g for g in rep.groups if g.finding.rule_id == "PG-CTX-AUTH-PAGE")
    assert expired.status == "open" and expired.expired and expired.failing("high")
    assert [e.parts.page for e in rep.unused_baseline] == ["/old-form"]
    assert next(g for g in rep.groups if g.status == "allowed").allowed_reason.startswith("BAA signed")


def test_entry_stops_suppressing_the_day_after_it_expires():
    items = findings()
    day_of = build_report(items, baseline=baseline(), now=dt.datetime(2027, 6, 30, 23, 0, tzinfo=dt.timezone.utc))
    day_after = build_report(items, baseline=baseline(), now=dt.datetime(2027, 7, 1, tzinfo=dt.timezone.utc))
    key = "PG-PHI-CONDITION region1.google-analytics.com"
    assert statuses(day_of)[key] == "suppressed" and statuses(day_after)[key] == "open"


def test_open_groups_come_first_worst_first():
    order = [(g.status, g.finding.severity) for g in report().groups]
    assert order[0] == ("open", "critical") and order[-1] == ("suppressed", "high")
    assert [s for s, _ in order] == sorted((s for s, _ in order), key=["open", "allowed", "suppressed"].index)


def test_verdict_and_exit_code():
    assert (report().verdict, report().exit_code) == ("FAIL", 1)
    assert report(errors=("x.har: unreadable",)).exit_code == 2  # an error outranks findings
    only_medium = build_report([findings()[5]], ReportMeta(threshold="high"), now=NOW)
    assert (only_medium.verdict, only_medium.exit_code, len(only_medium.warnings)) == ("PASS", 0, 1)
    assert only_medium.headline() == "PASS: no finding at or above high (1 below it)"
    allowed_only = build_report([findings()[-1]], ReportMeta(threshold="info"), now=NOW)
    assert allowed_only.exit_code == 0  # a vendor with a BAA never fails the run


def test_suppressed_findings_do_not_fail_the_run():
    accepted = create_baseline(findings(), "accepted", "team")
    rep = build_report(findings(), ReportMeta(threshold="info"), accepted, NOW)
    assert rep.exit_code == 0 and not rep.with_status("open") and not rep.unused_baseline


def test_generation_time_is_injectable_and_defaults_to_now():
    assert build_report([], now=NOW).meta.generated == "2026-11-20T15:00:00+00:00"
    generated = dt.datetime.fromisoformat(build_report([]).meta.generated)
    assert abs((dt.datetime.now(dt.timezone.utc) - generated).total_seconds()) < 60
    assert build_report([], now=NOW).meta.tool_version == tool_version()


def test_revealed_is_flagged_by_the_findings_or_the_meta():
    assert not report().revealed
    assert report(reveal_evidence=True).revealed
    assert build_report([dataclasses.replace(findings()[0], revealed="x")], now=NOW).revealed


def test_status_of_a_finding():
    rep = report()
    assert rep.status_of(findings()[6]) == "suppressed" and rep.status_of(findings()[0]) == "open"
