"""Redact mode in front of a recording upstream: the tracker requests still go out, but what
reaches the upstream no longer holds the patient's values, and each body still parses."""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
from urllib.parse import parse_qs, unquote_plus

import pytest

from pixelguard_addon.demo.patient import demo_patient

from .conftest import visit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def upstream(browser, redact_proxy):
    proxy, recorder = redact_proxy
    visit(browser, proxy)
    return recorder


def email_hash() -> str:
    return hashlib.sha256(demo_patient()["email"].strip().lower().encode()).hexdigest()


def only(recorder, host: str, contains: bytes = b""):
    found = [r for r in recorder.to_host(host) if contains in r.path.encode() + r.body]
    assert found, f"nothing reached {host} ({contains or 'any request'}): redact mode must forward"
    return found


def wire(request) -> str:
    """Everything the upstream received, decoded the way a vendor would read it."""
    return unquote_plus(request.path + " " + request.body.decode("utf-8", "replace") + " " + repr(request.headers))


def test_meta_pixel_goes_out_without_hashed_identifiers(upstream):
    for request in only(upstream, "www.facebook.com", b"SubscribedButtonClick"):
        query = parse_qs(request.path.partition("?")[2])
        assert email_hash() not in wire(request) and "HIV PrEP" not in wire(request)
        assert query["ev"] == ["SubscribedButtonClick"]  # still a well-formed pixel hit


def test_tiktok_json_still_parses_without_the_email_hash(upstream):
    for request in only(upstream, "analytics.tiktok.com"):
        event = json.loads(request.body)
        assert event["event"] == "SubmitForm"
        assert email_hash() not in wire(request)


def test_ga4_batch_still_parses_without_the_search_term(upstream):
    for request in only(upstream, "region1.google-analytics.com", b"en=search"):
        lines = [parse_qs(line, strict_parsing=True) for line in request.body.decode().splitlines()]
        assert [line["en"] for line in lines] == [["search"], ["view_search_results"]]
        assert "breast cancer" not in wire(request).lower()


def test_mixpanel_keeps_its_events_without_the_medication(upstream):
    for request in only(upstream, "api-js.mixpanel.com"):
        form = parse_qs(request.body.decode())
        [data] = form["data"]  # written back without the PHI properties, not dropped
        events = json.loads(base64.b64decode(data, validate=True))
        assert events and all(event["event"] and "token" in event["properties"] for event in events)
        assert "Truvada" not in wire(request) + json.dumps(events)
        assert "/MyChart/app/" not in wire(request) + json.dumps(events)


def test_session_replay_gzip_still_decompresses_without_the_phone(upstream):
    for request in only(upstream, "content.hotjar.io"):
        events = json.loads(gzip.decompress(request.body))["events"]
        assert events and "555-1212" not in json.dumps(events)
        assert "/MyChart/app/" not in wire(request) + json.dumps(events)
