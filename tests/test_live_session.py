from pixelguard_addon.catalog import load_catalog
from pixelguard_addon.engine import Engine
from pixelguard_addon.live_session import PINNED, LiveSession
from pixelguard_addon.model import CapturedRequest
from pixelguard_addon.policy import parse_policy


def test_records_counts_findings_and_actions():
    engine = Engine(parse_policy('schema_version = 1\n[policy]\nfirst_party = ["clinic.example"]\n'))
    session = LiveSession()
    streamed = []
    session.record(engine.inspect(CapturedRequest("GET", "https://www.facebook.com/tr/?cd[x]=HIV%20test")), streamed.append)
    session.record(engine.inspect(CapturedRequest("GET", "https://clinic.example/")))
    session.record_action("blocked")
    session.record_action(None)
    assert len(session.findings) == 1 and streamed == session.findings
    text = session.summary("high", "block")
    assert text.startswith("pixelguard: live proxy session (mode block; 1 blocked), 2 request(s): "
                           "1 third-party, 1 first-party")
    assert "PG-PHI-CONDITION" in text and text.splitlines()[-1].startswith("FAIL: 1")


def test_pinned_hosts_are_listed_once_as_not_inspected():
    session = LiveSession()
    vendor = load_catalog().vendor_for_host("rs.fullstory.com")
    assert session.record_uninspected_host("rs.fullstory.com", vendor)
    assert not session.record_uninspected_host("rs.fullstory.com", vendor)
    text = session.summary("high", "flag")
    assert "Not fully inspected: 1 request(s)" in text
    assert f"CONNECT https://rs.fullstory.com/ ({vendor.name}): {PINNED}" in text
    assert "NOT-INSPECTED: 1" in text
