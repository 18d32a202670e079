"""The demo session as a HAR file: what the browser sent, as mitmproxy saw it.

mitmproxy's own HAR export writes every request body as text, which garbles binary bodies (a
gzip session-replay upload); here such bodies are kept as base64, as Chrome's exporter does.
Response bodies are dropped: the portal's HTML is not what anyone inspects.
"""
from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Iterable

from mitmproxy import http, io
from mitmproxy.addons.savehar import SaveHar


def read_flows(path: str | Path) -> list[http.HTTPFlow]:
    with open(path, "rb") as handle:
        return [f for f in io.FlowReader(handle).stream() if isinstance(f, http.HTTPFlow)]


def from_site(flow: http.HTTPFlow, host: str) -> bool:
    """A request to the site or sent by one of its pages (not the browser's own background traffic)."""
    origin = f"https://{host}"
    if flow.request.pretty_host == host:
        return True
    sent_by = (flow.request.headers.get("referer", ""), flow.request.headers.get("origin", ""))
    return any(value == origin or value.startswith(origin + "/") for value in sent_by)


def make_har(flows: Iterable[http.HTTPFlow]) -> dict:
    flows = list(flows)
    har = SaveHar().make_har(flows)
    for flow, entry in zip(flows, har["log"]["entries"]):
        _keep_binary_body(flow, entry["request"])
        entry["response"]["content"].pop("text", None)
        entry["response"]["content"].pop("encoding", None)
    har["log"]["creator"] = {"name": "pixelguard demo", "version": "1", "comment": "recorded through mitmproxy"}
    return har


def _keep_binary_body(flow: http.HTTPFlow, request: dict) -> None:
    body = flow.request.raw_content or b""
    if not body:
        return
    post = request.setdefault("postData", {"mimeType": flow.request.headers.get("content-type", "")})
    post.pop("params", None)  # the text holds the same; a second copy only invites disagreement
    try:
        post["text"] = body.decode("utf-8")
    except UnicodeDecodeError:
        post["text"], post["encoding"] = base64.b64encode(body).decode(), "base64"
    request["bodySize"] = len(body)


def write_har(flows: Iterable[http.HTTPFlow], path: str | Path) -> Path:
    path = Path(path)
    path.write_text(json.dumps(make_har(flows), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
