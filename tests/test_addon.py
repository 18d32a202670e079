"""The addon through mitmproxy's own test helpers: real options, real flows, hooks called directly."""
import asyncio
import gzip
import io
import json
import logging
import os
import zlib

import pytest
from mitmproxy import exceptions, http
from mitmproxy import io as mitmio
from mitmproxy.log import ALERT
from mitmproxy.proxy.context import Context
from mitmproxy.test import taddons, tflow
from mitmproxy.tls import TlsData
from mitmproxy.websocket import WebSocketMessage
from wsproto.frame_protocol import Opcode

from pixelguard_addon.addon import MAX_INSPECTED_BODY, PixelGuard
from pixelguard_addon.report.jsonl import read_jsonl

EMAIL = "ida.test@example.org"
POLICY = f"""\
schema_version = 1
[policy]
first_party = ["clinic.example.org"]
[[test_patient]]
email = "{EMAIL}"
[[allowed_vendor]]
id = "ga"
reason = "BAA signed 2025-03-01"
"""
LEAK = ("https://www.facebook.com/tr/?id=1&ev=Lead&udff[em]=ida.test%40example.org"
        "&cd[buttonText]=HIV%20test")
CLEAN_TRACKER = "https://www.facebook.com/tr/?id=1&ev=PageView"
SEGMENT = "https://api.segment.io/v1/t"
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def policy(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(POLICY, encoding="utf-8")
    return str(path)


@pytest.fixture
def guard(policy):
    addon = PixelGuard()
    with taddons.context(addon) as tctx:
        tctx.configure(addon, pixelguard_policy=policy)
        yield addon, tctx


def make_flow(url, body=b"", headers=None, method=None, live=True, raw=None, http_version="HTTP/1.1"):
    method = method or ("POST" if body or raw is not None else "GET")
    request = http.Request.make(method, url, body, headers or {})
    request.http_version = http_version
    if raw is not None:  # bytes exactly as sent (Request.make would encode per Content-Encoding)
        request.raw_content = raw
        request.headers["content-length"] = str(len(raw))
    return tflow.tflow(req=request, live=live)


def run(addon, flow):
    """The request hooks in mitmproxy's order."""
    addon.requestheaders(flow)
    if not (flow.response or flow.error):
        addon.request(flow)
    return flow


def configure(guard, **options):
    addon, tctx = guard
    tctx.configure(addon, **options)
    return addon


# --- options ---------------------------------------------------------------------------

def test_unknown_mode_stops_start_up():
    addon = PixelGuard()
    with taddons.context(addon) as tctx:
        with pytest.raises(exceptions.OptionsError, match="pixelguard_mode: must be one of flag, block, redact"):
            tctx.configure(addon, pixelguard_mode="nope")


@pytest.mark.parametrize("text, error", [
    ('schema_version = 1\n[policy]\nfail_on = "loud"\n', r":3: policy.fail_on: must be one of"),
    ('schema_version = 1\n[[allowed_vendor]]\nid = "nobody"\nreason = "x"\n', r":3: allowed_vendor\[0\].id: unknown vendor"),
])
def test_broken_policy_stops_start_up_naming_file_line_and_key(tmp_path, text, error):
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    addon = PixelGuard()
    with taddons.context(addon) as tctx:
        with pytest.raises(exceptions.OptionsError, match=rf"pixelguard_policy: {path}{error}"):
            tctx.configure(addon, pixelguard_policy=str(path))


def test_bad_block_response_and_unwritable_report_are_refused(guard, tmp_path):
    addon, tctx = guard
    with pytest.raises(exceptions.OptionsError, match="pixelguard_block_response"):
        tctx.configure(addon, pixelguard_block_response="451")
    with pytest.raises(exceptions.OptionsError, match="pixelguard_report: cannot write"):
        tctx.configure(addon, pixelguard_report=str(tmp_path / "no-such-dir" / "r.jsonl"))


def test_mode_defaults_to_the_policys(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('schema_version = 1\n[policy]\nmode = "block"\n', encoding="utf-8")
    addon = PixelGuard()
    with taddons.context(addon) as tctx:
        tctx.configure(addon, pixelguard_policy=str(path))
        assert addon.settings.mode == "block"
        flow = run(addon, make_flow(LEAK))
        assert flow.response.status_code == 403


def test_works_without_configure_as_when_added_programmatically():
    addon = PixelGuard()
    with taddons.context(addon):
        flow = run(addon, make_flow(LEAK))
        assert flow.marked == ":warning:" and addon.settings.mode == "flag"


def test_running_logs_the_effective_settings_once(guard, caplog):
    addon = configure(guard, pixelguard_mode="redact", pixelguard_first_party=["other.example.org"])
    with caplog.at_level(logging.INFO):
        addon.running()
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("pixelguard: mode=")]
    assert len(lines) == 1 and "mode=redact (from pixelguard_mode)" in lines[0]
    assert "first_party=clinic.example.org, other.example.org" in lines[0]


def test_first_party_option_makes_a_site_first_party(guard):
    addon = configure(guard, pixelguard_mode="block", pixelguard_first_party=["portal.other.example.org"])
    flow = run(addon, make_flow("https://api.other.example.org/book?reason=HIV%20test"))
    assert flow.response is None and not flow.marked


# --- flag mode -------------------------------------------------------------------------

def test_flag_marks_comments_records_and_alerts(guard, caplog):
    addon, _ = guard
    with caplog.at_level(logging.INFO):
        flow = run(addon, make_flow(LEAK))
    assert flow.response is None  # forwarded
    assert flow.marked == ":warning:"
    assert flow.comment == ("PG-CANARY-EMAIL Meta Pixel: test-patient:email, condition in "
                            "query.udff[em], query.cd[buttonText]")
    record = flow.metadata["pixelguard"]
    assert record["action"] == "flagged" and record["redacted"] == [] and record["partial"] == []
    assert [f["rule_id"] for f in record["findings"]] == ["PG-CANARY-EMAIL", "PG-PHI-CONDITION"]
    assert json.loads(json.dumps(record)) == record
    alerts = [r for r in caplog.records if r.levelno == ALERT]
    assert len(alerts) == 1 and "www.facebook.com/tr/" in alerts[0].getMessage()
    assert alerts[0].getMessage().startswith("pixelguard flagged: GET https://www.facebook.com/tr/?id=•••")
    assert alerts[0].name == "pixelguard_addon.addon" and alerts[0].pathname.endswith("alerts.py")
    assert alerts[0].levelname == logging.getLevelName(ALERT) and alerts[0].exc_info is None
    assert EMAIL not in caplog.text and "ida.test%40" not in caplog.text


def test_no_alert_record_is_made_below_the_loggers_level(guard, caplog):
    addon, _ = guard
    with caplog.at_level(logging.WARNING, logger="pixelguard_addon"):
        flow = run(addon, make_flow(LEAK))
    assert flow.marked == ":warning:"  # still flagged, marked and commented
    assert not [r for r in caplog.records if r.levelno == ALERT]


def test_metadata_survives_a_flow_file(guard):
    addon, _ = guard
    flow = run(addon, make_flow(LEAK))
    buffer = io.BytesIO()
    mitmio.FlowWriter(buffer).add(flow)
    buffer.seek(0)
    (loaded,) = list(mitmio.FlowReader(buffer).stream())
    assert loaded.metadata["pixelguard"] == flow.metadata["pixelguard"] and loaded.marked == ":warning:"


def test_first_party_and_clean_third_party_are_left_alone(guard):
    addon, _ = guard
    first = run(addon, make_flow("https://portal.clinic.example.org/api", json.dumps({"reason": "HIV test"}).encode(), JSON))
    clean = run(addon, make_flow(CLEAN_TRACKER))
    for flow in (first, clean):
        assert flow.response is None and not flow.marked and "pixelguard" not in flow.metadata
    assert addon.session.result.first_party == 1 and addon.session.result.third_party == 1


def test_findings_stream_to_the_report_as_they_happen(guard, tmp_path):
    report = tmp_path / "live.jsonl"
    addon = configure(guard, pixelguard_report=str(report))
    run(addon, make_flow(LEAK))
    findings = read_jsonl(report)  # before done(): flushed per finding
    assert [f.rule_id for f in findings] == ["PG-CANARY-EMAIL", "PG-PHI-CONDITION"]
    assert EMAIL not in report.read_text() and os.stat(report).st_mode & 0o777 == 0o600
    run(addon, make_flow(LEAK))
    assert len(read_jsonl(report)) == 4


def test_report_command_writes_the_session(guard, tmp_path):
    addon, tctx = guard
    run(addon, make_flow(LEAK))
    path = tmp_path / "now.jsonl"
    tctx.command(addon.report, str(path))
    assert len(read_jsonl(path)) == 2


@pytest.mark.parametrize("name,marker", [
    ("now.html", "<!DOCTYPE html>"),
    ("now.sarif", '"version": "2.1.0"'),
    ("now.xml", "<testsuites"),
    ("now.json", '"verdict"'),
])
def test_report_command_picks_the_format_from_the_file_name(guard, tmp_path, name, marker):
    addon, tctx = guard
    run(addon, make_flow(LEAK))
    path = tmp_path / name
    tctx.command(addon.report, str(path))
    text = path.read_text(encoding="utf-8")
    assert marker in text and "PG-CANARY-EMAIL" in text and EMAIL not in text
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_report_command_into_a_missing_directory_is_a_command_error(guard, tmp_path):
    addon, tctx = guard
    with pytest.raises(exceptions.CommandError, match="cannot write"):
        addon.report(str(tmp_path / "no-such-dir" / "r.html"))


def test_html_report_is_written_when_the_proxy_stops(guard, tmp_path):
    html = tmp_path / "session.html"
    addon = configure(guard, pixelguard_html=str(html))
    run(addon, make_flow(LEAK))
    run(addon, make_flow("https://clinic.example.org/MyChart/home"))
    assert not html.exists()
    addon.done()
    text = html.read_text(encoding="utf-8")
    assert "Meta Pixel" in text and "PG-CANARY-EMAIL" in text and "live session" in text
    assert EMAIL not in text and os.stat(html).st_mode & 0o777 == 0o600


def test_unwritable_html_report_stops_start_up(guard, tmp_path):
    addon, tctx = guard
    with pytest.raises(exceptions.OptionsError, match="pixelguard_html: cannot write"):
        tctx.configure(addon, pixelguard_html=str(tmp_path / "no-such-dir" / "r.html"))
    with pytest.raises(exceptions.OptionsError, match="pixelguard_html: .* is a directory"):
        tctx.configure(addon, pixelguard_html=str(tmp_path))


def test_summary_command_and_done_log_the_summary(guard, caplog):
    addon, tctx = guard
    run(addon, make_flow(LEAK))
    with caplog.at_level(logging.INFO):
        tctx.command(addon.summary)
        addon.done()
    summaries = [r.getMessage() for r in caplog.records if "live proxy session (mode flag; 1 flagged)" in r.getMessage()]
    assert len(summaries) == 2 and "FAIL: 2" in summaries[0]


@pytest.mark.parametrize("ending", ["summary", "done"])
def test_alerts_held_in_a_running_proxy_come_out_before_the_summary(guard, caplog, ending):
    """Inside mitmdump alerts are logged in short batches; the summary and shutdown flush them."""
    addon, tctx = guard

    async def browse():
        run(addon, make_flow(LEAK))
        run(addon, make_flow(SEGMENT, json.dumps({"userId": EMAIL}).encode(), JSON))
        held = addon.alerts.pending
        tctx.command(addon.summary) if ending == "summary" else addon.done()
        return held

    with caplog.at_level(logging.INFO):
        assert asyncio.run(browse()) == 2
    messages = [r.getMessage() for r in caplog.records if r.name == "pixelguard_addon.addon"]
    alert_at = next(i for i, m in enumerate(messages) if m.startswith("pixelguard flagged: GET https://www.facebook.com/tr/"))
    summary_at = next(i for i, m in enumerate(messages) if "live proxy session (mode flag; 2 flagged)" in m)
    assert alert_at < summary_at
    assert messages[alert_at].splitlines()[1].startswith("pixelguard flagged: POST https://api.segment.io/v1/t")

# --- block mode ------------------------------------------------------------------------

def test_block_answers_403_naming_the_rules(guard):
    addon = configure(guard, pixelguard_mode="block")
    flow = run(addon, make_flow(LEAK))
    assert flow.response.status_code == 403
    assert flow.response.headers["X-Pixelguard-Rule"] == "PG-CANARY-EMAIL,PG-PHI-CONDITION"
    assert json.loads(flow.response.content)["rules"] == ["PG-CANARY-EMAIL", "PG-PHI-CONDITION"]
    assert flow.marked == ":no_entry:" and flow.metadata["pixelguard"]["action"] == "blocked"
    assert EMAIL not in flow.response.text


def test_block_with_204(guard):
    addon = configure(guard, pixelguard_mode="block", pixelguard_block_response="204")
    flow = run(addon, make_flow(LEAK))
    assert flow.response.status_code == 204 and flow.response.content == b""
    assert flow.response.headers["X-Pixelguard-Rule"] == "PG-CANARY-EMAIL,PG-PHI-CONDITION"


def test_block_by_closing_the_connection(guard):
    addon = configure(guard, pixelguard_mode="block", pixelguard_block_response="close")
    flow = run(addon, make_flow(LEAK))
    assert flow.response is None and flow.error.msg == "Connection killed."
    assert flow.metadata["pixelguard"]["action"] == "blocked"


def test_http2_flow_is_blocked_too(guard):
    addon = configure(guard, pixelguard_mode="block")
    flow = run(addon, make_flow(LEAK, http_version="HTTP/2.0"))
    assert flow.request.is_http2 and flow.response.status_code == 403


def test_first_party_is_never_blocked(guard):
    addon = configure(guard, pixelguard_mode="block")
    flow = run(addon, make_flow(f"https://portal.clinic.example.org/book?email={EMAIL}&reason=HIV%20test"))
    assert flow.response is None and not flow.marked


def test_allowed_vendor_is_flagged_never_blocked(guard):
    addon = configure(guard, pixelguard_mode="block")
    flow = run(addon, make_flow("https://www.google-analytics.com/g/collect?v=2&en=search&ep.search_term=hiv%20test"))
    assert flow.response is None and flow.marked == ":warning:"
    assert all(f["allowed"] for f in flow.metadata["pixelguard"]["findings"])


def test_flow_that_is_not_live_is_never_blocked(guard):
    addon = configure(guard, pixelguard_mode="block")
    flow = run(addon, make_flow(LEAK, live=False))
    assert flow.response is None and flow.marked == ":warning:"
    assert "not live" in flow.metadata["pixelguard"]["reasons"][0]


def test_flow_already_answered_is_skipped(guard):
    addon = configure(guard, pixelguard_mode="block")
    flow = make_flow(LEAK)
    flow.response = http.Response.make(200, b"from block_list")
    addon.request(flow)
    assert flow.response.content == b"from block_list" and "pixelguard" not in flow.metadata


def bomb():
    return gzip.compress(b"0" * 20_000_000)


FAIL_CLOSED = {
    "malformed gzip": dict(raw=b"\x1f\x8b\x08\x00not really gzip", headers={"Content-Encoding": "gzip", **JSON}),
    "zip bomb": dict(raw=bomb(), headers={"Content-Encoding": "gzip", **JSON}),
    "invalid UTF-8": dict(raw=b'{"reason": "\xff\xfe\xfa\xfb\xfc\xfd\xc0\xc1"}', headers=JSON),
    "deeply nested JSON": dict(raw=b"[" * 100_000 + b"]" * 100_000, headers=JSON),
    "50 MB body": dict(raw=b'{"events":[' + b'{"e":"view","n":12345},' * 2_300_000, headers=JSON),
}


@pytest.mark.parametrize("case", FAIL_CLOSED, ids=list(FAIL_CLOSED))
def test_known_tracker_that_cannot_be_inspected_is_blocked_and_serving_goes_on(guard, case, caplog):
    addon = configure(guard, pixelguard_mode="block")
    with caplog.at_level(logging.INFO):
        flow = run(addon, make_flow(SEGMENT, **FAIL_CLOSED[case]))
    assert flow.response.status_code == 403
    assert "PG-FAIL-CLOSED" in flow.response.headers["X-Pixelguard-Rule"].split(",")
    record = flow.metadata["pixelguard"]
    assert record["action"] == "blocked" and record["reasons"][0].startswith("fail closed: not")
    assert any(r.levelno == ALERT and r.getMessage().startswith("pixelguard blocked: POST https://api.segment.io/v1/t")
               for r in caplog.records)
    assert run(addon, make_flow(LEAK)).response.status_code == 403  # the addon keeps serving
    assert run(addon, make_flow(CLEAN_TRACKER)).response is None


def test_oversized_body_without_length_is_inspected_in_part_and_blocked(guard):
    addon = configure(guard, pixelguard_mode="block")
    addon.max_body = 16 * 1024  # the engine's cost is its own benchmark; the rule is the same
    flow = make_flow(SEGMENT, raw=b'{"e":"x"}\n' * 2000, headers={"Content-Type": "text/plain"})
    del flow.request.headers["content-length"]
    addon.request(flow)
    assert flow.response.status_code == 403
    assert any("only its start was inspected" in r for r in flow.metadata["pixelguard"]["reasons"])


def test_oversized_body_is_only_flagged_in_flag_mode(guard):
    addon, _ = guard
    addon.max_body = 16 * 1024
    big = b"v=2&en=search&ep.search_term=hiv%20test\n" + b"v=2&en=x\n" * 2000
    flow = make_flow("https://www.google-analytics.com/g/collect", raw=big)
    addon.request(flow)
    assert flow.response is None and flow.marked == ":warning:"
    assert any("only its start" in note for note in flow.metadata["pixelguard"]["partial"])


def test_engine_crash_fails_closed(guard, monkeypatch, caplog):
    addon = configure(guard, pixelguard_mode="block")

    def broken(request):
        raise RuntimeError("detector bug")

    monkeypatch.setattr(addon.engine, "inspect", broken)
    flow = run(addon, make_flow(LEAK))
    assert flow.response.status_code == 403
    assert "inspection failed (RuntimeError)" in flow.metadata["pixelguard"]["reasons"][0]
    assert "inspection of https://www.facebook.com/tr/" in caplog.text


def test_unknown_third_party_binary_is_forwarded(guard):
    addon = configure(guard, pixelguard_mode="block")
    flow = run(addon, make_flow("https://cdn.images.example.net/upload", raw=bytes(range(256)) * 8))
    assert flow.response is None and not flow.marked
    assert addon.session.result.not_inspected  # but never counted as clean


def test_streaming_is_turned_off_for_third_parties_in_block_mode(guard):
    addon = configure(guard, pixelguard_mode="block")
    third, first = make_flow(SEGMENT, raw=b"{}"), make_flow("https://portal.clinic.example.org/upload", raw=b"{}")
    third.request.stream = first.request.stream = True
    addon.requestheaders(third)
    addon.requestheaders(first)
    assert third.request.stream is False and first.request.stream is True


def test_streaming_is_left_alone_in_flag_mode(guard):
    addon, _ = guard
    flow = make_flow(SEGMENT, raw=b"{}")
    flow.request.stream = True
    addon.requestheaders(flow)
    assert flow.request.stream is True


def test_declared_oversized_body_is_blocked_before_it_is_buffered(guard):
    addon = configure(guard, pixelguard_mode="block")
    flow = make_flow(SEGMENT, raw=b"")
    flow.request.headers["content-length"] = str(MAX_INSPECTED_BODY + 1)
    addon.requestheaders(flow)
    assert flow.response.status_code == 403
    assert "over the" in flow.metadata["pixelguard"]["reasons"][0]
    assert addon.session.result.not_inspected


def test_chunked_body_with_stream_large_bodies_is_blocked(guard):
    addon, tctx = guard
    tctx.configure(addon, pixelguard_mode="block")
    tctx.options.add_option("stream_large_bodies", str | None, "1m", "mitmproxy's proxyserver option")
    flow = make_flow(SEGMENT, raw=b"")
    del flow.request.headers["content-length"]
    flow.request.headers["transfer-encoding"] = "chunked"
    addon.requestheaders(flow)
    assert flow.response.status_code == 403 and "stream_large_bodies" in flow.metadata["pixelguard"]["reasons"][0]


def test_body_streamed_anyway_kills_the_connection(guard):
    addon = configure(guard, pixelguard_mode="block")
    flow = make_flow(SEGMENT, raw=b"")
    flow.request.raw_content = None  # streamed to the server: nothing to inspect
    addon.request(flow)
    assert flow.error.msg == "Connection killed." and flow.metadata["pixelguard"]["action"] == "blocked"


# --- redact mode -----------------------------------------------------------------------

def forwarded_body(flow):
    """The body as it leaves the proxy, checked against its Content-Length."""
    assert flow.response is None and not flow.error
    assert int(flow.request.headers["content-length"]) == len(flow.request.raw_content)
    return flow.request.get_content(strict=True)


def test_redact_query_parameters(guard):
    addon = configure(guard, pixelguard_mode="redact")
    flow = run(addon, make_flow(LEAK))
    assert flow.response is None
    assert flow.request.url == "https://www.facebook.com/tr/?id=1&ev=Lead"
    record = flow.metadata["pixelguard"]
    assert record["action"] == "redacted" and record["redacted"] == ["query.udff[em]", "query.cd[buttonText]"]
    assert flow.marked == ":scissors:"


def test_redact_form_body(guard):
    addon = configure(guard, pixelguard_mode="redact")
    body = f"v=2&en=sign_up&ep.email={EMAIL}&tid=G-1".encode()
    flow = run(addon, make_flow("https://analytics.tiktok.com/api/v2/pixel", body,
                                {"Content-Type": "application/x-www-form-urlencoded"}))
    assert forwarded_body(flow) == b"v=2&en=sign_up&tid=G-1"
    assert list(flow.request.urlencoded_form.keys()) == ["v", "en", "tid"]


def test_redact_json_body(guard):
    addon = configure(guard, pixelguard_mode="redact")
    body = json.dumps({"event": "Booked", "properties": {"reason": "HIV test", "slot": "9:00"},
                       "context": {"traits": {"email": EMAIL}}}).encode()
    flow = run(addon, make_flow(SEGMENT, body, JSON))
    assert json.loads(forwarded_body(flow)) == {"event": "Booked", "properties": {"slot": "9:00"},
                                                "context": {"traits": {}}}


def test_redact_gzip_json_body_keeps_gzip(guard):
    addon = configure(guard, pixelguard_mode="redact")
    plain = json.dumps({"event": "Booked", "properties": {"reason": "HIV test", "slot": "9:00"}}).encode()
    flow = run(addon, make_flow(SEGMENT, raw=gzip.compress(plain), headers={"Content-Encoding": "gzip", **JSON}))
    assert flow.request.headers["content-encoding"] == "gzip"
    assert flow.request.raw_content[:2] == b"\x1f\x8b"
    assert json.loads(forwarded_body(flow)) == {"event": "Booked", "properties": {"slot": "9:00"}}


def test_redact_deflate_ndjson_body(guard):
    addon = configure(guard, pixelguard_mode="redact")
    plain = b"v=2&en=page_view\nv=2&en=search&ep.search_term=breast%20cancer\n"
    flow = run(addon, make_flow("https://region1.google-analytics.com/g/collect?tid=G-2",
                                raw=zlib.compress(plain), headers={"Content-Encoding": "deflate"}))
    # ga is an allowed vendor in this policy: flagged, not redacted
    assert flow.metadata["pixelguard"]["action"] == "flagged"
    addon = configure(guard, pixelguard_policy=None, pixelguard_mode="redact")
    flow = run(addon, make_flow("https://region1.google-analytics.com/g/collect?tid=G-2",
                                raw=zlib.compress(plain), headers={"Content-Encoding": "deflate"}))
    assert forwarded_body(flow) == b"v=2&en=page_view\nv=2&en=search\n"


def test_redact_referer_and_cookie(guard):
    addon = configure(guard, pixelguard_mode="redact", pixelguard_policy=None)
    flow = run(addon, make_flow("https://bat.bing.com/action/0?ti=1", headers={
        "Referer": "https://clinic.example.org/search?q=hiv%20test%20near%20me",
        "Cookie": f"_uetsid=abc; mail={EMAIL.replace('@', '%40')}"}))
    record = flow.metadata["pixelguard"]
    assert record["action"] == "redacted", record
    assert flow.request.headers["referer"] == "https://clinic.example.org/"
    assert flow.request.headers["cookie"] == "_uetsid=abc"
    assert sorted(record["redacted"]) == ["cookie.mail(urlencoded)", "header.referer (cut to its origin)"]


def test_redaction_impossible_falls_back_to_block(guard):
    addon = configure(guard, pixelguard_mode="redact")
    body = b'--x\r\nContent-Disposition: form-data; name="reason"\r\n\r\nHIV test\r\n--x--\r\n'
    flow = run(addon, make_flow(SEGMENT, body, {"Content-Type": "multipart/form-data; boundary=x"}))
    assert flow.response.status_code == 403
    assert flow.metadata["pixelguard"]["reasons"][0].startswith("cannot redact:")


def test_redaction_bug_blocks(guard, monkeypatch):
    addon = configure(guard, pixelguard_mode="redact")

    def broken(request, findings):
        raise KeyError("bug")

    monkeypatch.setattr("pixelguard_addon.verdict.redact", broken)
    flow = run(addon, make_flow(LEAK))
    assert flow.response.status_code == 403
    assert flow.metadata["pixelguard"]["reasons"] == ["cannot redact: redaction failed (KeyError)"]


def test_failure_while_applying_redaction_blocks(guard, monkeypatch):
    addon = configure(guard, pixelguard_mode="redact")

    def broken(flow, redacted, url):
        raise ValueError("bug")

    monkeypatch.setattr("pixelguard_addon.flow_actions.apply_redaction", broken)
    flow = run(addon, make_flow(LEAK))
    assert flow.response.status_code == 403 and flow.marked == ":no_entry:"
    assert flow.metadata["pixelguard"]["action"] == "blocked"


def test_redact_mode_fails_closed_too(guard):
    addon = configure(guard, pixelguard_mode="redact")
    flow = run(addon, make_flow(SEGMENT, raw=b"\x1f\x8b\x08\x00junk", headers={"Content-Encoding": "gzip"}))
    assert flow.response.status_code == 403


# --- answering third parties locally (demos and tests) ---------------------------------

def test_answer_third_party_answers_locally_after_inspection(guard):
    addon = configure(guard, pixelguard_answer_third_party=True)
    clean = run(addon, make_flow(CLEAN_TRACKER))
    leak = run(addon, make_flow(LEAK))
    first = run(addon, make_flow("https://portal.clinic.example.org/"))
    assert clean.response.status_code == 204 and clean.metadata["pixelguard"]["action"] == "answered"
    assert leak.response.status_code == 204 and leak.metadata["pixelguard"]["action"] == "flagged"
    assert leak.metadata["pixelguard"]["answered_locally"] is True
    assert first.response is None


def test_answer_third_party_answers_an_ignored_third_party_too(guard, tmp_path):
    # Ignored means not inspected, not let out: a demo must still keep it on the machine.
    ignoring = tmp_path / "ignoring.toml"
    ignoring.write_text(POLICY.replace("[[test_patient]]", 'ignore_hosts = ["cdn.partner.example.net"]\n[[test_patient]]'))
    addon = configure(guard, pixelguard_policy=str(ignoring), pixelguard_answer_third_party=True)
    ignored = run(addon, make_flow("https://cdn.partner.example.net/lib.js"))
    assert ignored.response.status_code == 204 and addon.session.result.ignored == 1


def test_bodiless_first_party_requests_are_counted_and_never_answered(guard):
    addon = configure(guard, pixelguard_answer_third_party=True)
    assets = [run(addon, make_flow("https://portal.clinic.example.org/app.js",
                                   headers={"Referer": "https://portal.clinic.example.org/"})) for _ in range(3)]
    assert all(flow.response is None and not flow.marked for flow in assets)
    assert addon.session.result.first_party == 3 and addon.session.result.requests == 3


def test_answer_third_party_keeps_the_block_response(guard):
    addon = configure(guard, pixelguard_answer_third_party=True, pixelguard_mode="block")
    assert run(addon, make_flow(LEAK)).response.status_code == 403


# --- WebSocket -------------------------------------------------------------------------

def ws_flow(url="wss://rs.fullstory.com/rec/ws", live=True):
    flow = tflow.tflow(ws=True, req=http.Request.make("GET", url), live=live)
    flow.websocket.messages.clear()
    return flow


def send(addon, flow, content, from_client=True):
    flow.websocket.messages.append(WebSocketMessage(Opcode.TEXT, from_client, content))
    addon.websocket_message(flow)
    return flow.websocket.messages[-1]


def test_websocket_message_is_flagged(guard):
    addon, _ = guard
    flow = ws_flow()
    send(addon, flow, b'{"evt":"input","value":"HIV test"}')
    message = send(addon, flow, json.dumps({"evt": "input", "value": EMAIL}).encode())
    assert not message.dropped and flow.marked == ":warning:"
    record = flow.metadata["pixelguard"]
    assert record["action"] == "flagged"
    assert [f["method"] for f in record["findings"]] == ["WS", "WS"]


@pytest.mark.parametrize("mode", ["block", "redact"])
def test_websocket_message_is_dropped_in_block_and_redact_mode(guard, mode):
    addon = configure(guard, pixelguard_mode=mode)
    flow = ws_flow()
    clean = send(addon, flow, b'{"evt":"scroll"}')
    leak = send(addon, flow, b'{"evt":"input","value":"HIV test"}')
    assert not clean.dropped and leak.dropped
    assert flow.marked == ":no_entry:" and "WebSocket message dropped" in flow.metadata["pixelguard"]["reasons"]


def test_websocket_server_messages_and_first_party_are_ignored(guard):
    addon = configure(guard, pixelguard_mode="block")
    from_server = send(addon, ws_flow(), b'{"value":"HIV test"}', from_client=False)
    first = ws_flow("wss://portal.clinic.example.org/live")
    own = send(addon, first, b'{"value":"HIV test"}')
    assert not from_server.dropped and not own.dropped and "pixelguard" not in first.metadata


# --- TLS -------------------------------------------------------------------------------

def test_pinned_host_is_listed_as_not_inspected(guard, caplog):
    addon, tctx = guard
    client = tflow.tclient_conn()
    client.sni = "rs.fullstory.com"
    data = TlsData(client, Context(client, tctx.options))
    with caplog.at_level(logging.INFO):
        addon.tls_failed_client(data)
        addon.tls_failed_client(data)
    assert caplog.text.count("rs.fullstory.com not inspected (client rejected the proxy certificate; pinned?)") == 1
    assert "rs.fullstory.com" in addon.session.summary("high", "flag")
