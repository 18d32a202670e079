"""Decisions applied to mitmproxy flows: marks and comments, local answers, redacted requests.

The only module besides `addon.py` that touches mitmproxy objects; what to do is decided in
`verdict.py`, without mitmproxy.
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from mitmproxy import http

from .redact import RedactedRequest
from .verdict import BLOCKED, FLAGGED, REDACTED, stronger

MARKS = {FLAGGED: ":warning:", BLOCKED: ":no_entry:", REDACTED: ":scissors:"}
ANSWERED_HEADER = "X-Pixelguard"


def block(flow: http.HTTPFlow, rules: list[str], reasons: list[str], response: str) -> None:
    """Answer locally so the request never reaches the vendor: 403 (with a JSON body naming the
    rules), 204, or a closed connection."""
    if response == "close" or flow.request.raw_content is None:
        # A streamed body is already on its way: only closing the connection stops the rest.
        flow.kill()
        return
    headers = {"X-Pixelguard-Rule": ",".join(rules), "Cache-Control": "no-store"}
    body = b""
    if response == "403":
        headers["Content-Type"] = "application/json"
        body = json.dumps({"blocked_by": "pixelguard", "rules": rules, "reasons": reasons}).encode()
    flow.response = http.Response.make(int(response), body, headers)


def answer_locally(flow: http.HTTPFlow) -> None:
    """pixelguard_answer_third_party: a 204 from the proxy, so nothing leaves the machine."""
    flow.response = http.Response.make(204, b"", {ANSWERED_HEADER: "answered locally (pixelguard_answer_third_party)"})


def apply_redaction(flow: http.HTTPFlow, redacted: RedactedRequest, original_url: str) -> None:
    request = flow.request
    if redacted.url != original_url:
        parts = urlsplit(redacted.url)
        request.path = parts.path + (f"?{parts.query}" if parts.query else "")
    if redacted.body != request.raw_content:
        request.raw_content = redacted.body  # Content-Length comes with the header changes
    for name, value in redacted.header_changes:
        if value is None:
            request.headers.pop(name, None)
        else:
            request.headers[name] = value


def annotate(flow: http.HTTPFlow, record: dict[str, Any], comment: str) -> None:
    """Mark the flow, set its comment, and merge `record` into flow.metadata["pixelguard"]
    (a WebSocket flow collects one record per message)."""
    previous = flow.metadata.get("pixelguard")
    if previous:
        record = {
            **record,
            "action": stronger(previous["action"], record["action"]),
            **{key: previous.get(key, []) + record.get(key, [])
               for key in ("findings", "reasons", "redacted", "partial")},
        }
    flow.metadata["pixelguard"] = record
    mark = MARKS.get(record["action"])
    if mark:
        flow.marked = mark
    if comment:
        flow.comment = comment
