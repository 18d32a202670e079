"""A recording upstream proxy that stands in for the tracker vendors in block and redact tests.

mitmdump runs with `--mode upstream:http://127.0.0.1:<recorder>`, so every request it lets
through arrives here: HTTPS ones inside a CONNECT tunnel (terminated with a throwaway cert;
mitmdump runs with ssl_insecure), plain HTTP ones in absolute form. Each is recorded and
answered 204, except hosts routed to a local server (the portal), which are relayed there.
"""
from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from pixelguard_addon.demo import certs

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"}


@dataclass(frozen=True)
class Recorded:
    host: str
    method: str
    path: str  # path and query
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path}"

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")


class Recorder:
    """`with Recorder(tmp, routes={"portal.x.test": ("127.0.0.1", 8042)}) as rec:` → rec.port."""

    def __init__(self, workdir: Path, routes: dict[str, tuple[str, int]] | None = None):
        self.routes = routes or {}
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self.tls = certs.server_context(workdir, "vendors.recorder.test", "recorder")
        handler = type("RecordingHandler", (_RecordingHandler,), {"recorder": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="recorder", daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def record(self, item: Recorded) -> None:
        with self._lock:
            self.requests.append(item)

    def to_host(self, host: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.host == host]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    def __enter__(self) -> "Recorder":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class _RecordingHandler(BaseHTTPRequestHandler):
    recorder: Recorder
    protocol_version = "HTTP/1.1"
    tunnel_host: str | None = None

    def do_CONNECT(self) -> None:  # noqa: N802
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        tunnel = self.recorder.tls.wrap_socket(self.connection, server_side=True)
        self.connection, self.tunnel_host = tunnel, self.path.rpartition(":")[0]
        self.rfile, self.wfile = tunnel.makefile("rb"), tunnel.makefile("wb")
        self.close_connection = False  # keep reading requests, now from inside the tunnel

    def _any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host, path = self._target()
        headers = tuple(self.headers.items())
        self.recorder.record(Recorded(host, self.command, path, headers, body))
        route = self.recorder.routes.get(host)
        if route:
            self._relay(route, path, headers, body)
        else:
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

    do_GET = do_POST = do_PUT = do_HEAD = do_OPTIONS = _any  # noqa: N815

    def _target(self) -> tuple[str, str]:
        if self.tunnel_host:
            return self.tunnel_host, self.path
        parts = urlsplit(self.path)  # plain HTTP through a proxy: absolute form
        return (parts.hostname or self.headers.get("Host", "")), (parts.path or "/") + (
            f"?{parts.query}" if parts.query else "")

    def _relay(self, route: tuple[str, int], path: str, headers, body: bytes) -> None:
        connection = http.client.HTTPConnection(*route, timeout=30)
        try:
            forwarded = {k: v for k, v in headers if k.lower() not in HOP_BY_HOP | {"content-length"}}
            connection.request(self.command, path, body=body or None, headers=forwarded)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP | {"content-length"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass
