"""url-encoded form bodies and form-shaped values."""
from __future__ import annotations

import json
from urllib.parse import urlencode

from pixelguard_addon.decoders.form import FormValue, looks_like_form
from pixelguard_addon.decoders.limits import Budget, Context, Limits

from .helpers import chains, decode, field, values

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def meta_microdata_body() -> str:
    schema = [{"@context": "https://schema.org", "@type": "MedicalCondition", "name": "Type 2 diabetes",
               "url": "https://portal.example.org/conditions/diabetes"}]
    return urlencode({
        "id": "123", "ev": "Microdata", "dl": "https://portal.example.org/conditions/diabetes",
        "cd[Schema.org]": json.dumps(schema),
        "cd[OpenGraph]": json.dumps({"og:title": "Living with diabetes"}),
        "rqm": "formPOST",
    })


def test_meta_microdata_post_unpacks_schema_org_json():
    decoded = decode("https://www.facebook.com/tr/", method="POST", headers=FORM, body=meta_microdata_body())
    found = chains(decoded)
    assert found["body → form → ev"] == "Microdata"
    assert found["body → form → cd[Schema.org] → json → [0].name"] == "Type 2 diabetes"
    assert found["body → form → cd[Schema.org] → json → [0].url → url.path"] == "/conditions/diabetes"
    assert found["body → form → cd[OpenGraph] → json → og:title"] == "Living with diabetes"
    assert field(decoded, "body → form → cd[Schema.org] → json → [0].name").key == "name"
    assert field(decoded, "body").container


def test_form_body_sniffed_without_content_type():
    decoded = decode(method="POST", body="en=page_view&ep.search_term=hiv%20test")
    assert chains(decoded)["body → form → ep.search_term"] == "hiv test"


def test_repeated_form_keys_each_yielded():
    decoded = decode(method="POST", headers=FORM, body="tag=a&tag=b")
    assert values(decoded, "body → form → tag") == ["a", "b"]


def test_strict_form_value_needs_two_pairs_and_key_like_keys():
    assert looks_like_form("a=1&b=2")
    assert not looks_like_form("a=1")
    assert not looks_like_form("what is x=1 & y=2")
    assert looks_like_form("a=1", strict=False)
    assert not looks_like_form("plain text", strict=False)


def test_form_shaped_value_inside_json_is_unpacked():
    children = FormValue().decode("topic=hiv&lang=en", "state", Context((), Budget(Limits())))
    assert [(c.steps, c.value) for c in children] == [(("form", "topic"), "hiv"), (("form", "lang"), "en")]


def test_declared_form_that_is_json_is_still_read():
    decoded = decode(method="POST", headers=FORM, body='{"condition": "asthma"}')
    assert chains(decoded)["body → json → condition"] == "asthma"
    assert decoded.undecodable == []
