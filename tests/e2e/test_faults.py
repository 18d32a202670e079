"""Hostile bodies through the live proxy in block mode: each is blocked (it cannot be shown to
be clean: answered by the proxy, or its connection closed when the body is too large to take),
nothing reaches the upstream, and the proxy keeps serving the next request."""
from __future__ import annotations

import gzip
import uuid

import pytest

from pixelguard_addon.demo import certs
from pixelguard_addon.demo.replay import send_through_proxy
from pixelguard_addon.model import CapturedRequest

MB = 1024 * 1024


def zip_bomb() -> bytes:
    return gzip.compress(b"\0" * (64 * MB), compresslevel=9, mtime=0)  # ~64 KB on the wire


FAULTS = {
    "malformed-gzip": ("https://content.hotjar.io/?site_id=3712994&gzip=1", b"\x1f\x8b\x08\x00\x00\x00\x00\x00"
                       b"\x00\x03this is not deflate data at all", {"Content-Type": "text/plain"}),
    "50mb-body": ("https://api-js.mixpanel.com/track/", b"data=" + b"A" * (50 * MB),
                  {"Content-Type": "application/x-www-form-urlencoded"}),
    "invalid-utf8": ("https://analytics.tiktok.com/api/v2/pixel", b'{"event":"SubmitForm","x":"\xff\xfe\xc3\x28"}'
                     + bytes(range(128, 256)), {"Content-Type": "text/plain;charset=UTF-8"}),
    "deep-json": ("https://analytics.tiktok.com/api/v2/pixel", b'{"a":' * 5000 + b'"hiv"' + b"}" * 5000,
                  {"Content-Type": "application/json"}),
    "zip-bomb": ("https://content.hotjar.io/?site_id=3712994&gzip=1", None, {"Content-Type": "text/plain",
                                                                            "Content-Encoding": "gzip"}),
}


@pytest.fixture(scope="module")
def tls(ca_cert):
    return certs.client_context(ca_cert)


def send(proxy, tls, url: str, body: bytes = b"", headers: dict | None = None, method: str = "POST"):
    request = CapturedRequest(method=method, url=url, headers=tuple((headers or {}).items()), body=body)
    return send_through_proxy(request, proxy.port, tls)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_blocked_and_proxy_keeps_serving(block_proxy, tls, fault):
    proxy, recorder = block_proxy
    url, body, headers = FAULTS[fault]
    marker = f"pgfault={fault}-{uuid.uuid4().hex[:8]}"
    url = f"{url}{'&' if '?' in url else '?'}{marker}"
    answer = send(proxy, tls, url, zip_bomb() if body is None else body, headers)
    assert answer.status != 204, f"{fault} was passed on: {answer}"  # 204 is the upstream recorder's answer
    assert not [r for r in recorder.requests if marker in r.path], f"{fault} reached the upstream"
    probe = f"https://www.facebook.com/tr/?id=1234567890123456&ev=PageView&after={marker}"
    assert send(proxy, tls, probe, method="GET").status == 204  # the recorder's answer: still serving
    assert proxy.running()
    assert [r for r in recorder.requests if f"after={marker}" in r.path]
