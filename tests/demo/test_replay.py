import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pixelguard_addon.demo.replay import replay_headers, send_through_proxy
from pixelguard_addon.model import CapturedRequest


def test_replay_headers_drop_pseudo_and_connection_headers_and_join_cookies():
    request = CapturedRequest("POST", "https://x.test/", headers=(
        (":authority", "x.test"), ("host", "x.test"), ("content-length", "9"), ("connection", "keep-alive"),
        ("cookie", "a=1"), ("cookie", "b=2"), ("accept", "text/html"), ("accept", "*/*"), ("referer", "https://p/")))
    assert replay_headers(request) == {"cookie": "a=1; b=2", "accept": "text/html, */*", "referer": "https://p/"}


class _FakeProxy(BaseHTTPRequestHandler):
    """Answers plain-HTTP proxy requests, or drops the connection when the path says so."""
    seen: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _FakeProxy.seen.append((self.path, self.headers.get("Referer"), body))
        if "drop" in self.path:
            self.close_connection = True
            return
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture()
def fake_proxy():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeProxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_plain_http_goes_out_in_absolute_form_with_body_and_headers(fake_proxy):
    request = CapturedRequest("POST", "http://bat.bing.com/action/0?ti=1", headers=(("Referer", "https://p/"),),
                              body=b"\x1f\x8b raw bytes")
    sent = send_through_proxy(request, fake_proxy, ssl.create_default_context())
    assert sent.status == 204
    assert _FakeProxy.seen[-1] == ("http://bat.bing.com/action/0?ti=1", "https://p/", b"\x1f\x8b raw bytes")


def test_a_dropped_connection_is_reported_not_raised(fake_proxy):
    sent = send_through_proxy(CapturedRequest("POST", "http://x.test/drop", body=b"x"), fake_proxy,
                              ssl.create_default_context())
    assert sent.status is None and sent.reason
