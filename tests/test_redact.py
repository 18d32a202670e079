import base64
import gzip
import json
import zlib
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from pixelguard_addon.decoders.compression import decompress_bounded
from pixelguard_addon.engine import Engine
from pixelguard_addon.model import CapturedRequest, Finding
from pixelguard_addon.policy import parse_policy
from pixelguard_addon.redact import CannotRedact, names_step, redact

EMAIL = "ida.test@example.org"
POLICY = f"""\
schema_version = 1
[policy]
first_party = ["clinic.example"]
[[test_patient]]
email = "{EMAIL}"
"""


@pytest.fixture(scope="module")
def engine():
    return Engine(parse_policy(POLICY))


def request(url, body=b"", headers=(), method="POST"):
    return CapturedRequest(method, url, headers=tuple(headers), body=body)


def finding(chain):
    """A finding at `chain`: redact reads only where a finding is."""
    return Finding(rule_id="PG-PHI-CONDITION", category="condition", severity="high", vendor="t", vendor_id="",
                   method="GET", url="https://t.example.net/c", host="t.example.net", page_url=None, chain=chain,
                   evidence="HIV")


def redacted_clean(engine, req):
    """Redact every finding, then prove the forwarded request carries none."""
    inspection = engine.inspect(req)
    assert inspection.findings, "fixture must carry PHI"
    result = redact(req, inspection.findings)
    again = engine.inspect(result.applied_to(req))
    assert again.findings == [] and again.fully_inspected
    return result


def test_query_parameters_are_dropped_and_the_rest_kept_byte_for_byte(engine):
    url = ("https://www.facebook.com/tr/?id=1&ev=Lead&cd[buttonText]=HIV%20test"
           f"&udff[em]={EMAIL.replace('@', '%40')}&noscript=1")
    result = redacted_clean(engine, request(url, method="GET"))
    assert result.url == "https://www.facebook.com/tr/?id=1&ev=Lead&noscript=1"
    assert result.removed == ["query.udff[em]", "query.cd[buttonText]"]
    assert result.body == b"" and result.header_changes == ()


def test_form_body_field_is_dropped_and_content_length_updated(engine):
    body = b"v=2&en=search&ep.search_term=hiv%20testing&tid=G-1"
    req = request("https://www.google-analytics.com/g/collect", body,
                  [("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", str(len(body)))])
    result = redacted_clean(engine, req)
    assert parse_qsl(result.body.decode()) == [("v", "2"), ("en", "search"), ("tid", "G-1")]
    assert ("content-length", str(len(result.body))) in result.header_changes
    assert result.applied_to(req).header("content-length") == str(len(result.body))


def test_json_properties_nested_and_list_items_are_deleted(engine):
    document = {"event": "Booked", "properties": {"reason": "HIV test", "email": EMAIL,
                                                  "tags": ["ok", "chlamydia", "fine"]}, "n": 1}
    req = request("https://api.segment.io/v1/t", json.dumps(document).encode(), [("Content-Type", "application/json")])
    result = redacted_clean(engine, req)
    assert json.loads(result.body) == {"event": "Booked", "properties": {"tags": ["ok", "fine"]}, "n": 1}
    assert "body → json → properties.email" in result.removed


def test_two_items_of_one_list_are_both_deleted(engine):
    document = {"tags": ["diabetes", "fine", "HIV test", "also fine"]}
    req = request("https://api.segment.io/v1/batch", json.dumps(document).encode(), [("Content-Type", "application/json")])
    result = redacted_clean(engine, req)
    assert json.loads(result.body) == {"tags": ["fine", "also fine"]}


def test_property_of_a_list_item_is_deleted_in_that_item_only(engine):
    document = [{"q": "diabetes", "n": 1}, {"q": "fine"}]
    req = request("https://api.segment.io/v1/batch", json.dumps(document).encode(), [("Content-Type", "application/json")])
    result = redacted_clean(engine, req)
    assert json.loads(result.body) == [{"n": 1}, {"q": "fine"}]


@pytest.mark.parametrize("encoding, packed", [
    ("gzip", lambda data: gzip.compress(data)),
    ("deflate", zlib.compress),
    ("br", lambda data: __import__("brotli").compress(data)),
    ("zstd", lambda data: __import__("zstandard").ZstdCompressor().compress(data)),
])
def test_compressed_json_is_reencoded_the_same_way(engine, encoding, packed):
    plain = json.dumps({"event": "x", "properties": {"reason": "HIV test", "page": "home"}}).encode()
    req = request("https://api.segment.io/v1/t", packed(plain),
                  [("Content-Type", "application/json"), ("Content-Encoding", encoding)])
    result = redacted_clean(engine, req)
    inflated = decompress_bounded(result.body, encoding, 100, 1 << 20)
    assert not inflated.error and json.loads(inflated.data) == {"event": "x", "properties": {"page": "home"}}
    assert result.removed == [f"body({encoding}) → json → properties.reason"]


def test_sniffed_gzip_without_a_header_stays_gzip(engine):
    plain = json.dumps({"reason": "HIV test", "ok": 1}).encode()
    result = redacted_clean(engine, request("https://api.segment.io/v1/t", gzip.compress(plain)))
    assert json.loads(gzip.decompress(result.body)) == {"ok": 1}


def test_raw_deflate_is_written_back_raw(engine):
    squeezer = zlib.compressobj(wbits=-15)
    plain = json.dumps({"reason": "HIV test", "ok": 1}).encode()
    raw = squeezer.compress(plain) + squeezer.flush()
    result = redacted_clean(engine, request("https://api.segment.io/v1/t", raw, [("Content-Encoding", "deflate")]))
    assert json.loads(zlib.decompress(result.body, -15)) == {"ok": 1}


def test_ndjson_property_of_one_line_is_dropped(engine):
    body = b"v=2&en=page_view\nv=2&en=search&ep.search_term=breast%20cancer\n"
    result = redacted_clean(engine, request("https://region1.google-analytics.com/g/collect", body,
                                            [("Content-Type", "text/plain")]))
    assert result.body == b"v=2&en=page_view\nv=2&en=search\n"


def test_ndjson_json_lines_keep_their_line_endings(engine):
    body = b'{"a":1}\r\n{"reason":"HIV test","b":2}\r\n'
    result = redacted_clean(engine, request("https://browser-intake-datadoghq.com/api/v2/logs", body,
                                            [("Content-Type", "application/x-ndjson")]))
    assert result.body == b'{"a":1}\r\n{"b":2}\r\n'


def test_json_inside_a_string_takes_its_containing_property(engine):
    body = json.dumps({"event": "x", "payload": json.dumps({"reason": "HIV test"})}).encode()
    result = redacted_clean(engine, request("https://api.segment.io/v1/t", body, [("Content-Type", "application/json")]))
    assert json.loads(result.body) == {"event": "x"}
    assert result.removed == ["body → json → payload"]


def test_base64_json_in_a_query_parameter_is_written_back_without_the_property(engine):
    data = base64.b64encode(json.dumps({"event": "x", "reason": "HIV test"}).encode()).decode()
    result = redacted_clean(engine, request(f"https://api-js.mixpanel.com/track/?data={data}&ip=1", method="GET"))
    query = parse_qsl(urlsplit(result.url).query)
    assert [key for key, _ in query] == ["data", "ip"]
    assert base64.b64decode(query[0][1], validate=True) == b'{"event":"x"}'  # padded, as standard base64 is
    assert result.removed == ["query.data(base64) → json → reason"]


def test_mixpanel_form_keeps_its_events_without_the_medication(engine):
    events = [{"event": "Viewed results", "properties": {"medication": "Truvada", "token": "abc", "mp_lib": "web"}}]
    data = base64.b64encode(json.dumps(events).encode()).decode()
    body = f"data={quote(data, safe='')}&verbose=1".encode()
    req = request("https://api-js.mixpanel.com/track/?ip=1", body,
                  [("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", str(len(body)))])
    result = redacted_clean(engine, req)
    form = dict(parse_qsl(result.body.decode()))
    assert json.loads(base64.b64decode(form["data"], validate=True)) == \
        [{"event": "Viewed results", "properties": {"token": "abc", "mp_lib": "web"}}]
    assert form["verbose"] == "1"
    assert result.removed == ["body → form → data(base64) → json → [0].properties.medication"]
    assert ("content-length", str(len(result.body))) in result.header_changes


def test_url_safe_unpadded_base64_stays_so():
    data = base64.urlsafe_b64encode(json.dumps({"p": "?>?>", "reason": "HIV test"}).encode()).decode().rstrip("=")
    assert "-" in data or "_" in data
    req = request(f"https://t.example.net/c?d={data}", method="GET")
    result = redact(req, [finding("query.d(base64) → json → reason")])
    value = dict(parse_qsl(urlsplit(result.url).query))["d"]
    assert "=" not in value and "+" not in value and "/" not in value
    assert json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))) == {"p": "?>?>"}


def test_json_in_a_query_parameter_is_written_back_without_the_property(engine):
    features = quote(json.dumps({"classList": "btn", "innerText": "Book HIV test"}))
    result = redacted_clean(engine, request(f"https://www.facebook.com/tr/?id=1&ev=Click&cd[buttonFeatures]={features}",
                                            method="GET"))
    query = dict(parse_qsl(urlsplit(result.url).query))
    assert json.loads(query["cd[buttonFeatures]"]) == {"classList": "btn"} and query["ev"] == "Click"


@pytest.mark.parametrize("url,chain", [
    # gzip inside base64: not a layer we write back
    ("https://t.example.net/c?d=" + base64.b64encode(gzip.compress(b'{"reason":"HIV test"}')).decode(),
     "query.d(base64)(gzip) → json → reason"),
    # the same key twice: which value the chain meant is unknown
    ("https://t.example.net/c?d=%7B%22reason%22%3A1%7D&d=%7B%7D", "query.d → json → reason"),
    # the chain ends at the parameter itself
    ("https://t.example.net/c?d=HIV", "query.d"),
])
def test_fields_whose_layers_cannot_be_written_back_are_dropped_whole(url, chain):
    result = redact(request(url, method="GET"), [finding(chain)])
    assert result.url == "https://t.example.net/c" and result.removed == [chain.split(" → ")[0]]


def test_json_key_that_is_itself_the_leak(engine):
    body = json.dumps({"conditions": {"type 2 diabetes": True}, "ok": 1}).encode()
    result = redacted_clean(engine, request("https://api.segment.io/v1/t", body, [("Content-Type", "application/json")]))
    assert json.loads(result.body) == {"conditions": {}, "ok": 1}


def test_referer_is_cut_to_its_origin(engine):
    req = request("https://www.facebook.com/tr/?id=1&ev=PageView", method="GET",
                  headers=[("Referer", "https://clinic.example/conditions/hiv?x=1")])
    inspection = engine.inspect(req)
    result = redact(req, [f for f in inspection.findings if f.chain.startswith("header.referer")])
    assert result.header_changes == (("referer", "https://clinic.example/"),)
    assert result.applied_to(req).header("referer") == "https://clinic.example/"


def test_only_the_offending_cookie_is_dropped(engine):
    req = request("https://tracker.example.net/c", method="GET",
                  headers=[("Cookie", f"a=1; email={EMAIL.replace('@', '%40')}"), ("Cookie", "b=2")])
    result = redacted_clean(engine, req)
    assert result.header_changes == (("cookie", "a=1; b=2"),)


def test_last_cookie_gone_removes_the_header(engine):
    req = request("https://tracker.example.net/c", method="GET", headers=[("Cookie", f"email={EMAIL}")])
    result = redacted_clean(engine, req)
    assert result.header_changes == (("cookie", None),)
    assert result.applied_to(req).header("cookie") is None


@pytest.mark.parametrize("url, body, headers", [
    # multipart bodies are not rewritten
    ("https://tracker.example.net/c", b'--x\r\nContent-Disposition: form-data; name="q"\r\n\r\nHIV test\r\n--x--\r\n',
     [("Content-Type", "multipart/form-data; boundary=x")]),
    # the path itself carries the condition
    ("https://tracker.example.net/hiv-test/collect", b"", []),
    # a plain-text body is the value itself
    ("https://tracker.example.net/c", b"patient booked an HIV test", [("Content-Type", "text/plain")]),
    # a body in base64 as a whole: we will not guess how to write it back
    ("https://api.segment.io/v1/t", __import__("base64").b64encode(b'{"reason":"HIV test","x":"YesNo"}'), []),
])
def test_what_cannot_be_redacted_says_why(engine, url, body, headers):
    req = request(url, body, headers)
    findings = engine.inspect(req).findings
    assert findings
    with pytest.raises(CannotRedact) as caught:
        redact(req, findings)
    assert caught.value.reason


def test_page_context_cannot_be_redacted(engine):
    req = request("https://www.facebook.com/tr/?id=1&ev=PageView", method="GET")
    finding = engine.inspect(request("https://www.facebook.com/tr/?id=1&ev=PageView&cd[x]=HIV%20test", method="GET")).findings[0]
    page_finding = type(finding)(**{**finding.to_dict(), "sensitive_tags": (), "chain": "page"})
    with pytest.raises(CannotRedact, match="only query, body, Referer and cookie"):
        redact(req, [page_finding])


def test_corrupt_gzip_cannot_be_redacted(engine):
    req = request("https://api.segment.io/v1/t", b"\x1f\x8b\x08\x00garbage", [("Content-Encoding", "gzip")])
    finding = engine.inspect(request("https://api.segment.io/v1/t", b'{"reason":"HIV test"}')).findings[0]
    changed = type(finding)(**{**finding.to_dict(), "sensitive_tags": (), "chain": "body(gzip) → json → reason"})
    with pytest.raises(CannotRedact, match="gzip"):
        redact(req, [changed])


def test_incomplete_body_cannot_be_redacted(engine):
    req = CapturedRequest("POST", "https://api.segment.io/v1/t", body=b'{"reason":"HIV test"}', body_complete=False)
    with pytest.raises(CannotRedact, match="incomplete"):
        redact(req, engine.inspect(req).findings)


def test_finding_that_no_longer_matches_the_request_is_refused(engine):
    req = request("https://www.facebook.com/tr/?id=1&cd[x]=HIV%20test", method="GET")
    findings = engine.inspect(req).findings
    other = request("https://www.facebook.com/tr/?id=1", method="GET")
    with pytest.raises(CannotRedact, match="not found"):
        redact(other, findings)


def test_redacted_url_keeps_scheme_host_and_path(engine):
    req = request("https://www.facebook.com/tr/?cd[x]=HIV%20test", method="GET")
    result = redact(req, engine.inspect(req).findings)
    parts = urlsplit(result.url)
    assert (parts.scheme, parts.netloc, parts.path, parts.query) == ("https", "www.facebook.com", "/tr/", "")


@pytest.mark.parametrize("step, name, expected", [
    ("cd[x]", "cd[x]", True),
    ("data(base64)", "data", True),
    ("data(base64)(gzip)", "data", True),
    ("datax", "data", False),
    ("foo(bar)", "foo(bar)", True),
])
def test_names_step(step, name, expected):
    assert names_step(step, name) is expected


def test_a_parameter_whose_escapes_are_not_utf8_is_dropped_not_a_failure():
    result = redact(request("https://t.example.net/c?d=%7B%22reason%22%3A%22%FF%22%7D&k=1", method="GET"),
                    [finding("query.d → json → reason")])
    assert result.url == "https://t.example.net/c?k=1" and result.removed == ["query.d"]
