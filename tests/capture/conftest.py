"""Shared fixtures: real mitmproxy flow files written with FlowWriter + tflow."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest

CAPTURES = Path(__file__).resolve().parent.parent / "data" / "captures"

GZ_PLAIN = b'{"ev":"ViewContent","cd":{"content_name":"HIV treatment"}}'


def build_flows():
    """Five flows: gzip POST, websocket, tcp, streamed (no body), non-UTF-8 header."""
    pytest.importorskip("mitmproxy")
    from mitmproxy import http
    from mitmproxy.test import tflow, tutils

    gz = tutils.treq(
        scheme=b"https", host="www.facebook.com", port=443, method=b"POST",
        path=b"/tr/?id=1234567890&ev=ViewContent",
        headers=http.Headers(((b"host", b"www.facebook.com"),
                              (b"content-type", b"application/json"),
                              (b"content-encoding", b"gzip"))),
        content=b"", timestamp_start=1714658600.5)
    gz.raw_content = gzip.compress(GZ_PLAIN, mtime=0)  # set raw: Request.make would re-encode

    streamed = tutils.treq(method=b"POST", path=b"/upload", timestamp_start=1714658602.0)
    streamed.raw_content = None  # stream_large_bodies: body never stored

    odd = tutils.treq(
        headers=http.Headers(((b"x-latin", b"caf\xe9"), (b"x-utf8", "café".encode()),
                              (b"host", b"tracker.example"))),
        timestamp_start=1714658603.0)

    return [
        tflow.tflow(req=gz, resp=True),
        tflow.tflow(ws=True, resp=True),  # messages: client binary, client text, server text
        tflow.ttcpflow(),
        tflow.tflow(req=streamed),
        tflow.tflow(req=odd),
    ]


def write_flows(path: Path, flows) -> Path:
    from mitmproxy import io as mio

    with open(path, "wb") as fh:
        writer = mio.FlowWriter(fh)
        for flow in flows:
            writer.add(flow)
    return path


@pytest.fixture(scope="session")
def flow_file(tmp_path_factory) -> Path:
    return write_flows(tmp_path_factory.mktemp("flows") / "capture.mitm", build_flows())


@pytest.fixture
def chrome_har() -> Path:
    return CAPTURES / "chrome_export.har"
