"""base64/base64url text: decoded when it is text, never when it is a hash or an id."""
from __future__ import annotations

import base64
import gzip
import json
from urllib.parse import quote

import pytest

from pixelguard_addon.decoders.base64_value import Base64Value
from pixelguard_addon.decoders.limits import Budget, Context, Limits

from .helpers import chains, decode, field

MIXPANEL_EVENT = {"event": "Appointment Requested",
                  "properties": {"reason": "diabetes follow-up", "$current_url": "https://portal.example.org/diabetes/book",
                                 "distinct_id": "18c2f7a1b-0d4e"}}


def b64(data: dict | str, alphabet=base64.b64encode) -> str:
    raw = (json.dumps(data) if isinstance(data, dict) else data).encode()
    return alphabet(raw).decode()


def ctx() -> Context:
    return Context(("query.x",), Budget(Limits()))


def test_mixpanel_form_data_is_base64_json():
    decoded = decode("https://api-js.mixpanel.com/track/?ip=1&_=1700000000000", method="POST",
                     headers={"Content-Type": "application/x-www-form-urlencoded"},
                     body="data=" + quote(b64(MIXPANEL_EVENT), safe=""))
    found = chains(decoded)
    assert found["body → form → data(base64) → json → properties.reason"] == "diabetes follow-up"
    assert found["body → form → data(base64) → json → properties.$current_url → url.path"] == "/diabetes/book"
    assert field(decoded, "body → form → data").container
    assert field(decoded, "body → form → data(base64)").key == "data"


def test_mixpanel_get_with_unescaped_plus_turned_into_spaces():
    # Some senders leave "+" unescaped; form decoding turns it into " ".
    encoded = b64({"event": "x", "properties": {"q": ">>>???"}})
    assert "+" in encoded
    decoded = decode("https://api.mixpanel.com/track?data=" + encoded.replace("/", "%2F"))
    assert chains(decoded)["query.data(base64) → json → properties.q"] == ">>>???"


def test_base64url_without_padding():
    encoded = b64(MIXPANEL_EVENT, base64.urlsafe_b64encode).rstrip("=")
    assert Base64Value().decode(encoded, "state", ctx())[0].value == json.dumps(MIXPANEL_EVENT)


def test_base64_of_plain_text():
    children = Base64Value().decode(b64("patient searched for hepatitis C"), "q", ctx())
    assert [(c.steps, c.value, c.key) for c in children] == [(("(base64)",), "patient searched for hepatitis C", "q")]


def test_base64_of_gzip_is_unpacked_too():
    encoded = base64.b64encode(gzip.compress(json.dumps(MIXPANEL_EVENT).encode(), mtime=0)).decode()
    decoded = decode("https://t.example/e?compression=base64&data=" + quote(encoded, safe=""))
    assert chains(decoded)["query.data(base64)(gzip) → json → properties.reason"] == "diabetes follow-up"


@pytest.mark.parametrize("value", [
    "f303cf025f54905caca8788d2c7070d47fb49eb6515b7d886d3305a4f10396f9",  # sha256 hex
    "5F4DCC3B5AA765D61D8327DEB882CF99",  # md5, upper
    "12345678901234567890",  # numeric id
    "123e4567-e89b-12d3-a456-426614174000",  # uuid
    "CompleteRegistration", "getElementsByTagName", "HIVTestingAndCounseling",  # words
    "internationalization", "ABCDEFGHIJKLMNOPQRSTU",
    "fb.1.1596403881668.1116446470", "GA1.2.1234567890.1700000000",
    "YjQ1ZTE2",  # text, but shorter than 16
    "Xw9sN3vq2Lk8Pz0aRt5YbQ1eUm7cHj4fGd6iOoWnSxA",  # base64url sha256 digest: binary, not text
])
def test_hashes_ids_and_words_stay_leaves(value):
    assert Base64Value().decode(value, "x", ctx()) is None


def test_base64_counts_against_decoded_bytes():
    budget = Budget(Limits(max_decoded_bytes=10))
    assert Base64Value().decode(b64("a sentence longer than ten bytes"), "x", Context(("query.x",), budget)) is None
    assert budget.decoded.partial == ["decoded size limit at query.x(base64)"]
