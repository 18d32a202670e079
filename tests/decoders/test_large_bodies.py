"""Huge bodies stop at the field limit without reading every pair or line first."""
import json

from pixelguard_addon.decoders import Limits, decode_request
from pixelguard_addon.decoders.query import read_pairs, split_lazily
from pixelguard_addon.model import CapturedRequest


def test_read_pairs_stops_at_the_limit_and_says_more_were_left():
    pairs, truncated = read_pairs("a=1&b=2&c=3", limit=2)
    assert [p.key for p in pairs] == ["a", "b"] and truncated
    pairs, truncated = read_pairs("a=1&b=2", limit=2)
    assert len(pairs) == 2 and not truncated


def test_split_lazily_matches_str_split():
    for text in ("", "a", "a&b", "&&a&", "a&&b&"):
        assert list(split_lazily(text, "&")) == text.split("&")


def test_form_body_beyond_the_field_limit_is_partial():
    body = b"k=v&" * 5000
    decoded = decode_request(CapturedRequest("POST", "https://x.test/c", (("Content-Type", "application/x-www-form-urlencoded"),), body),
                             Limits(max_fields=300))
    assert len(decoded.fields) <= 300
    assert any("field limit" in note for note in decoded.partial)


def test_ndjson_beyond_the_field_limit_is_partial_and_keeps_line_numbers():
    body = b"\n".join(json.dumps({"n": i}).encode() for i in range(5000))
    decoded = decode_request(CapturedRequest("POST", "https://x.test/c", (("Content-Type", "text/plain"),), body),
                             Limits(max_fields=300))
    assert any("field limit" in note for note in decoded.partial)
    assert any(f.chain == "body → ndjson[3] → json → n" and f.value == "3" for f in decoded.fields)
