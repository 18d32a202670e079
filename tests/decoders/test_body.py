"""Choosing how to read a body: declared type, sniffing, charset, binary."""
from __future__ import annotations

import base64
import json

from .helpers import chains, decode, field

EVENT = {"event": "Lead", "properties": {"condition": "hepatitis C"}}


def test_undeclared_prose_is_one_leaf():
    decoded = decode(method="POST", headers={"Content-Type": "text/plain"}, body="bel.7;1,2,hiv-clinic")
    body = field(decoded, "body")
    assert body.value == "bel.7;1,2,hiv-clinic" and not body.container
    assert decoded.undecodable == []


def test_binary_body_is_undecodable_with_its_size():
    body = bytes([0x0A, 0x8D, 0x01, 0x12, 0x04, 0x08, 0x01, 0x10, 0x00]) * 90  # protobuf-ish
    decoded = decode("https://app-measurement.com/a", method="POST", body=body)
    assert decoded.undecodable == [f"body: {len(body)} bytes of binary data not decodable"]
    assert not any(item.root == "body" for item in decoded.fields)


def test_invalid_utf8_in_a_text_body_is_replaced_not_fatal():
    decoded = decode(method="POST", body=b'{"q": "caf\xe9 hiv test", "ok": "yes"}')
    assert chains(decoded)["body → json → q"] == "caf\ufffd hiv test"
    assert chains(decoded)["body → json → ok"] == "yes"


def test_declared_charset_is_honoured():
    decoded = decode(method="POST", headers={"Content-Type": "text/plain; charset=latin-1"},
                     body='{"q": "café"}'.encode("latin-1"))
    assert chains(decoded)["body → json → q"] == "café"


def test_declared_json_that_is_not_json_is_undecodable_but_still_scanned():
    decoded = decode(method="POST", headers={"Content-Type": "application/json"}, body='{"a": hiv}')
    assert decoded.undecodable == ["body: declared application/json but not readable as such"]
    assert field(decoded, "body").value == '{"a": hiv}'


def test_cut_json_body_is_partial_not_undecodable():
    decoded = decode(method="POST", headers={"Content-Type": "application/json"}, body='{"a": "hi',
                     body_complete=False)
    assert decoded.undecodable == []
    assert decoded.partial == ["body incomplete in capture"]
    assert field(decoded, "body").value == '{"a": "hi'


def test_vendor_json_type():
    decoded = decode(method="POST", headers={"Content-Type": "application/vnd.api+json"}, body=json.dumps(EVENT))
    assert chains(decoded)["body → json → properties.condition"] == "hepatitis C"


def test_sniffed_base64_body():
    decoded = decode(method="POST", body=base64.b64encode(json.dumps(EVENT).encode()))
    assert chains(decoded)["body(base64) → json → properties.condition"] == "hepatitis C"


def test_body_container_holds_the_whole_text():
    decoded = decode(method="POST", body=json.dumps(EVENT))
    body = field(decoded, "body")
    assert body.container and json.loads(body.value) == EVENT and body.key == "body"
