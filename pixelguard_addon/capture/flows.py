"""mitmproxy flow files (`mitmdump -w`, `save_stream_file`), read with `mitmproxy.io.FlowReader`.

mitmproxy is imported here only, and only when a flow file is read: the offline engine
and the HAR reader work without it.

Bodies are `raw_content`: still Content-Encoded, as on the wire. `raw_content is None`
(streamed body, not stored) gives an empty body with `body_complete=False`.
A flow file that turns unreadable part-way keeps every flow before the damage; the
stop is noted in `CaptureStats.skipped`.
"""
from __future__ import annotations

import string
from typing import Any, BinaryIO, Iterator
from urllib.parse import quote

from ..memo import RecentMap
from ..model import CapturedRequest
from .base import CaptureError, CaptureStats

# Printable ASCII minus space: left alone when a URL with non-UTF-8 bytes is re-quoted.
_URL_SAFE = "".join(c for c in string.printable if c not in string.whitespace)


def read_flows(fh: BinaryIO, source: str, stats: CaptureStats) -> Iterator[CapturedRequest]:
    try:
        from mitmproxy import http
        from mitmproxy.exceptions import FlowReadException
        from mitmproxy.io import FlowReader
    except ImportError:
        raise CaptureError(
            f"{source}: not a HAR file, and reading it as a mitmproxy flow file needs "
            "mitmproxy, which is not installed") from None

    flows = iter(FlowReader(fh).stream())
    index = 0
    while True:
        try:
            flow = next(flows)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 — FlowReadException, or a bad record's own error
            why = str(exc) if isinstance(exc, FlowReadException) else (
                f"{type(exc).__name__}: {exc}")
            if index == 0:
                raise CaptureError(
                    f"{source}: not a HAR or mitmproxy flow file, or corrupt ({why})") from None
            stats.skipped.append(f"file truncated after {index} flows ({why})")
            return
        stats.entries += 1
        try:
            if isinstance(flow, http.HTTPFlow):
                requests = _flow_requests(flow, index, source)
            else:
                stats.skipped.append(f"flow {index}: {getattr(flow, 'type', 'unknown')} flow, "
                                     "not HTTP")
                requests = []
        except Exception as exc:  # noqa: BLE001 — one odd flow must not lose the file
            stats.skipped.append(f"flow {index}: unreadable ({type(exc).__name__}: {exc})")
            requests = []
        index += 1
        for request in requests:
            stats.requests += 1
            yield request


def _flow_requests(flow: Any, index: int, source: str) -> list[CapturedRequest]:
    out = [captured_request(flow.request, index, source)]
    if flow.websocket is not None:
        for message in flow.websocket.messages:
            if message.from_client:
                out.append(captured_message(out[0].url, message, index, source))
    return out


def captured_request(req: Any, index: int = 0, source: str = "live") -> CapturedRequest:
    """A mitmproxy `http.Request` as the engine sees it (live in the addon, or from a file)."""
    raw = req.raw_content
    return CapturedRequest.build(
        method=req.method,
        url=_text_url(pretty_url(req)),
        headers=_headers_text(req.headers.fields),
        body=raw or b"",
        body_complete=raw is not None,
        page_url=None,
        source=source,
        index=index,
        timestamp=_seconds(req.timestamp_start),
    )


# (scheme, host, port, authority, HTTP version, Host header), raw → the part of pretty_url
# before the path
_ORIGINS = RecentMap()


def pretty_url(req: Any) -> str:
    """`req.pretty_url`, with its scheme-and-authority part remembered: mitmproxy parses and
    validates the Host header on every call, which costs more than the rest of turning a flow
    into a request, and a session talks to a few dozen hosts. Remembered by the raw fields
    that decide it (reading `host_header` alone costs a header lookup and decoding)."""
    data = req.data
    path = req.path
    if data.method == b"CONNECT" or path == "*":
        return req.pretty_url
    key = (data.scheme, data.host, data.port, data.authority, data.http_version, _raw_host(data.headers.fields))
    origin = _ORIGINS.get(key)
    if origin is None:
        full = req.pretty_url
        if not req.host_header or not full.endswith(path):
            return full  # not origin + path: nothing to remember
        origin = full[:len(full) - len(path)]
        _ORIGINS.put(key, origin)
    return origin + path


def _raw_host(fields: tuple) -> bytes | None:
    """The first Host header as sent (the one mitmproxy's `headers["Host"]` gives)."""
    for name, value in fields:
        if name.lower() == b"host":
            return value
    return None


def captured_message(url: str, message: Any, index: int = 0, source: str = "live") -> CapturedRequest:
    """A WebSocket message the client sent, inspected like a request body (method "WS")."""
    return CapturedRequest(method="WS", url=url, body=message.content or b"", source=source,
                           index=index, timestamp=_seconds(message.timestamp))


def _headers_text(fields: tuple) -> tuple[tuple[str, str], ...]:
    try:  # the usual case, in one pass: every name and value is UTF-8 bytes
        return tuple([(name.decode(), value.decode()) for name, value in fields])
    except (UnicodeDecodeError, AttributeError):
        return tuple((_header_text(name), _header_text(value)) for name, value in fields)


def _header_text(value: bytes | str) -> str:
    """Header bytes as str: UTF-8 when it is, else Latin-1 (every byte kept, no surrogates).

    mitmproxy's own `Headers` view decodes UTF-8 with surrogateescape; lone surrogates
    break JSON/SARIF writers downstream, so they are not passed on.
    """
    if isinstance(value, str):
        value = value.encode("utf-8", "surrogateescape")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _text_url(url: str) -> str:
    """mitmproxy decodes URL bytes with surrogateescape; percent-encode non-UTF-8 bytes."""
    if url.isascii():  # the usual case, without encoding it
        return url
    try:
        url.encode("utf-8")
        return url
    except UnicodeEncodeError:
        return quote(url.encode("utf-8", "surrogateescape"), safe=_URL_SAFE)


def _seconds(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None
