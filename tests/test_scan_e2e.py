"""End to end: the bundled demo HAR through the capture reader, the engine and the CLI."""
import json
from importlib.resources import files

import pytest

from pixelguard_addon.capture import read_capture
from pixelguard_addon.cli import main
from pixelguard_addon.engine import Engine
from pixelguard_addon.policy import load_policy
from pixelguard_addon.scan import scan_captures

DEMO = files("pixelguard_addon") / "demo"
RAW_VALUES = ["Ida.Tarbell.Test@example.org", "ida.tarbell.test@example.org", "555-1212", "5551212",
              "MV00482913", "1971-01-01"]


@pytest.fixture(scope="module")
def result():
    engine = Engine(load_policy(str(DEMO / "policy.toml")))
    return scan_captures(engine, [str(DEMO / "portal-session.har")])


def found(result, category, chain_part, host=None):
    return [f for f in result.findings
            if f.category == category and chain_part in f.chain and (host is None or f.host == host)]


def test_first_party_request_with_phi_is_not_flagged(result):
    posted = [r for r in read_capture(str(DEMO / "portal-session.har")) if r.path == "/api/appointments"]
    assert posted and b"Ida.Tarbell.Test@example.org" in posted[0].body  # the form posts PHI to the hospital
    assert result.first_party > 0
    assert not [f for f in result.findings if f.host.endswith("mercyvalley-health.test")]


def test_condition_in_clicked_button_is_flagged_with_its_chain(result):
    hits = found(result, "condition", "query.cd[buttonFeatures] → json → innerText", "www.facebook.com")
    assert hits and hits[0].vendor == "Meta Pixel" and "hiv" in hits[0].term.lower()


def test_condition_in_ga4_batch_search_term(result):
    hits = found(result, "condition", "ep.search_term", "region1.google-analytics.com")
    assert hits and "ndjson" in hits[0].chain and "breast cancer" in hits[0].term.lower()


def test_hashed_email_of_test_patient_is_flagged(result):
    hits = found(result, "test-patient:email", "query.udff[em]", "www.facebook.com")
    assert hits and hits[0].severity == "critical"
    assert "sha" in hits[0].detail.lower() or "sha" in hits[0].evidence.lower()
    tiktok = found(result, "test-patient:email", "context.user.email", "analytics.tiktok.com")
    assert tiktok


def test_condition_page_url_is_flagged_as_health_context(result):
    hits = found(result, "context:health-page", "query.dl", "www.facebook.com")
    assert any(hit.page_url.endswith("/conditions/hiv-prep") for hit in hits)


def test_portal_page_is_authenticated_context_inside_base64(result):
    hits = found(result, "context:authenticated-page", "data(base64) → json", "api-js.mixpanel.com")
    assert hits and hits[0].vendor == "Mixpanel"


def test_gzip_session_replay_upload_is_decoded(result):
    hits = [f for f in result.findings if f.host == "content.hotjar.io" and f.chain.startswith("body(gzip)")]
    assert {f.category for f in hits} >= {"condition", "test-patient:phone"}


def test_benign_tracker_hits_are_not_findings(result):
    home = [f for f in result.findings if f.page_url == "https://portal.mercyvalley-health.test/"]
    assert home == []
    assert not [f for f in result.findings if f.host == "fonts.gstatic.com"]


def test_no_raw_test_patient_value_in_findings(result):
    text = json.dumps([f.to_dict() for f in result.findings])
    for raw in RAW_VALUES:
        assert raw not in text


def test_cli_scan_exit_codes_and_jsonl(tmp_path, capsys):
    out = tmp_path / "findings.jsonl"
    code = main(["scan", "--policy", str(DEMO / "policy.toml"), "--jsonl", str(out), str(DEMO / "portal-session.har")])
    assert code == 1
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines and all(line["rule_id"].startswith("PG-") for line in lines)
    assert oct(out.stat().st_mode & 0o777) == oct(0o600)
    printed = capsys.readouterr().out
    assert "Meta Pixel" in printed and "FAIL:" in printed
    assert main(["scan", "--policy", str(DEMO / "policy.toml"), "--fail-on", "critical",
                 str(DEMO / "portal-session.har")]) == 1


def test_cli_clean_capture_exits_zero(tmp_path):
    har = {"log": {"version": "1.2", "pages": [], "entries": [{
        "startedDateTime": "2026-01-01T00:00:00Z", "time": 1,
        "request": {"method": "GET", "url": "https://www.facebook.com/tr/?id=1234567890123456&ev=PageView&dl=https%3A%2F%2Fshop.example.com%2Fshoes",
                    "httpVersion": "HTTP/1.1", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": 200, "statusText": "", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
                     "content": {"size": 0, "mimeType": "text/plain"}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
        "cache": {}, "timings": {}}]}}
    path = tmp_path / "clean.har"
    path.write_text(json.dumps(har))
    assert main(["scan", str(path)]) == 0


def test_cli_unreadable_capture_and_broken_policy_exit_two(tmp_path, capsys):
    assert main(["scan", str(tmp_path / "absent.har")]) == 2
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\n[policy]\nmode = "loud"\n')
    assert main(["scan", "--policy", str(bad), str(DEMO / "portal-session.har")]) == 2
    assert f"{bad}:3: policy.mode" in capsys.readouterr().err


def test_cli_usage_error_exits_two():
    with pytest.raises(SystemExit) as caught:
        main(["scan"])
    assert caught.value.code == 2


def test_offline_demo_command_succeeds(capsys):
    assert main(["demo", "--offline"]) == 0
    assert "Demo complete" in capsys.readouterr().out
