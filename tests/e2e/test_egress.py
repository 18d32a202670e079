"""A backend service's egress through HTTPS_PROXY in block mode, as the README describes it: a
plain Python client (urllib, no proxy code of its own) and curl, configured only by environment
variables, and the proxy's CA given through SSL_CERT_FILE / --cacert."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid

import pytest

from pixelguard_addon.demo.patient import demo_patient

CLIENT = """
import json, sys, urllib.error, urllib.request
request = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
try:
    print(urllib.request.urlopen(request, timeout=20).status)
except urllib.error.HTTPError as error:
    print(error.code)
"""


def segment_track(email: str | None) -> str:
    traits = {"email": email, "plan": "PrEP follow-up"} if email else {"plan": "basic"}
    return json.dumps({"type": "identify", "userId": "u-1", "traits": traits})


def egress_env(proxy, ca_cert) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "http_proxy", "https_proxy")}
    return {**env, "HTTPS_PROXY": proxy.url, "SSL_CERT_FILE": str(ca_cert)}


def python_client(proxy, ca_cert, url: str, body: str) -> str:
    done = subprocess.run([sys.executable, "-c", CLIENT, url, body], env=egress_env(proxy, ca_cert),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_python_service_egress_with_phi_is_blocked_and_benign_egress_passes(block_proxy, ca_cert):
    proxy, recorder = block_proxy
    marker = uuid.uuid4().hex[:8]
    leak = f"https://api.segment.io/v1/identify?leak={marker}"
    assert python_client(proxy, ca_cert, leak, segment_track(demo_patient()["email"])) != "204"
    assert not [r for r in recorder.requests if marker in r.path]
    benign = f"https://api.segment.io/v1/identify?benign={marker}"
    assert python_client(proxy, ca_cert, benign, segment_track(None)) == "204"
    assert [r for r in recorder.requests if f"benign={marker}" in r.path]


def test_curl_egress_with_phi_is_blocked(block_proxy, ca_cert):
    if shutil.which("curl") is None:
        pytest.skip("curl not installed (the Python client above covers the same path)")
    proxy, recorder = block_proxy
    marker = uuid.uuid4().hex[:8]
    done = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", str(ca_cert),
                           "-H", "Content-Type: application/json", "--data", segment_track(demo_patient()["email"]),
                           f"https://api.segment.io/v1/identify?curl={marker}"],
                          env=egress_env(proxy, ca_cert), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout not in ("204", "000")
    assert not [r for r in recorder.requests if marker in r.path]
