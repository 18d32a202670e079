"""Referer/Origin as URLs, cookies one field each."""
from __future__ import annotations

from pixelguard_addon.decoders.headers import cookie_roots

from .helpers import chains, decode, field


def test_referer_and_origin_are_decoded_as_urls():
    decoded = decode(headers={
        "Referer": "https://portal.example.org/conditions/hiv?tab=prep",
        "Origin": "https://portal.example.org",
        "User-Agent": "Mozilla/5.0",
    })
    found = chains(decoded)
    assert found["header.referer → url.path"] == "/conditions/hiv"
    assert found["header.referer → url.query.tab"] == "prep"
    assert found["header.origin → url.host"] == "portal.example.org"
    assert field(decoded, "header.referer").container
    assert not any("user-agent" in chain for chain in found)


def test_origin_null_is_not_a_field():
    assert "header.origin" not in chains(decode(headers={"Origin": "null"}))


def test_each_cookie_is_a_field_across_cookie_headers():
    decoded = decode(headers=(("Cookie", "_fbp=fb.1.1596403881668.1116446470; _ga=GA1.2.1.2"),
                              ("cookie", 'sess="quoted value"')))
    found = chains(decoded)
    assert found["cookie._fbp"] == "fb.1.1596403881668.1116446470"
    assert found["cookie._ga"] == "GA1.2.1.2"
    assert found["cookie.sess"] == "quoted value"
    assert field(decoded, "cookie._fbp").key == "_fbp"


def test_mixpanel_cookie_holding_urlencoded_json_is_unpacked():
    decoded = decode(headers={"Cookie": "mp_abc_mixpanel=%7B%22distinct_id%22%3A%22u-42%22%2C%22%24email%22%3A%22jane%40example.org%22%7D"})
    assert chains(decoded)["cookie.mp_abc_mixpanel(urlencoded) → json → $email"] == "jane@example.org"


def test_malformed_cookie_pieces_are_skipped_not_fatal():
    assert [c.steps for c in cookie_roots("=novalue; ; flag; a=; b=2")] == [("cookie.b",)]


def test_roots_come_referer_origin_then_cookies_whatever_the_order_sent():
    from pixelguard_addon.decoders.headers import header_roots
    from pixelguard_addon.model import CapturedRequest

    request = CapturedRequest("GET", "https://t.example/", headers=(
        ("Cookie", "a=1; b=2"), ("Origin", "https://p.example"), ("X-Other", "x"),
        ("referer", " https://p.example/page "), ("cookie", "c=3"), ("Referer", "https://p.example/second")))
    expected = [("header.referer",), ("header.referer",), ("header.origin",), ("cookie.a",), ("cookie.b",), ("cookie.c",)]
    from pixelguard_addon.memo import RecentMap

    seen = RecentMap()
    for _ in range(2):  # the second time, the cookies come from memory
        roots = header_roots(request, seen)
        assert [root.steps for root in roots] == expected
        assert [root.value for root in roots] == ["https://p.example/page", "https://p.example/second",
                                                  "https://p.example", "1", "2", "3"]
        assert len(seen) == 2  # one entry per Cookie header
    assert header_roots(request) == roots  # without a memo, the same
