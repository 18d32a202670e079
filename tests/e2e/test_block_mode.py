"""Block mode in front of a recording upstream that stands in for the vendors: no request that
carries PHI (a finding at or above the policy's fail_on) may reach it, while benign third-party
and first-party requests must."""
from __future__ import annotations

import hashlib

import pytest

from pixelguard_addon.demo.patient import demo_patient, demo_policy_path
from pixelguard_addon.demo.portal import PORTAL_HOST
from pixelguard_addon.engine import Engine
from pixelguard_addon.model import CapturedRequest, severity_rank
from pixelguard_addon.policy import load_policy
from pixelguard_addon.report.jsonl import read_jsonl

from .conftest import visit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def upstream(browser, block_proxy):
    proxy, recorder = block_proxy
    visit(browser, proxy)
    return recorder


def third_party(recorder):
    return [r for r in recorder.requests if r.host != PORTAL_HOST]


def as_captured(recorded) -> CapturedRequest:
    return CapturedRequest(method=recorded.method, url=recorded.url, headers=recorded.headers, body=recorded.body)


def test_no_request_reaching_upstream_carries_phi(upstream):
    policy = load_policy(demo_policy_path())
    engine, bar = Engine(policy), severity_rank(policy.fail_on)
    leaked = [(r.method, r.url[:100], [f.rule_id for f in engine.inspect(as_captured(r)).findings
                                       if severity_rank(f.severity) >= bar])
              for r in third_party(upstream)]
    assert [item for item in leaked if item[2]] == []


def test_patient_values_never_reach_upstream(upstream):
    email = demo_patient()["email"].strip().lower()
    needles = [email.encode(), hashlib.sha256(email.encode()).hexdigest().encode(), b"breast", b"MyChart%2Fapp",
               b"MyChart/app"]
    for request in third_party(upstream):
        wire = request.path.encode() + request.body + repr(request.headers).encode()
        assert not [n for n in needles if n in wire], request.url[:100]


def test_trackers_with_phi_were_blocked_and_reported(upstream, workdir):
    reported = read_jsonl(workdir / "block.jsonl")
    assert {"www.facebook.com", "analytics.tiktok.com", "api-js.mixpanel.com", "content.hotjar.io"} <= {
        f.host for f in reported}
    assert upstream.to_host("analytics.tiktok.com") == []  # its only beacon carries the hashed e-mail
    assert upstream.to_host("content.hotjar.io") == []


def test_benign_third_party_requests_reach_upstream(upstream):
    home_pixel = [r for r in upstream.to_host("www.facebook.com")
                  if "ev=PageView" in r.path and f"dl=https%3A%2F%2F{PORTAL_HOST}%2F&" in r.path]
    assert home_pixel, "the home page's PageView carries nothing sensitive and must pass"
    assert upstream.to_host("fonts.gstatic.com")


def test_first_party_requests_reach_the_portal(upstream, portal):
    paths = {r.path for r in upstream.to_host(PORTAL_HOST)}
    assert {"/", "/api/appointments", "/MyChart/login", "/MyChart/app/test-results"} <= paths
    posted = [body for _, path, body in portal.received if path == "/api/appointments"]
    assert posted and demo_patient()["email"].encode() in posted[-1]  # PHI to the hospital itself is fine
