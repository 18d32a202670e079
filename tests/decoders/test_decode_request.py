"""decode_request as the rest of pixelguard sees it: the contract and whole tracker hits."""
from __future__ import annotations

import dataclasses
import random

import pytest

from pixelguard_addon.decoders import Limits, decode_request
from pixelguard_addon.model import CapturedRequest, Decoded

from .helpers import chains, decode, field, request

META_PIXEL_GET = (
    "https://www.facebook.com/tr/?id=123&ev=PageView"
    "&dl=https%3A%2F%2Fportal.example.org%2Fconditions%2Fhiv-prep"
    "&rl=https%3A%2F%2Fwww.google.com%2F"
    "&cd[buttonFeatures]=%7B%22innerText%22%3A%22Book%20HIV%20test%22%7D"
    "&ud[em]=f303cf025f54905caca8788d2c7070d47fb49eb6515b7d886d3305a4f10396f9"
    "&udff[ph]=254aa248acb47dd654ca3ea53f48c2c26d641d23d7e2e93a1ec56258df7674c4"
    "&it=1700000000000&coo=false&rqm=GET"
)


def test_limits_defaults_and_frozen():
    limits = Limits()
    assert (limits.max_depth, limits.max_decoded_bytes, limits.max_ratio, limits.max_fields) == (
        8, 8 * 1024 * 1024, 100, 20000)
    with pytest.raises(dataclasses.FrozenInstanceError):
        limits.max_depth = 3  # type: ignore[misc]


def test_meta_pixel_get_yields_page_url_button_text_and_hashes():
    decoded = decode(META_PIXEL_GET)
    found = chains(decoded)
    assert found["query.dl"] == "https://portal.example.org/conditions/hiv-prep"
    assert found["query.dl → url.path"] == "/conditions/hiv-prep"
    assert found["query.cd[buttonFeatures] → json → innerText"] == "Book HIV test"
    # Hashes stay leaves under their full query key: the hash matcher needs them verbatim.
    em = field(decoded, "query.ud[em]")
    assert em.key == "ud[em]" and not em.container
    assert em.value == "f303cf025f54905caca8788d2c7070d47fb49eb6515b7d886d3305a4f10396f9"
    assert not field(decoded, "query.udff[ph]").container
    assert decoded.partial == [] and decoded.undecodable == []


def test_container_is_yielded_before_its_children():
    decoded = decode(META_PIXEL_GET)
    found = [item.chain for item in decoded.fields]
    dl = found.index("query.dl")
    assert field(decoded, "query.dl").container
    assert found.index("query.dl → url.path") > dl
    assert found.index("query.dl → url.host") > dl


def test_innermost_keys():
    decoded = decode(META_PIXEL_GET)
    assert field(decoded, "query.dl").key == "dl"
    assert field(decoded, "query.cd[buttonFeatures] → json → innerText").key == "innerText"
    assert field(decoded, "query.dl → url.path").key == "path"


def test_incomplete_body_is_always_partial_even_when_it_reads_fine():
    decoded = decode(method="POST", body='{"a": "b"}', body_complete=False)
    assert "body incomplete in capture" in decoded.partial
    decoded = decode(method="POST", body=b"", body_complete=False)
    assert "body incomplete in capture" in decoded.partial


def test_complete_request_without_body_has_no_notes():
    decoded = decode("https://tracker.example/p?a=1")
    assert decoded.partial == [] and decoded.undecodable == []


WEIRD_URLS = [
    "", "not a url", "http://[::1/x?a=%zz&&=&b", "https://h:notaport/p;;;=;k?%%%#%E0%A4",
    "//x/y?dl=%2F%2F%2F", "https://x/?" + "&".join(["a=1"] * 50), "\x00\ud800",
]
WEIRD_HEADERS = [
    (("Cookie", "=;;; a; =b; c=\"\"; d=%ZZ"),),
    (("Referer", "http://[broken"), ("Origin", "null")),
    (("Content-Encoding", "gzip, br, zstd, bogus"), ("Content-Type", "multipart/form-data; boundary=")),
    (("Content-Type", "text/plain; charset=no-such-charset"),),
]


@pytest.mark.parametrize("url", WEIRD_URLS)
@pytest.mark.parametrize("headers", WEIRD_HEADERS)
def test_never_raises_on_malformed_input(url, headers):
    rng = random.Random(hash((url, headers)) & 0xFFFF)
    for body in (b"", bytes(rng.randrange(256) for _ in range(300)), b"\x1f\x8b\x08garbage", b"{" * 50):
        decoded = decode_request(CapturedRequest("POST", url, headers=headers, body=body))
        assert isinstance(decoded, Decoded)
        assert all(isinstance(item.value, str) for item in decoded.fields)


def test_even_a_broken_request_object_does_not_raise():
    broken = CapturedRequest("GET", None, headers=((None, None),))  # type: ignore[arg-type]
    decoded = decode_request(broken)
    assert decoded.undecodable  # the failure is named, not swallowed


def test_request_fragment_is_its_own_root():
    decoded = decode("https://tracker.example/p#section=diabetes&tab=2")
    assert chains(decoded)["fragment → form → section"] == "diabetes"
    assert field(decoded, "fragment").root == "fragment"
