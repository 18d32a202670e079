import pytest

from pixelguard_addon.engine import Engine, Inspection
from pixelguard_addon.model import CapturedRequest
from pixelguard_addon.policy import parse_policy
from pixelguard_addon.verdict import (BLOCKED, FAIL_CLOSED_RULE, FLAGGED, REDACTED, comment_for, decide,
                                      fail_closed_reasons, stronger)

POLICY = """\
schema_version = 1
[policy]
first_party = ["clinic.example.org"]
[[test_patient]]
email = "ida.test@example.org"
[[allowed_vendor]]
id = "ga"
reason = "BAA signed 2025-03-01"
"""
LEAK = "https://www.facebook.com/tr/?id=1&ev=Lead&cd[buttonText]=HIV%20test&udff[em]=ida.test%40example.org"


@pytest.fixture(scope="module")
def engine():
    return Engine(parse_policy(POLICY))


def inspect(engine, url, body=b"", headers=(), method="GET"):
    return engine.inspect(CapturedRequest(method, url, headers=tuple(headers), body=body))


def test_flag_mode_flags_and_never_blocks(engine):
    decision = decide(inspect(engine, LEAK), "flag", "high", True, engine.inspect)
    assert decision.action == FLAGGED and decision.rules == []


def test_block_mode_names_the_rules(engine):
    decision = decide(inspect(engine, LEAK), "block", "high", True, engine.inspect)
    assert decision.action == BLOCKED
    assert decision.rules == ["PG-CANARY-EMAIL", "PG-PHI-CONDITION"]
    assert "PG-PHI-CONDITION (high) in query.cd[buttonText]" in decision.reasons


def test_findings_below_the_threshold_are_flagged_not_blocked(engine):
    decision = decide(inspect(engine, LEAK), "block", "critical", True, engine.inspect)
    assert decision.action == BLOCKED and decision.rules == ["PG-CANARY-EMAIL"]
    medium = inspect(engine, "https://www.facebook.com/tr/?id=1&ev=PageView&dl=https%3A%2F%2Fx.example%2Fconditions%2Fhiv")
    assert decide(medium, "block", "high", True, engine.inspect).action == FLAGGED


def test_allowed_vendor_is_never_blocked(engine):
    ga = inspect(engine, "https://www.google-analytics.com/g/collect?v=2&en=search&ep.search_term=hiv%20test")
    assert ga.findings and all(f.allowed for f in ga.findings)
    assert decide(ga, "block", "high", True, engine.inspect).action == FLAGGED


def test_first_party_and_clean_requests_need_nothing(engine):
    first = inspect(engine, "https://portal.clinic.example.org/api?reason=HIV%20test")
    clean = inspect(engine, "https://www.facebook.com/tr/?id=1&ev=PageView")
    assert decide(first, "block", "high", True, engine.inspect).action is None
    assert decide(clean, "block", "high", True, engine.inspect).action is None


def test_flows_that_are_not_live_are_only_flagged(engine):
    decision = decide(inspect(engine, LEAK), "block", "high", False, engine.inspect)
    assert decision.action == FLAGGED and "not blocked: the flow is not live" in decision.reasons[0]


def test_known_tracker_not_fully_inspected_fails_closed(engine):
    broken = inspect(engine, "https://www.facebook.com/tr/", b"\x1f\x8b\x08\x00junk", [("Content-Encoding", "gzip")], "POST")
    assert fail_closed_reasons(broken)
    decision = decide(broken, "block", "high", True, engine.inspect)
    assert decision.action == BLOCKED and FAIL_CLOSED_RULE in decision.rules
    assert decision.reasons[0].startswith("fail closed: not fully inspected")
    # With nothing found at all, the fail-closed rule alone explains the block.
    quiet = Inspection(broken.request, broken.site, broken.vendor, partial=["depth limit at body → json"])
    assert decide(quiet, "block", "high", True, engine.inspect).rules == [FAIL_CLOSED_RULE]
    leak = inspect(engine, LEAK)
    both = Inspection(leak.request, leak.site, leak.vendor, findings=leak.findings, undecodable=["body: junk"])
    assert decide(both, "block", "high", True, engine.inspect).rules == [
        "PG-CANARY-EMAIL", FAIL_CLOSED_RULE, "PG-PHI-CONDITION"]
    assert decide(broken, "redact", "high", True, engine.inspect).action == BLOCKED
    assert decide(broken, "flag", "high", True, engine.inspect).action == FLAGGED


def test_unknown_third_party_binary_is_not_blocked(engine):
    blob = inspect(engine, "https://cdn.images.example.net/upload", bytes(range(256)) * 4, method="POST")
    assert blob.undecodable and fail_closed_reasons(blob) == []
    assert decide(blob, "block", "high", True, engine.inspect).action is None


def test_redact_mode_returns_the_redacted_request(engine):
    decision = decide(inspect(engine, LEAK), "redact", "high", True, engine.inspect)
    assert decision.action == REDACTED
    assert decision.redacted.url == "https://www.facebook.com/tr/?id=1&ev=Lead"
    assert decision.reasons == ["removed query.udff[em]", "removed query.cd[buttonText]"]


def test_redaction_that_cannot_be_done_blocks(engine):
    leak = inspect(engine, "https://www.facebook.com/tr/hiv-test/?id=1", method="GET")
    assert leak.findings
    decision = decide(leak, "redact", "high", True, engine.inspect)
    assert decision.action == BLOCKED and decision.reasons[0].startswith("cannot redact:")


def test_redaction_that_leaves_findings_blocks(engine):
    leak = inspect(engine, LEAK)
    # A second inspection that still sees a leak (as if redaction had missed a copy of it).
    decision = decide(leak, "redact", "high", True, lambda request: leak)
    assert decision.action == BLOCKED and decision.reasons[0].startswith("redaction left: PG-")


def test_redaction_whose_result_cannot_be_read_blocks(engine):
    leak = inspect(engine, LEAK)
    unreadable = Inspection(leak.request, leak.site, leak.vendor, undecodable=["body: garbage"])
    decision = decide(leak, "redact", "high", True, lambda request: unreadable)
    assert decision.action == BLOCKED and "not fully inspected" in decision.reasons[0]


def test_comment_names_worst_rule_vendor_categories_and_chains(engine):
    leak = inspect(engine, LEAK)
    assert comment_for(leak.findings, leak.vendor_name) == (
        "PG-CANARY-EMAIL Meta Pixel: test-patient:email, condition in query.udff[em], query.cd[buttonText]")
    assert comment_for([], "x") == ""


def test_comment_is_kept_to_one_short_line(engine):
    many = "&".join(f"cd[k{i}]=HIV%20test" for i in range(60))
    leak = inspect(engine, f"https://www.facebook.com/tr/?id=1&{many}")
    comment = comment_for(leak.findings, leak.vendor_name)
    assert len(comment) == 300 and comment.endswith("…") and "\n" not in comment


def test_stronger_action_wins():
    assert stronger("flagged", "blocked") == "blocked"
    assert stronger("redacted", "flagged") == "redacted"
    assert stronger(None, "answered") == "answered"
