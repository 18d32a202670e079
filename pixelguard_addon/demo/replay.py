"""Send recorded requests through the proxy again, byte for byte: the demo without a browser.

Each request of the capture goes through a fresh CONNECT tunnel (HTTPS) or as an absolute-URL
request (HTTP), with the headers the browser sent, so the addon inspects what it would have
seen from the browser itself.
"""
from __future__ import annotations

import http.client
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..capture import read_capture
from ..model import CapturedRequest

# Headers that belong to one connection, or that http.client writes itself.
NOT_REPLAYED = {"host", "content-length", "connection", "keep-alive", "proxy-connection",
                "transfer-encoding", "upgrade", "te", "trailer"}
TIMEOUT = 30


@dataclass(frozen=True)
class Sent:
    method: str
    url: str
    status: int | None  # None: the connection ended without an answer (a proxy may kill a flow)
    reason: str = ""


def replay_capture(capture: str | Path, proxy_port: int, tls: ssl.SSLContext) -> list[Sent]:
    return [send_through_proxy(request, proxy_port, tls) for request in read_capture(capture)]


def send_through_proxy(request: CapturedRequest, proxy_port: int, tls: ssl.SSLContext) -> Sent:
    parts = urlsplit(request.url)
    connection = _connection(parts, proxy_port, tls)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if parts.scheme == "http":
        target = request.url  # a plain-HTTP proxy request names the whole URL
    try:
        connection.request(request.method, target, body=request.body or None, headers=replay_headers(request))
        response = connection.getresponse()
        response.read()
        return Sent(request.method, request.url, response.status, response.reason)
    except (OSError, http.client.HTTPException) as exc:  # reset, TLS EOF, timeout: say so, go on
        return Sent(request.method, request.url, None, f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


def _connection(parts, proxy_port: int, tls: ssl.SSLContext) -> http.client.HTTPConnection:
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection("127.0.0.1", proxy_port, context=tls, timeout=TIMEOUT)
        connection.set_tunnel(parts.hostname, parts.port or 443)
        return connection
    return http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=TIMEOUT)


def replay_headers(request: CapturedRequest) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in request.headers:
        key = name.lower()
        if key.startswith(":") or key in NOT_REPLAYED:
            continue  # HTTP/2 pseudo-headers and per-connection headers
        if name in headers:  # HTTP/2 sends each cookie as its own header; HTTP/1.1 wants one line
            value = headers[name] + ("; " if key == "cookie" else ", ") + value
        headers[name] = value
    return headers
