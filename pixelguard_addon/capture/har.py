"""Tolerant HAR reader: one odd entry is skipped with a reason, never the whole file.

mitmproxy's own HAR import aborts the whole file on one entry without `postData.text`
(reference §1.10); this reader takes each field with `dict.get` and fills in what a
browser export leaves out.

What a HAR cannot tell is spelled out on the `CapturedRequest`: `body_complete` is False
when the export says the body was truncated or holds fewer bytes than `bodySize`.
"""
from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime, timezone
from typing import Any, Iterator
from urllib.parse import urlencode

from ..model import CapturedRequest
from .base import CaptureError, CaptureStats
from .sniff import UTF8_BOM, UTF16_BOMS

_TRUNCATED = "_truncated"
_TRUNCATION_FLAGS = ("_truncated", "_request_body_truncated")
# Bodies a text field can still hold compressed (recognisable magic); see _drop_stale_encoding.
_COMPRESSED_MAGIC = (b"\x1f\x8b", b"\x28\xb5\x2f\xfd", b"\x78\x01", b"\x78\x5e", b"\x78\x9c",
                     b"\x78\xda")
_WS_SEND = "send"
_WS_BINARY = 2


class _Skip(Exception):
    """An entry that yields nothing; the message is the reason."""


def read_har(data: bytes, source: str, stats: CaptureStats) -> Iterator[CapturedRequest]:
    """Yield one `CapturedRequest` per HAR entry, plus one per sent WebSocket message."""
    har = _load(data, source)
    log = har.get("log") if isinstance(har, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        raise CaptureError(f"{source}: not a HAR file (JSON without a log.entries list)")
    pages = _page_urls(log.get("pages"))
    for index, entry in enumerate(entries):
        stats.entries += 1
        try:
            requests = _entry_requests(entry, index, pages, source)
        except _Skip as why:
            stats.skipped.append(f"entry {index}: {why}")
            continue
        except Exception as exc:  # noqa: BLE001 — an odd entry must not lose the file
            stats.skipped.append(f"entry {index}: unreadable ({type(exc).__name__}: {exc})")
            continue
        for request in requests:
            stats.requests += 1
            yield request


def _load(data: bytes, source: str) -> Any:
    if data[:2] in UTF16_BOMS:
        text = data.decode("utf-16")
    else:
        if data.startswith(UTF8_BOM):
            data = data[len(UTF8_BOM):]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # HAR is UTF-8 by spec; a tool that wrote Latin-1/cp1252 is read as Latin-1,
            # which keeps every byte rather than refusing the file.
            text = data.decode("latin-1")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaptureError(
            f"{source}: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise CaptureError(f"{source}: JSON nested too deeply to read") from None


def _page_urls(pages: Any) -> dict[str, str]:
    """pageref → page URL. Chrome puts the page URL in `title`; Firefox the document title."""
    urls: dict[str, str] = {}
    if not isinstance(pages, list):
        return urls
    for page in pages:
        if not isinstance(page, dict):
            continue
        page_id, title = page.get("id"), page.get("title")
        if isinstance(page_id, str) and isinstance(title, str):
            title = title.strip()
            if title.lower().startswith(("http://", "https://")):
                urls[page_id] = title
    return urls


def _entry_requests(entry: Any, index: int, pages: dict[str, str],
                    source: str) -> list[CapturedRequest]:
    if not isinstance(entry, dict):
        raise _Skip("not a JSON object")
    req = entry.get("request")
    if not isinstance(req, dict):
        raise _Skip("no request")
    url = req.get("url")
    if not isinstance(url, str) or not url.strip():
        raise _Skip("no request.url")
    url = url.strip()
    method = req.get("method")
    method = method.strip().upper() if isinstance(method, str) and method.strip() else "GET"
    pageref = entry.get("pageref")
    page_url = pages.get(pageref) if isinstance(pageref, str) else None
    timestamp = _timestamp(entry.get("startedDateTime"))

    headers = _headers(req)
    body, complete, from_text = _body(entry, req)
    if from_text:
        plain = _drop_stale_encoding(headers, body)
        if len(plain) < len(headers) and not complete and not _marked_truncated(entry, req):
            # The export decoded the body, and its bodySize counts the encoded bytes (mitmproxy
            # 12.3's save.har): a short text gzipped is longer than the text, not cut short.
            complete = True
        headers = plain

    out = [CapturedRequest(method=method, url=url, headers=headers, body=body,
                           body_complete=complete, page_url=page_url, source=source,
                           index=index, timestamp=timestamp)]
    out.extend(_websocket_sends(entry, url, page_url, source, index, timestamp))
    return out


def _headers(req: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    headers: list[tuple[str, str]] = []
    raw = req.get("headers")
    for item in raw if isinstance(raw, list) else ():
        if not isinstance(item, dict):
            continue
        name, value = item.get("name"), item.get("value")
        if not isinstance(name, str) or not name.strip():
            continue
        name = name.strip()
        if name.startswith(":"):
            # HTTP/2 pseudo-headers (Chrome): :path repeats the URL's query, which would
            # then be reported twice, and :authority/:method/:scheme add nothing.
            continue
        headers.append((name, "" if value is None else str(value)))
    if not any(name.lower() == "cookie" for name, _ in headers):
        cookie = _cookie_header(req.get("cookies"))
        if cookie:
            headers.append(("Cookie", cookie))
    return tuple(headers)


def _cookie_header(cookies: Any) -> str:
    """Rebuild a Cookie header from HAR `request.cookies` (some exports keep only these)."""
    pairs = []
    for cookie in cookies if isinstance(cookies, list) else ():
        if isinstance(cookie, dict) and isinstance(cookie.get("name"), str) and cookie["name"]:
            value = cookie.get("value")
            pairs.append(f"{cookie['name']}={'' if value is None else value}")
    return "; ".join(pairs)


def _body(entry: dict[str, Any], req: dict[str, Any]) -> tuple[bytes, bool, bool]:
    """(body, body_complete, body came from postData.text as text)."""
    post = req.get("postData")
    flagged = _marked_truncated(entry, req)
    if post is None:  # no body, or one the export left out (bodySize says which)
        return b"", not flagged and not _short(b"", req), False
    if isinstance(post, str):  # non-standard: "_truncated", or the body itself
        if post == _TRUNCATED:
            return b"", False, False
        body = _encode_text(post)
        return body, not flagged and not _short(body, req), True
    if not isinstance(post, dict):
        return b"", False, False
    text = post.get("text")
    if text is not None:
        text = text if isinstance(text, str) else json.dumps(text)
        if text == _TRUNCATED:
            return b"", False, False
        if str(post.get("encoding", "")).lower() == "base64":
            try:
                body = base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError):
                return b"", False, False  # URL and headers still inspected; body never "clean"
            return body, not flagged and not _short(body, req), False
        body = _encode_text(text)
        return body, not flagged and not _short(body, req), True
    params = post.get("params")
    if isinstance(params, list) and params:
        pairs = [(_encode_text(str(p.get("name", ""))),
                  _encode_text("" if p.get("value") is None else str(p["value"])))
                 for p in params if isinstance(p, dict)]
        return urlencode(pairs).encode("ascii"), not flagged, True
    return b"", not flagged and not _short(b"", req), False


def _marked_truncated(entry: dict[str, Any], req: dict[str, Any]) -> bool:
    return any(_flag(obj) for obj in (entry, req, req.get("postData")))


def _flag(obj: Any) -> bool:
    return isinstance(obj, dict) and any(obj.get(key) for key in _TRUNCATION_FLAGS)


def _short(body: bytes, req: dict[str, Any]) -> bool:
    """The export holds fewer bytes than the request's declared bodySize (-1/0: unknown)."""
    size = req.get("bodySize")
    return isinstance(size, int) and not isinstance(size, bool) and len(body) < size


def _encode_text(text: str) -> bytes:
    # surrogateescape restores bytes that an exporter decoded that way (mitmproxy's
    # save.har uses get_text(strict=False)); other lone surrogates pass through.
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def _drop_stale_encoding(headers: tuple[tuple[str, str], ...],
                         body: bytes) -> tuple[tuple[str, str], ...]:
    """Drop Content-Encoding when the HAR text body is already decoded.

    HAR `postData.text` is a string: exporters store the decoded body (mitmproxy's
    save.har writes `get_text()`), while the header still says gzip/br. Handing the
    decoders that pair would make them try to gunzip plain text and give up on it.
    A body that still starts with gzip/zstd/zlib magic keeps its header.
    """
    if not body or body.startswith(_COMPRESSED_MAGIC):
        return headers
    kept = tuple((k, v) for k, v in headers if not (
        k.lower() == "content-encoding" and v.strip().lower() not in ("", "identity")))
    return kept


def _timestamp(value: Any) -> float | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return moment.timestamp()
    except (OverflowError, OSError, ValueError):
        return None


def _websocket_sends(entry: dict[str, Any], url: str, page_url: str | None, source: str,
                     index: int, timestamp: float | None) -> Iterator[CapturedRequest]:
    """Chrome (and mitmproxy's save.har) keep WebSocket frames in `_webSocketMessages`."""
    messages = entry.get("_webSocketMessages")
    for message in messages if isinstance(messages, list) else ():
        if not isinstance(message, dict) or message.get("type") != _WS_SEND:
            continue
        data = message.get("data")
        data = "" if data is None else data if isinstance(data, str) else json.dumps(data)
        body = _encode_text(data)
        if message.get("opcode") == _WS_BINARY:
            try:
                body = base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError):
                pass  # not base64 after all: inspect the text as it stands
        when = message.get("time")
        yield CapturedRequest(
            method="WS", url=url, body=body, page_url=page_url, source=source, index=index,
            timestamp=float(when) if isinstance(when, (int, float)) and not isinstance(
                when, bool) else timestamp)
