"""HAR reader: Chrome-shaped fixture plus per-entry edge cases built in tmp_path."""
from __future__ import annotations

import base64
import gzip
import json

import pytest

from pixelguard_addon.capture import CaptureError, CaptureStats, read_capture


def read(path):
    stats = CaptureStats()
    return list(read_capture(path, stats)), stats


def write_har(tmp_path, entries, pages=None, name="t.har"):
    log = {"version": "1.2", "creator": {"name": "test"}, "entries": entries}
    if pages is not None:
        log["pages"] = pages
    path = tmp_path / name
    path.write_text(json.dumps({"log": log}), encoding="utf-8")
    return path


def entry(**request):
    request.setdefault("url", "https://t.example/c")
    return {"startedDateTime": "2024-05-02T14:03:11.000Z", "request": request}


# --- the Chrome-shaped fixture --------------------------------------------------------

def test_chrome_export_reads_every_good_entry(chrome_har):
    requests, stats = read(chrome_har)
    assert stats.entries == 8
    assert stats.skipped == ["entry 4: no request.url"]
    assert stats.requests == len(requests) == 9  # 7 entries + 2 sent WebSocket frames
    assert [r.index for r in requests] == [0, 1, 2, 3, 5, 6, 6, 6, 7]
    assert {r.source for r in requests} == {str(chrome_har)}


def test_page_url_from_page_title_when_it_is_a_url(chrome_har):
    requests, _ = read(chrome_har)
    by_index = {r.index: r for r in requests if r.method != "WS"}
    assert by_index[1].page_url == "https://portal.example/conditions/hiv"
    assert by_index[7].page_url is None  # page_2 title is a document title, not a URL


def test_text_plain_json_beacon(chrome_har):
    beacon = next(r for r in read(chrome_har)[0] if r.index == 1)
    assert beacon.method == "POST"
    assert beacon.url.startswith("https://www.google-analytics.com/g/collect?v=2")
    assert json.loads(beacon.body)["page_location"] == "https://portal.example/conditions/hiv"
    assert beacon.body_complete
    assert beacon.header("content-type") == "text/plain;charset=UTF-8"
    assert beacon.timestamp == pytest.approx(1714658592.001)


def test_http2_pseudo_headers_dropped_and_cookie_synthesised(chrome_har):
    page = next(r for r in read(chrome_har)[0] if r.index == 0)
    assert not any(name.startswith(":") for name, _ in page.headers)
    assert page.header("cookie") == "_ga=GA1.1.123.456; session=abc"


def test_existing_cookie_header_not_duplicated(chrome_har):
    fb = next(r for r in read(chrome_har)[0] if r.index == 2)
    assert fb.header_values("cookie") == ["_fbp=fb.1.1714658591.123"]


def test_params_only_post_rebuilt_urlencoded(chrome_har):
    fb = next(r for r in read(chrome_har)[0] if r.index == 2)
    assert fb.body == (b"id=1234567890&ev=ViewContent"
                       b"&dl=https%3A%2F%2Fportal.example%2Fconditions%2Fhiv"
                       b"&cd%5Bcontent_name%5D=HIV+treatment+%26+care")
    assert fb.body_complete


def test_base64_post_data_keeps_raw_gzip_and_its_header(chrome_har):
    seg = next(r for r in read(chrome_har)[0] if r.index == 3)
    assert seg.header("content-encoding") == "gzip"
    assert json.loads(gzip.decompress(seg.body))["event"] == "Appointment Booked"
    assert seg.body_complete


def test_blocked_status_0_entry_still_yielded(chrome_har):
    blocked = next(r for r in read(chrome_har)[0] if r.index == 5)
    assert blocked.url == "https://connect.facebook.net/en_US/fbevents.js"


def test_websocket_sent_frames_become_ws_requests(chrome_har):
    ws = [r for r in read(chrome_har)[0] if r.index == 6]
    handshake, text, binary = ws
    assert handshake.method == "GET" and handshake.url.startswith("wss://rs.fullstory.com/")
    assert text.method == binary.method == "WS"
    assert text.url == handshake.url and text.page_url == handshake.page_url
    assert b"I have HIV" in text.body  # received frame {"ack":1} is not yielded
    assert binary.body == b"\x00\x01rrweb\xff"
    assert text.timestamp == pytest.approx(1714658593.101)
    assert text.headers == ()


def test_body_shorter_than_body_size_is_incomplete(chrome_har):
    mixpanel = next(r for r in read(chrome_har)[0] if r.index == 7)
    assert not mixpanel.body_complete
    assert mixpanel.body.startswith(b'{"event":"Symptom Checker"')
    assert mixpanel.timestamp is None  # "not a date"


# --- per-entry tolerance --------------------------------------------------------------

def test_odd_entries_are_skipped_with_reasons(tmp_path):
    path = write_har(tmp_path, [
        "not an entry",
        {"startedDateTime": "x"},
        entry(url=""),
        entry(url=42),
        entry(method="POST"),
        {"request": {"url": "https://t.example/no-method"}},
    ])
    requests, stats = read(path)
    assert stats.skipped == ["entry 0: not a JSON object", "entry 1: no request",
                             "entry 2: no request.url", "entry 3: no request.url"]
    assert [(r.index, r.method) for r in requests] == [(4, "POST"), (5, "GET")]
    assert requests[1].headers == () and requests[1].timestamp is None


def test_bad_base64_and_odd_field_types(tmp_path):
    path = write_har(tmp_path, [entry(postData={"text": "x", "encoding": "base64"},
                                      bodySize=[1]),  # odd bodySize type: ignored
                                entry(headers="nope", cookies="nope", postData=7)])
    requests, stats = read(path)
    assert len(requests) == 2 and stats.skipped == []
    assert requests[0].body == b"" and not requests[0].body_complete  # bad base64
    assert requests[1].headers == () and not requests[1].body_complete


def test_unexpected_error_in_one_entry_is_skipped_not_raised(tmp_path, monkeypatch):
    from pixelguard_addon.capture import har

    real = har._timestamp

    def flaky(value):
        if value == "boom":
            raise RuntimeError("kaputt")
        return real(value)

    monkeypatch.setattr(har, "_timestamp", flaky)
    path = write_har(tmp_path, [entry(), dict(entry(), startedDateTime="boom"), entry()])
    requests, stats = read(path)
    assert [r.index for r in requests] == [0, 2]
    assert stats.skipped == ["entry 1: unreadable (RuntimeError: kaputt)"]


def test_lowercase_method_and_odd_headers(tmp_path):
    path = write_har(tmp_path, [entry(method="post", headers=[
        {"name": "X-A", "value": 5}, {"name": "X-B"}, {"value": "no name"}, "junk"])])
    (req,), _ = read(path)
    assert req.method == "POST"
    assert req.headers == (("X-A", "5"), ("X-B", ""))


@pytest.mark.parametrize("request_extra, entry_extra, complete", [
    ({"postData": "_truncated"}, {}, False),
    ({"postData": {"text": "_truncated"}}, {}, False),
    ({"postData": {"text": "a=1", "_truncated": True}}, {}, False),
    ({"postData": {"text": "a=1"}, "_request_body_truncated": True}, {}, False),
    ({"postData": {"text": "a=1"}}, {"_request_body_truncated": True}, False),
    ({"bodySize": 12}, {}, False),  # body on the wire, none in the export
    ({"postData": {"mimeType": "text/plain"}, "bodySize": 3}, {}, False),
    ({"postData": {"text": "a=1"}, "bodySize": 3}, {}, True),
    ({"postData": {"text": "a=1"}, "bodySize": -1}, {}, True),  # unknown size: trust it
    ({"postData": {"text": "a=1"}, "bodySize": 0}, {}, True),
    ({"postData": {"text": "a=1"}}, {}, True),
    ({}, {}, True),
])
def test_body_complete(tmp_path, request_extra, entry_extra, complete):
    e = entry(method="POST", **request_extra)
    e.update(entry_extra)
    (req,), _ = read(write_har(tmp_path, [e]))
    assert req.body_complete is complete


def test_decoded_text_under_an_encoded_body_size_is_complete_unless_marked(tmp_path):
    # mitmproxy 12.3's save.har counts the gzipped bytes in bodySize and writes the text they
    # decode to: a short text gzipped is longer than the text. Without the encoding header, or
    # with a truncation mark, a body shorter than bodySize is still a cut one.
    gzip_header = [{"name": "Content-Encoding", "value": "gzip"}]
    text = '{"ev":"ViewContent","cd":{"content_name":"HIV treatment"}}'
    decoded = entry(method="POST", headers=gzip_header, bodySize=len(text) + 12, postData={"text": text})
    plain = entry(method="POST", bodySize=len(text) + 12, postData={"text": text})
    marked = entry(method="POST", headers=gzip_header, bodySize=len(text) + 12,
                   postData={"text": text, "_truncated": True})
    (a, b, c), _ = read(write_har(tmp_path, [decoded, plain, marked]))
    assert a.body_complete and a.header("content-encoding") is None
    assert not b.body_complete and not c.body_complete


def test_base64_size_check_uses_decoded_bytes(tmp_path):
    raw = b"\x00\x01\x02\x03"
    ok = entry(method="POST", bodySize=4,
               postData={"text": base64.b64encode(raw).decode(), "encoding": "base64"})
    short = entry(method="POST", bodySize=9,
                  postData={"text": base64.b64encode(raw).decode(), "encoding": "base64"})
    (a, b), _ = read(write_har(tmp_path, [ok, short]))
    assert a.body == raw and a.body_complete
    assert b.body == raw and not b.body_complete


def test_stale_content_encoding_dropped_for_decoded_text_body(tmp_path):
    # mitmproxy's save.har writes the decoded text but keeps "content-encoding: gzip"
    decoded = entry(method="POST", headers=[{"name": "Content-Encoding", "value": "gzip"}],
                    postData={"text": '{"a":1}'})
    identity = entry(method="POST", headers=[{"name": "Content-Encoding", "value": "identity"}],
                     postData={"text": '{"a":1}'})
    (a, b), _ = read(write_har(tmp_path, [decoded, identity]))
    assert a.header("content-encoding") is None and a.body == b'{"a":1}'
    assert b.header("content-encoding") == "identity"


def test_surrogate_escaped_text_restores_original_bytes(tmp_path):
    raw = b"\x1f\x8b\x08binary\xff"
    text = raw.decode("utf-8", "surrogateescape")
    e = entry(method="POST", headers=[{"name": "content-encoding", "value": "gzip"}],
              postData={"text": text})
    (req,), _ = read(write_har(tmp_path, [e]))
    assert req.body == raw
    assert req.header("content-encoding") == "gzip"  # still looks compressed: header kept


def test_timestamps(tmp_path):
    entries = [dict(entry(), startedDateTime=s) for s in (
        "2024-05-02T14:03:11.512Z", "2024-05-02T16:03:11.512+02:00", "2024-05-02T14:03:11.512",
        "2024-05-02T14:03:11.123456789Z", "yesterday", None)]
    requests, _ = read(write_har(tmp_path, entries))
    stamps = [r.timestamp for r in requests]
    assert stamps[:3] == [pytest.approx(1714658591.512)] * 3
    assert stamps[3] == pytest.approx(1714658591.123456)
    assert stamps[4:] == [None, None]


def test_page_titles(tmp_path):
    pages = [{"id": "a", "title": "  HTTPS://Portal.example/x "}, {"id": "b", "title": "Home"},
             {"id": "c"}, "junk", {"id": "d", "title": "ftp://files.example/"}]
    entries = [dict(entry(), pageref=p) for p in ("a", "b", "c", "d", "missing", None)]
    requests, _ = read(write_har(tmp_path, entries, pages=pages))
    assert [r.page_url for r in requests] == ["HTTPS://Portal.example/x"] + [None] * 5


def test_websocket_frame_variants(tmp_path):
    e = entry(url="wss://ws.example/s")
    e["_webSocketMessages"] = [
        {"type": "send", "opcode": 2, "data": "not base64!"},  # kept as text, not lost
        {"type": "send", "opcode": 1, "data": "héllo", "time": True},
        {"type": "send"},
        {"type": "receive", "opcode": 1, "data": "x"},
        "junk",
    ]
    requests, stats = read(write_har(tmp_path, [e]))
    assert [r.body for r in requests[1:]] == [b"not base64!", "héllo".encode(), b""]
    assert requests[2].timestamp == requests[0].timestamp  # bool "time" ignored
    assert stats.requests == 4


# --- whole-file errors ----------------------------------------------------------------

def test_json_syntax_error_names_file_line_and_column(tmp_path):
    path = tmp_path / "broken.har"
    path.write_text('{\n  "log": {\n    "entries": [,]\n  }\n}\n')
    with pytest.raises(CaptureError) as err:
        list(read_capture(path))
    assert str(path) in str(err.value)
    assert "line 3 column 17" in str(err.value)


def test_truncated_har_is_capture_error(tmp_path, chrome_har):
    path = tmp_path / "cut.har"
    path.write_bytes(chrome_har.read_bytes()[:5000])
    with pytest.raises(CaptureError, match="cut.har: not valid JSON at line"):
        list(read_capture(path))


@pytest.mark.parametrize("doc", ['{"log": {}}', '{"entries": []}', '{"log": {"entries": {}}}'])
def test_json_that_is_not_har(tmp_path, doc):
    path = tmp_path / "x.json"
    path.write_text(doc)
    with pytest.raises(CaptureError, match="x.json: not a HAR file"):
        list(read_capture(path))


def test_empty_entries_is_a_valid_empty_capture(tmp_path):
    requests, stats = read(write_har(tmp_path, []))
    assert requests == [] and stats == CaptureStats(0, 0, [])


def test_encodings_utf8_bom_utf16_latin1(tmp_path):
    doc = json.dumps({"log": {"entries": [entry(method="POST", postData={"text": "café"})]}},
                     ensure_ascii=False)
    for name, data in [("bom.har", b"\xef\xbb\xbf\n " + doc.encode("utf-8")),
                       ("u16.har", doc.encode("utf-16")),
                       ("latin1.har", doc.encode("latin-1"))]:
        (tmp_path / name).write_bytes(data)
        (req,), _ = read(tmp_path / name)
        assert req.body == "café".encode(), name


def test_mitmproxy_save_har_output_is_read(tmp_path):
    """A real save.har/.zhar from mitmproxy, including its decoded-text-but-gzip-header quirk."""
    pytest.importorskip("mitmproxy")
    from mitmproxy.addons.savehar import SaveHar

    from .conftest import GZ_PLAIN, build_flows

    flows = build_flows()
    for name in ("saved.har", "saved.zhar"):
        SaveHar().export_har(flows, str(tmp_path / name))
        requests, stats = read(tmp_path / name)
        gz = requests[0]
        assert gz.method == "POST" and gz.url.startswith("https://www.facebook.com/tr/")
        assert gz.body == GZ_PLAIN and gz.header("content-encoding") is None
        assert gz.body_complete
        ws = [r for r in requests if r.method == "WS"]
        assert [r.body for r in ws] == [b"hello binary", b"hello text"]
        assert stats.skipped == []
