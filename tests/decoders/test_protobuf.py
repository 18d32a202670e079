"""Schema-less protobuf (app-measurement): strings by field path, only for vendors naming `protobuf`."""
from __future__ import annotations

import hashlib

import pytest

from pixelguard_addon.decoders.limits import Budget, Context, Limits
from pixelguard_addon.decoders.protobuf import ProtobufBody, ProtobufError, parse_fields, read_varint
from pixelguard_addon.decoders.protobuf import encode_field as field

from .helpers import chains, decode


def ctx() -> Context:
    return Context(("body",), Budget(Limits()))


BUNDLE = field(1, field(2, field(2, field(1, "reason") + field(2, "HIV PrEP")) + field(4, 1767268800000))
               + field(14, "test.portal.app") + field(19, "38400000-8cf0-11bd-b23e-10b96e40000d"))


def test_strings_are_yielded_by_field_path():
    children = ProtobufBody().decode_body(BUNDLE, ctx())
    found = {child.steps[1]: child.value for child in children}
    assert found == {"1[0].2[0].2[0].1[0]": "reason", "1[0].2[0].2[0].2[0]": "HIV PrEP",
                     "1[0].14[0]": "test.portal.app", "1[0].19[0]": "38400000-8cf0-11bd-b23e-10b96e40000d"}


def test_repeated_fields_are_numbered():
    body = field(1, "a-first-value") + field(1, "a-second-value")
    assert [c.steps[1] for c in ProtobufBody().decode_body(body, ctx())] == ["1[0]", "1[1]"]


def test_binary_request_body_is_read_for_the_vendor_only():
    url = "https://app-measurement.com/a"
    with_decoder = decode(url, method="POST", body=BUNDLE, decoders=["protobuf"])
    assert chains(with_decoder)["body → protobuf → 1[0].2[0].2[0].2[0]"] == "HIV PrEP"
    assert not with_decoder.undecodable
    without = decode(url, method="POST", body=BUNDLE)
    assert without.undecodable and not any("protobuf" in chain for chain in chains(without))


@pytest.mark.parametrize("body", [
    b"".join(hashlib.sha256(bytes([i])).digest() for i in range(8)),  # ciphertext-like bytes
    field(1, "ok") + b"\x0a\x50short",  # a length running past the end
    field(3, 150) + field(4, 1),  # parses, but holds no string at all
])
def test_what_is_not_protobuf_with_strings_stays_undecodable(body):
    assert ProtobufBody().decode_body(body, ctx()) is None


def test_varint_limits():
    assert read_varint(b"\xac\x02", 0) == (300, 2)
    assert read_varint(field(1, 300)[1:], 0) == (300, 2)
    with pytest.raises(ProtobufError):
        read_varint(b"\xff" * 11, 0)
    with pytest.raises(ProtobufError):
        parse_fields(b"\x0b")  # wire type 3 (group start)
