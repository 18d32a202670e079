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


def only(recorder, host: str, contains: str = ""):
    found = [r for r in recorder.to_host(host) if contains in r.path + r.body.decode("latin-1")]
    assert found, f"nothing reached {host} ({contains or 'any request'}): redact mode must forward"
    return found


def test_meta_pixel_goes_out_without_hashed_identifiers(upstream):
    for request in only(upstream, "www.facebook.com", "SubscribedButtonClick"):
        query = parse_qs(request.path.partition("?")[2])
        assert email_hash() not in request.path
        assert query["ev"] == ["SubscribedButtonClick"]  # still a well-formed pixel hit


def test_tiktok_json_still_parses_without_the_email_hash(upstream):
    for request in only(upstream, "analytics.tiktok.com"):
        event = json.loads(request.body)
        assert event["event"] == "SubmitForm"
        assert email_hash() not in request.body.decode()


def test_ga4_batch_still_parses_without_the_search_term(upstream):
    for request in only(upstream, "region1.google-analytics.com", "search_term"):
        lines = [parse_qs(line) for line in request.body.decode().splitlines()]
        assert lines and all(line.get("en") for line in lines)
        assert "breast cancer" not in unquote_plus(request.body.decode() + request.path).lower()


def test_mixpanel_base64_batch_still_decodes_without_the_medication(upstream):
    for request in only(upstream, "api-js.mixpanel.com"):
        data = parse_qs(request.body.decode())["data"][0]
        batch = json.loads(base64.b64decode(data))
        assert batch[0]["event"] == "Viewed Result"
        assert "Truvada" not in json.dumps(batch)


def test_session_replay_gzip_still_decompresses_without_the_phone(upstream):
    for request in only(upstream, "content.hotjar.io"):
        events = json.loads(gzip.decompress(request.body))["events"]
        assert events and "555-1212" not in json.dumps(events)
