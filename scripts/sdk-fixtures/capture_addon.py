"""mitmproxy addon for scripts/capture_sdk_fixtures.py: the whole internet, played locally.

    mitmdump -s capture_addon.py --set connection_strategy=lazy --set pg_bundles=DIR

* `http://portal.test/conditions/hiv-prep` is the planted page; `/sdk/<vendor>.js` its SDK
  bundle from `pg_bundles`; `/api/…` a first-party API the page calls.
* Every other request (the SDKs' https vendor hosts) is answered here with a small stub the
  SDK accepts, so nothing leaves the machine, and is recorded.
* `http://pg.control/start?vendor=<name>&page=<json>` starts a vendor's run;
  `http://pg.control/har` returns what was recorded since, as HAR (request bodies as sent:
  text, or base64 for binary).
"""
from __future__ import annotations

import base64
import json
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from mitmproxy import ctx, http

PAGE_HOST = "portal.test"
CONTROL_HOST = "pg.control"

# (host suffix, path prefix) → (status, content type, body). First match wins; else 200 {}.
STUBS = [
    ("cdn.segment.com", "/v1/projects/", 200, "application/json", json.dumps({
        "integrations": {"Segment.io": {"apiKey": "PGfixtureWriteKey0123456789abcd", "apiHost": "api.segment.io/v1",
                                        "protocol": "https"}},
        "plan": {"track": {"__default": {"enabled": True}}, "identify": {"__default": {"enabled": True}}},
        "edgeFunction": {}, "analyticsNextEnabled": True})),
    ("posthog.com", "/decide", 200, "application/json", json.dumps({
        "config": {"enable_collect_everything": False}, "supportedCompression": ["lz64"],
        "featureFlags": {}, "sessionRecording": False, "editorParams": {}, "toolbarParams": {},
        "isAuthenticated": False})),
    ("posthog.com", "/flags", 200, "application/json", json.dumps({
        "flags": {}, "featureFlags": {}, "errorsWhileComputingFlags": False})),
    ("posthog.com", "/array/", 200, "application/json", json.dumps({
        "supportedCompression": ["gzip", "gzip-js"], "sessionRecording": False, "autocapture_opt_out": True})),
    ("mixpanel.com", "/", 200, "application/json", json.dumps({"status": 1, "error": None})),
    ("amplitude.com", "/", 200, "application/json", json.dumps({"code": 200, "events_ingested": 1,
                                                                 "payload_size_bytes": 1, "server_upload_time": 1})),
    ("nr-data.net", "/1/", 200, "application/json", json.dumps({
        "st": int(time.time() * 1000), "stn": 1, "err": 1, "ins": 1, "spa": 1, "cap": 1, "sr": 0, "srs": 0,
        "loaded": 1, "app": {"agents": [{"entityGuid": "MzAxMjM0NXxCUk9XU0VSfEFQUExJQ0FUSU9OfDYwMTIzNDU2Nw"}],
                             "nrServerTime": int(time.time() * 1000)}})),
    ("applicationinsights.azure.com", "/", 200, "application/json",
     json.dumps({"itemsReceived": 1, "itemsAccepted": 1, "errors": []})),
    ("rollbar.com", "/", 200, "application/json", json.dumps({"err": 0, "result": {"uuid": "0" * 32}})),
    ("plausible.io", "/", 202, "text/plain", "ok"),
    ("countly.portal.test", "/i", 200, "application/json", json.dumps({"result": "Success"})),
]


def _cors(request: http.Request) -> dict[str, str]:
    return {
        "Access-Control-Allow-Origin": request.headers.get("Origin", "*"),
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Allow-Headers": request.headers.get("Access-Control-Request-Headers", "*"),
        "Access-Control-Allow-Methods": "GET, POST, PUT, OPTIONS",
    }


class Capture:
    def __init__(self) -> None:
        self.vendor = ""
        self.page = ""
        self.flows: list[http.HTTPFlow] = []

    def load(self, loader) -> None:
        loader.add_option("pg_bundles", str, "", "directory of <vendor>.js SDK bundles")

    def request(self, flow: http.HTTPFlow) -> None:
        host = flow.request.pretty_host
        if host == CONTROL_HOST:
            self._control(flow)
        elif host == PAGE_HOST:
            self._page(flow)
        else:
            self._vendor(flow)

    def _control(self, flow: http.HTTPFlow) -> None:
        url = urlsplit(flow.request.url)
        if url.path == "/start":
            query = parse_qs(url.query)
            self.vendor = query["vendor"][0]
            self.page = query["page"][0]
            self.flows = []
            flow.response = http.Response.make(200, b"started", {"Content-Type": "text/plain"})
        elif url.path == "/har":
            body = json.dumps(self._har()).encode()
            flow.response = http.Response.make(200, body, {"Content-Type": "application/json"})
        else:
            flow.response = http.Response.make(404)

    def _page(self, flow: http.HTTPFlow) -> None:
        path = flow.request.path.split("?", 1)[0]
        if path == "/conditions/hiv-prep":
            flow.response = http.Response.make(200, self.page.encode(), {"Content-Type": "text/html; charset=utf-8"})
        elif path.startswith("/sdk/"):
            bundle = Path(ctx.options.pg_bundles) / Path(path).name
            flow.response = http.Response.make(200, bundle.read_bytes(), {"Content-Type": "text/javascript"})
        elif path.startswith("/api/"):
            flow.response = http.Response.make(200, b'{"ok":true}', {"Content-Type": "application/json"})
        else:
            flow.response = http.Response.make(404, b"", {"Content-Type": "text/plain"})

    def _vendor(self, flow: http.HTTPFlow) -> None:
        request = flow.request
        if request.method == "OPTIONS":
            flow.response = http.Response.make(204, b"", _cors(request))
            return
        status, content_type, body = 200, "application/json", "{}"
        for suffix, prefix, *answer in STUBS:
            if request.pretty_host.endswith(suffix) and request.path.startswith(prefix):
                status, content_type, body = answer
                break
        if request.path.split("?")[0].endswith(".js"):  # remote config as a script (PostHog config.js)
            status, content_type, body = 200, "text/javascript", "/* pixelguard capture: no remote config */"
        flow.response = http.Response.make(status, body.encode(), {"Content-Type": content_type, **_cors(request)})
        self.flows.append(flow)

    def _har(self) -> dict:
        page_url = f"http://{PAGE_HOST}/conditions/hiv-prep"
        return {"log": {
            "version": "1.2",
            "creator": {"name": "pixelguard capture_sdk_fixtures.py", "version": "1", "comment": self.vendor},
            "pages": [{"id": "page_1", "title": page_url, "startedDateTime": _iso(self.flows[0].request.timestamp_start)
                       if self.flows else _iso(time.time()), "pageTimings": {}}],
            "entries": [_entry(flow) for flow in self.flows],
        }}


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _entry(flow: http.HTTPFlow) -> dict:
    request = flow.request
    entry_request = {
        "method": request.method,
        "url": request.url,
        "httpVersion": request.http_version,
        "headers": [{"name": k, "value": v} for k, v in request.headers.items(multi=True)],
        "queryString": [{"name": k, "value": v} for k, v in request.query.items(multi=True)],
        "cookies": [],
        "headersSize": -1,
        "bodySize": len(request.raw_content or b""),
    }
    raw = request.raw_content or b""
    if raw:
        mime = request.headers.get("Content-Type", "")
        try:
            entry_request["postData"] = {"mimeType": mime, "text": raw.decode("utf-8")}
        except UnicodeDecodeError:  # gzip, protobuf …: kept byte for byte
            entry_request["postData"] = {"mimeType": mime, "text": base64.b64encode(raw).decode(),
                                         "encoding": "base64"}
    return {
        "pageref": "page_1",
        "startedDateTime": _iso(request.timestamp_start),
        "time": 0,
        "request": entry_request,
        "response": {"status": flow.response.status_code if flow.response else 0, "statusText": "",
                     "httpVersion": request.http_version, "headers": [], "cookies": [],
                     "content": {"size": 0, "mimeType": ""}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
        "cache": {},
        "timings": {"send": 0, "wait": 0, "receive": 0},
    }


addons = [Capture()]
