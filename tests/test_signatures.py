"""Endpoint signatures: tracker requests recognised by shape on any host."""
from __future__ import annotations

import pytest

from pixelguard_addon.catalog import load_catalog
from pixelguard_addon.model import CapturedRequest
from pixelguard_addon.signatures import Signature, parse_signatures, request_params


def fail(path, message):
    return ValueError(f"{path}: {message}")


def test_keys_and_value_patterns_must_all_match():
    signature = Signature(path="**/g/collect", keys=("v", "tid"), match={"v": "^2$", "tid": "^G-"})
    assert signature.matches("/g/collect", {"v": "2", "tid": "G-ABC"})
    assert signature.matches("/metrics/g/collect", {"v": "2", "tid": "G-ABC", "en": "x"})
    assert not signature.matches("/g/collect", {"v": "1", "tid": "G-ABC"})
    assert not signature.matches("/g/collect", {"v": "2"})
    assert not signature.matches("/g/collector", {"v": "2", "tid": "G-ABC"})
    assert not signature.matches("/g/collect", {"v", "tid"})  # value patterns need values


def test_keys_only_signature_accepts_a_key_set():
    assert Signature(path="/tr", keys=("id", "ev")).matches("/tr/", {"id", "ev", "dl"})


@pytest.mark.parametrize("tables,words", [
    ({}, "expected [[vendor.signature]] tables"),
    ([{"path": "tr", "keys": ["id"]}], "starting with `/`"),
    ([{"path": "/tr", "keys": []}], "non-empty list"),
    ([{"path": "/tr", "keys": ["id"], "match": {"ev": "x"}}], "not among the signature's keys"),
    ([{"path": "/tr", "keys": ["id"], "match": {"id": "("}}], "invalid regex"),
    ([{"path": "/tr", "keys": ["id"], "host": "x"}], "unknown key"),
])
def test_bad_signature_tables_are_refused(tables, words):
    with pytest.raises(ValueError, match=words.replace("[", r"\[").replace("(", r"\(")):
        parse_signatures(tables, fail)


def test_request_params_from_query_form_and_json():
    query = CapturedRequest("GET", "https://x.test/g/collect?v=2&tid=G-1&v=3#frag")
    assert request_params(query) == {"v": "2", "tid": "G-1"}
    form = CapturedRequest("POST", "https://x.test/tr", body=b"id=1&ev=Lead")
    assert request_params(form) == {"id": "1", "ev": "Lead"}
    body = CapturedRequest("POST", "https://x.test/v1/t", body=b'{"writeKey": "k", "n": 1}')
    assert request_params(body) == {"writeKey": "k", "n": "1"}
    assert request_params(CapturedRequest("POST", "https://x.test/", body=b"\x1f\x8b\x08binary")) == {}


@pytest.mark.parametrize("host,path,params,vendor_id", [
    ("metrics.clinic.example", "/g/collect", {"v": "2", "tid": "G-ABC123"}, "ga"),
    ("clinic.example", "/collect", {"v": "1", "tid": "UA-1-1", "t": "pageview"}, "ga"),
    ("tracking.clinic.example", "/tr/", {"id": "1", "ev": "PageView"}, "meta_pixel"),
    ("smetrics.clinic.example", "/b/ss/clinicprod/1/JS-2.22.0/s1234", {"AQB": "1", "AQE": "1"}, "adobe_analytics"),
    ("stats.clinic.example", "/matomo.php", {"idsite": "3", "rec": "1"}, "matomo"),
    ("sp.clinic.example", "/com.snowplowanalytics.snowplow/tp2", {"schema": "x", "data": "[]"}, "snowplow"),
    ("errors.clinic.example", "/api/42/envelope/", {"sentry_key": "abc"}, "sentry"),
    ("clinic.example", "/ingest/e/", {"ver": "1.61.0", "_": "1"}, "posthog"),
    ("clinic.example", "/rum", {"ddforward": "/api/v2/rum?x"}, "datadog_rum"),
])
def test_shipped_signatures_recognise_gateways(host, path, params, vendor_id):
    vendor, via_signature = load_catalog().vendor_for_request(host, path, params)
    assert vendor is not None and (vendor.id, via_signature) == (vendor_id, True)


def test_plain_first_party_requests_match_no_signature():
    catalog = load_catalog()
    assert catalog.vendor_for_request("clinic.example", "/collect", {"v": "2"}) == (None, False)
    assert catalog.vendor_for_request("clinic.example", "/tr", {"id": "1"}) == (None, False)
    assert catalog.vendor_for_request("clinic.example", "/api/appointments", {}) == (None, False)


def test_host_wins_over_signature():
    vendor, via_signature = load_catalog().vendor_for_request("www.facebook.com", "/tr", {"id": "1", "ev": "x"})
    assert vendor.id == "meta_pixel" and not via_signature
