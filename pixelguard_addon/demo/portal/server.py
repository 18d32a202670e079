"""The demo patient portal over HTTP, on loopback: standard library only.

The proxy reaches it for the hostname `PORTAL_HOST` (see ..route) and terminates the
browser's HTTPS itself, so the site needs no certificate of its own. Pages and the tag
script are package data (templates/, static/); routes live in .site.
"""
from __future__ import annotations

import threading
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from urllib.parse import parse_qs, urlsplit

from . import site

STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
MAX_BODY = 64 * 1024  # the portal's own forms are tiny; anything larger is refused


class PortalServer:
    """`with PortalServer() as portal:` serves on 127.0.0.1:`portal.port` until the block ends."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.sessions: set[str] = set()
        self.received: list[tuple[str, str, bytes]] = []  # first-party posts: (method, path, body)
        self._lock = threading.Lock()
        handler = type("PortalHandler", (_PortalHandler,), {"portal": self})
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="demo-portal", daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def record(self, method: str, path: str, body: bytes) -> None:
        with self._lock:
            self.received.append((method, path, body))

    def start(self) -> "PortalServer":
        self._thread.start()
        return self

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "PortalServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


class _PortalHandler(BaseHTTPRequestHandler):
    portal: PortalServer
    protocol_version = "HTTP/1.1"
    server_version = "MercyValleyPortal/1.0"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._dispatch(b"")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True  # the unread body must not be parsed as the next request
            self._send(site.Reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"too large\n", "text/plain",
                                  (("Connection", "close"),)))
            return
        body = self.rfile.read(length)
        self.portal.record("POST", self.path, body)
        self._dispatch(body)

    def _dispatch(self, body: bytes) -> None:
        parts = urlsplit(self.path)
        if parts.path.startswith("/static/"):
            self._send(_static(parts.path))
            return
        request = site.Request(
            method=self.command, path=parts.path, query=parse_qs(parts.query), body=body,
            session=_session_cookie(self.headers.get("Cookie")), sessions=self.portal.sessions,
        )
        self._send(site.route(request))

    def _send(self, reply: site.Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        # What many hospital CMSes ship: the full page URL (path and query) goes to every third
        # party in Referer. That is itself a leak, and it tells pixelguard the page of each hit.
        self.send_header("Referrer-Policy", "no-referrer-when-downgrade")
        self.send_header("Cache-Control", "no-store")
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - keep the demo's output readable
        pass


def _static(path: str) -> site.Reply:
    name = path.removeprefix("/static/")
    resource = files(__package__) / "static" / name
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if "/" in name or suffix not in STATIC_TYPES or not resource.is_file():
        return site.not_found()
    return site.Reply(HTTPStatus.OK, resource.read_bytes(), STATIC_TYPES[suffix])


def _session_cookie(header: str | None) -> str | None:
    if not header:
        return None
    cookie = SimpleCookie()
    try:
        cookie.load(header)
    except Exception:  # noqa: BLE001 - a malformed Cookie header is just "not signed in"
        return None
    morsel = cookie.get(site.SESSION_COOKIE)
    return morsel.value if morsel else None
