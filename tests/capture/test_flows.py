"""mitmproxy flow files, written for real with FlowWriter + mitmproxy.test.tflow."""
from __future__ import annotations

import gzip
import shutil

import pytest

pytest.importorskip("mitmproxy")

from pixelguard_addon.capture import CaptureError, CaptureStats, read_capture  # noqa: E402

from .conftest import CAPTURES, GZ_PLAIN, build_flows, write_flows  # noqa: E402


def read(path):
    stats = CaptureStats()
    return list(read_capture(path, stats)), stats


def test_every_http_flow_and_client_ws_message(flow_file):
    requests, stats = read(flow_file)
    assert stats.entries == 5
    assert stats.skipped == ["flow 2: tcp flow, not HTTP"]
    assert [(r.index, r.method) for r in requests] == [
        (0, "POST"), (1, "GET"), (1, "WS"), (1, "WS"), (3, "POST"), (4, "GET")]
    assert stats.requests == 6
    assert {r.source for r in requests} == {str(flow_file)}
    assert all(r.page_url is None for r in requests)


def test_gzip_body_comes_back_still_compressed(flow_file):
    gz = read(flow_file)[0][0]
    assert gz.url == "https://www.facebook.com/tr/?id=1234567890&ev=ViewContent"
    assert gz.body[:2] == b"\x1f\x8b"
    assert gzip.decompress(gz.body) == GZ_PLAIN
    assert gz.header("content-encoding") == "gzip"
    assert gz.body_complete
    assert gz.timestamp == 1714658600.5


def test_websocket_messages_from_client_only(flow_file):
    handshake, binary, text = read(flow_file)[0][1:4]
    assert binary.body == b"hello binary" and text.body == b"hello text"
    assert binary.url == text.url == handshake.url
    assert binary.headers == ()
    assert binary.timestamp == 946681203.0 and isinstance(handshake.timestamp, float)


def test_streamed_body_is_incomplete(flow_file):
    streamed = next(r for r in read(flow_file)[0] if r.index == 3)
    assert streamed.body == b"" and streamed.body_complete is False


def test_header_bytes_decoded_to_str(flow_file):
    odd = next(r for r in read(flow_file)[0] if r.index == 4)
    assert odd.header("x-latin") == "café"  # not UTF-8: Latin-1
    assert odd.header("x-utf8") == "café"  # UTF-8 stays UTF-8
    assert odd.url == "http://tracker.example/path"  # pretty_url: from the Host header


def test_committed_flow_fixture_reads_like_a_fresh_one(flow_file):
    fresh, fresh_stats = read(flow_file)
    committed, committed_stats = read(CAPTURES / "flows_small.mitm")
    strip = lambda rs: [r.__class__(**{**r.__dict__, "source": ""}) for r in rs]  # noqa: E731
    assert strip(committed) == strip(fresh)
    assert committed_stats.skipped == fresh_stats.skipped


def test_format_sniffed_not_from_extension(tmp_path, flow_file):
    path = tmp_path / "looks_like.har"
    shutil.copy(flow_file, path)
    assert len(read(path)[0]) == 6


@pytest.mark.parametrize("cut", [1, 40, 200])
def test_truncated_flow_file_keeps_readable_flows(tmp_path, flow_file, cut):
    path = tmp_path / "cut.mitm"
    path.write_bytes(flow_file.read_bytes()[:-cut])
    requests, stats = read(path)
    assert [r.index for r in requests] == [0, 1, 1, 1, 3]  # the last flow is lost, no other
    assert stats.entries == 4
    assert stats.skipped[0] == "flow 2: tcp flow, not HTTP"
    assert stats.skipped[-1].startswith("file truncated after 4 flows")


def test_trailing_garbage_keeps_flows(tmp_path, flow_file):
    path = tmp_path / "junk.mitm"
    path.write_bytes(flow_file.read_bytes() + b"12:garbage")
    requests, stats = read(path)
    assert len(requests) == 6
    assert stats.skipped[-1].startswith("file truncated after 5 flows")


def test_corrupt_first_flow_is_capture_error(tmp_path, flow_file):
    path = tmp_path / "bad.mitm"
    path.write_bytes(flow_file.read_bytes()[:100])
    with pytest.raises(CaptureError, match="bad.mitm: not a HAR or mitmproxy flow file"):
        list(read_capture(path))


def test_bad_record_state_keeps_earlier_flows(tmp_path):
    from mitmproxy.io import tnetstring

    path = write_flows(tmp_path / "odd.mitm", build_flows()[:1])
    with open(path, "ab") as fh:
        tnetstring.dump({b"version": 21, b"type": b"http"}, fh)  # valid tnetstring, no flow
    requests, stats = read(path)
    assert len(requests) == 1
    assert stats.skipped[-1].startswith("file truncated after 1 flows")


def test_one_bad_flow_is_skipped(tmp_path, monkeypatch):
    from pixelguard_addon.capture import flows as flows_mod

    real = flows_mod._flow_requests

    def flaky(flow, index, source):
        if index == 1:
            raise RuntimeError("kaputt")
        return real(flow, index, source)

    monkeypatch.setattr(flows_mod, "_flow_requests", flaky)
    path = write_flows(tmp_path / "three.mitm", [build_flows()[0]] * 3)
    requests, stats = read(path)
    assert [r.index for r in requests] == [0, 2]
    assert stats.skipped == ["flow 1: unreadable (RuntimeError: kaputt)"]


def test_non_utf8_url_bytes_are_percent_encoded(tmp_path):
    from mitmproxy.test import tflow, tutils

    flow = tflow.tflow(req=tutils.treq(path=b"/p/\xe9t\xe9?q=\xff"))
    (req,), _ = read(write_flows(tmp_path / "u.mitm", [flow]))
    assert req.url == "http://address:22/p/%E9t%E9?q=%FF"
    req.url.encode("utf-8")  # no surrogates left


def test_pretty_url_is_mitmproxys_whatever_the_host_header_and_form():
    from mitmproxy import http

    from pixelguard_addon.capture.flows import pretty_url

    def request(host, port, path, headers, scheme="https", http_version="HTTP/1.1", authority="", method="GET"):
        return http.Request(host, port, method.encode(), scheme.encode(), authority.encode(), path.encode(),
                            http_version.encode(), http.Headers(headers), b"", None, 0.0, 0.0)

    cases = [
        request("www.facebook.com", 443, "/tr/?id=1&ev=PageView", [(b"Host", b"www.facebook.com")]),
        request("www.facebook.com", 443, "/tr/?id=2", [(b"Host", b"www.facebook.com")]),  # remembered origin
        request("10.0.0.7", 443, "/g/collect?v=2", [(b"Host", b"region1.google-analytics.com")]),  # transparent
        request("10.0.0.7", 8443, "/g/collect?v=2", [(b"Host", b"region1.google-analytics.com:8443")]),
        request("::1", 443, "/x", [(b"Host", b"[::1]:443")]),
        request("example.org", 80, "/a b?c", [(b"Host", b"example.org")], scheme="http"),
        request("example.org", 443, "/", [(b"Host", b"bad host!")]),  # invalid: mitmproxy keeps it as is
        request("example.org", 443, "/no-host-header", []),
        request("example.org", 443, "*", [(b"Host", b"example.org")]),
        request("api.segment.io", 443, "/v1/t", [], http_version="HTTP/2.0", authority="api.segment.io"),
        # the same host and Host header: HTTP/2's authority wins, HTTP/1.1 ignores it
        request("api.segment.io", 443, "/v1/t", [(b"Host", b"cdn.segment.com")], http_version="HTTP/2.0",
                authority="api.segment.io"),
        request("api.segment.io", 443, "/v1/t", [(b"Host", b"cdn.segment.com")], http_version="HTTP/2.0"),
        request("api.segment.io", 443, "/v1/t", [(b"host", b"cdn.segment.com")]),
        request("api.segment.io", 443, "/v1/t", [(b"X-Host", b"a.example"), (b"HOST", b"b.example"),
                                                 (b"Host", b"c.example")]),  # the first Host counts
        request("example.org", 443, "", [(b"Host", b"example.org:443")], authority="example.org:443", method="CONNECT"),
    ]
    assert cases[-1].first_line_format == "authority"
    for req in cases + cases:  # twice: the second time every origin is remembered
        assert pretty_url(req) == req.pretty_url, req
