#!/usr/bin/env python3
"""Build fixtures for vendors whose SDK cannot run here, from their documented wire formats.

    python3 scripts/build_documented_fixtures.py

Mobile SDKs (Facebook app events, Adjust, Branch, AppsFlyer, Firebase app-measurement) and
web tags that are not published to npm (Meta Pixel, GA4 gtag, Google Ads / Floodlight,
Snap, X) are written as the requests their formats describe (shared/reference/trackers.md,
vendor docs), carrying the same planted values as the real-SDK captures
(capture_sdk_fixtures.py). Each `<vendor>.planted.json` says `"origin": "documented format"`
and where its format came from. Output is deterministic: the files only change when this
script does.
"""
from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "tests" / "data" / "sdk"
sys.path.insert(0, str(ROOT / "scripts"))

from capture_sdk_fixtures import FIRST_PARTY, PLANTED  # noqa: E402  (one definition of both)

sys.path.insert(0, str(ROOT))
from pixelguard_addon.decoders.protobuf import encode_field as _field  # noqa: E402

PAGE = PLANTED["page_url"]
EMAIL, PHONE, CONDITION = PLANTED["email"], PLANTED["phone"], PLANTED["condition"]
EMAIL_SHA256 = PLANTED["email_sha256"]
PHONE_E164 = "+1" + "".join(c for c in PHONE if c.isdigit())
STARTED = "2026-01-01T12:00:00.000Z"
UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
APP_UA = "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP2A.240905.003)"


def b64url_sha256(text: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).decode().rstrip("=")


def entry(method: str, url: str, body: bytes | str = b"", content_type: str = "", headers=(),
          from_page: bool = True) -> dict:
    all_headers = [("User-Agent", UA if from_page else APP_UA), *headers]
    if from_page:
        all_headers.append(("Referer", "http://portal.test/"))
    if content_type:
        all_headers.append(("Content-Type", content_type))
    request = {"method": method, "url": url, "httpVersion": "HTTP/1.1",
               "headers": [{"name": k, "value": v} for k, v in all_headers],
               "queryString": [], "cookies": [], "headersSize": -1, "bodySize": len(body)}
    if body:
        raw = body.encode() if isinstance(body, str) else body
        try:
            request["postData"] = {"mimeType": content_type, "text": raw.decode("utf-8")}
        except UnicodeDecodeError:
            request["postData"] = {"mimeType": content_type, "text": base64.b64encode(raw).decode(),
                                   "encoding": "base64"}
    return {"pageref": "page_1" if from_page else None, "startedDateTime": STARTED, "time": 0,
            "request": request,
            "response": {"status": 200, "statusText": "", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
                         "content": {"size": 0, "mimeType": ""}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
            "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}}


# -- the formats -------------------------------------------------------------------------------

def meta_pixel() -> list[dict]:
    button = json.dumps({"classList": "btn", "destination": PAGE + "#book", "innerText": f"Book {CONDITION} visit",
                         "tag": "button", "value": ""})
    query = {"id": "1234567890123456", "ev": "SubscribedButtonClick", "dl": PAGE, "rl": "", "if": "false",
             "ts": "1767268800000", "cd[buttonFeatures]": button, "cd[buttonText]": f"Book {CONDITION} visit",
             "cd[patient_email]": EMAIL, "ud[em]": EMAIL_SHA256,
             "udff[ph]": hashlib.sha256("2125550142".encode()).hexdigest(), "sw": "412", "sh": "915", "v": "2.9.180",
             "r": "stable", "ec": "1", "o": "4126", "fbp": "fb.1.1767268800000.123456789", "it": "1767268799000",
             "coo": "false", "es": "automatic", "rqm": "GET"}
    gateway = {"id": "1234567890123456", "ev": "Lead", "dl": PAGE, "cd[content_name]": CONDITION,
               "ud[em]": EMAIL_SHA256, "cd[phone]": PHONE}
    return [entry("GET", "https://www.facebook.com/tr/?" + urlencode(query)),
            # A Conversions API gateway on the site's own domain relays the same hit.
            entry("GET", "https://tracking.portal.test/tr?" + urlencode(gateway))]


def facebook_app_events() -> list[dict]:
    custom_events = json.dumps([{"_eventName": "fb_mobile_search", "fb_search_string": CONDITION,
                                 "fb_content_type": "appointment", "patient_email": EMAIL, "patient_phone": PHONE,
                                 "_logTime": 1767268800, "_implicitlyLogged": "0"}])
    extinfo = json.dumps(["a2", "test.portal.app", 1, "1.0", "14", "Pixel 8", "en_US", "EST", "T-Mobile",
                          412, 915, "2.63", 8, 120, 110, "America/New_York"])
    form = {"event": "CUSTOM_APP_EVENTS", "advertiser_id": "38400000-8cf0-11bd-b23e-10b96e40000d",
            "advertiser_tracking_enabled": "1", "application_tracking_enabled": "1", "anon_id": "XZ1a2b3c4d-5e6f",
            "app_user_id": "patient-1042", "extinfo": extinfo, "custom_events": custom_events,
            "ud": json.dumps({"em": EMAIL_SHA256}), "format": "json", "sdk": "android"}
    return [entry("POST", "https://graph.facebook.com/v19.0/987654321098765/activities", urlencode(form),
                  "application/x-www-form-urlencoded", from_page=False)]


def ga4() -> list[dict]:
    user_data = f"tv.1~em.{b64url_sha256(EMAIL)}~pn.{b64url_sha256(PHONE_E164)}"
    common = {"v": "2", "tid": "G-PGFIXTURE1", "gtm": "45je61c0v9", "_p": "1767268800000", "cid": "1234567890.1767268800",
              "ul": "en-us", "sr": "412x915", "dl": PAGE, "dt": f"{CONDITION} | Portal Test Health", "sid": "1767268800",
              "sct": "1", "seg": "1", "em": user_data}
    lines = [urlencode({"en": "page_view", "_ee": "1"}),
             urlencode({"en": "generate_lead", "ep.reason": CONDITION, "ep.patient_email": EMAIL,
                        "ep.patient_phone": PHONE, "ep.email_sha256": EMAIL_SHA256})]
    gateway = {**common, "en": "form_submit", "ep.reason": CONDITION}
    return [entry("POST", "https://region1.google-analytics.com/g/collect?" + urlencode(common), "\r\n".join(lines),
                  "text/plain;charset=UTF-8"),
            # Server-side GTM on a first-party subdomain: the same protocol, the site's host.
            entry("POST", "https://metrics.portal.test/g/collect?" + urlencode(gateway))]


def google_ads() -> list[dict]:
    matrix = ";".join(f"{k}={quote(v, safe='')}" for k, v in [
        ("src", "1234567"), ("type", "appts0"), ("cat", "hivpr0"), ("u1", CONDITION), ("u2", EMAIL),
        ("ord", "1767268800"), ("~oref", PAGE)])
    data = f"event=conversion;reason={CONDITION};phone={PHONE};em={EMAIL_SHA256}"
    query = {"random": "1767268800", "cv": "11", "fst": "1767268800000", "fmt": "3", "url": PAGE,
             "tiba": f"{CONDITION} | Portal Test Health", "data": data, "em": f"tv.1~em.{b64url_sha256(EMAIL)}"}
    return [entry("GET", f"https://ad.doubleclick.net/activity;{matrix}?"),
            entry("GET", "https://googleads.g.doubleclick.net/pagead/viewthroughconversion/987654321/?" + urlencode(query))]


def snap_pixel() -> list[dict]:
    query = {"pid": "0f1e2d3c-4b5a-4697-8887-96a5b4c3d2e1", "ev": "SIGN_UP", "pl": PAGE, "rf": "",
             "v": "1.5", "ts": "1767268800000", "u_hem": EMAIL_SHA256,
             "u_hpn": hashlib.sha256("12125550142".encode()).hexdigest(), "e_desc": CONDITION,
             "e_email": EMAIL, "e_phone": PHONE, "u_c1": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}
    return [entry("GET", "https://tr.snapchat.com/p?" + urlencode(query))]


def x_pixel() -> list[dict]:
    events = json.dumps([["pageview", {"reason": CONDITION, "patient_email": EMAIL, "patient_phone": PHONE}]])
    device = "&".join(["America/New_York", "en-US", "Google Inc.", "Linux armv8l", "255", "412", "915", "8", "24",
                       "412", "915", "0", "na"])
    query = {"bci": "4", "dv": device, "eci": "3", "event": json.dumps({}), "event_id": "0f1e2d3c-4b5a",
             "events": events, "integration": "advertiser", "p_id": "Twitter", "p_user_id": "0",
             "pl_id": "0f1e2d3c-4b5a-4697-8887-96a5b4c3d2e1", "tw_document_href": PAGE, "tw_iframe_status": "0",
             "txn_id": "o1abc", "type": "javascript", "version": "2.3.30", "email": EMAIL_SHA256}
    return [entry("GET", "https://analytics.twitter.com/i/adsct?" + urlencode(query))]


def adjust() -> list[dict]:
    form = {"app_token": "abc123def456", "event_token": "x1y2z3", "gps_adid": "38400000-8cf0-11bd-b23e-10b96e40000d",
            "android_uuid": "0f1e2d3c-4b5a-4697-8887-96a5b4c3d2e1", "environment": "production",
            "callback_params": json.dumps({"reason": CONDITION, "patient_email": EMAIL}),
            "partner_params": json.dumps({"email_sha256": EMAIL_SHA256, "patient_phone": PHONE}),
            "deeplink": PAGE, "created_at": "2026-01-01T12:00:00.000Z+0000", "os_name": "android"}
    return [entry("POST", "https://app.adjust.com/event", urlencode(form), "application/x-www-form-urlencoded",
                  from_page=False)]


def branch() -> list[dict]:
    body = {"name": "COMPLETE_REGISTRATION", "branch_key": "key_live_0123456789abcdef",
            "user_data": {"os": "Android", "aaid": "38400000-8cf0-11bd-b23e-10b96e40000d",
                          "developer_identity": "patient-1042"},
            "custom_data": {"reason": CONDITION, "patient_email": EMAIL, "patient_phone": PHONE,
                            "email_sha256": EMAIL_SHA256},
            "content_items": [{"$canonical_url": PAGE, "$og_title": CONDITION}]}
    return [entry("POST", "https://api2.branch.io/v2/event/standard", json.dumps(body), "application/json",
                  from_page=False)]


def appsflyer() -> list[dict]:
    # Current SDKs encrypt the event body; these bytes stand in for ciphertext (they are
    # SHA-256 output: as random-looking as AES output, and deterministic).
    opaque = b"".join(hashlib.sha256(f"appsflyer-{i}".encode()).digest() for i in range(24))
    return [entry("POST", "https://inapps.appsflyer.com/api/v6.14/androidevent?app_id=test.portal.app&buildnumber=6.14.0",
                  opaque, "application/octet-stream", from_page=False)]


def firebase() -> list[dict]:
    def param(name: str, value: str) -> bytes:
        return _field(2, _field(1, name) + _field(2, value))

    event = (_field(2, "generate_lead") + param("reason", CONDITION) + param("patient_email", EMAIL)
             + param("email_sha256", EMAIL_SHA256) + param("patient_phone", PHONE) + param("page_location", PAGE)
             + _field(4, 1767268800000))
    screen = _field(2, "screen_view") + param("firebase_screen", "HivPrepScreen") + _field(4, 1767268799000)
    bundle = (_field(1, 1) + _field(2, screen) + _field(2, event) + _field(8, "android") + _field(9, "14")
              + _field(14, "test.portal.app") + _field(19, "38400000-8cf0-11bd-b23e-10b96e40000d")
              + _field(27, "0f1e2d3c4b5a46978887"))
    return [entry("POST", "https://app-measurement.com/a", _field(1, bundle), "application/x-www-form-urlencoded",
                  from_page=False)]


FIXTURES = {
    "meta_pixel": (meta_pixel, "Meta Pixel `/tr` query (trackers.md §2.1, Meta docs); second request through a "
                               "first-party Conversions API gateway"),
    "meta_graph_api": (facebook_app_events, "Facebook SDK app events `/activities` form with `custom_events` and "
                                            "`extinfo` JSON strings (Meta docs 'Application Activities', TrackHAR)"),
    "ga": (ga4, "GA4 gtag batch: common parameters in the query, one form-encoded event per body line, user-provided "
                "data `em=tv.1~…` (trackers.md §2.1); second request through server-side GTM on the site's domain"),
    "google_ads": (google_ads, "Floodlight `;` matrix parameters and Google Ads conversion `data=…;…` "
                              "(trackers.md §2.1)"),
    "snap_pixel": (snap_pixel, "Snap Pixel legacy GET `/p` (trackers.md §2.1)"),
    "x_pixel": (x_pixel, "X `/i/adsct` with `events` JSON and the `&`-joined `dv` device string (trackers.md §2.1)"),
    "adjust": (adjust, "Adjust `/event` form, `callback_params` / `partner_params` JSON strings (TrackHAR)"),
    "branch": (branch, "Branch v2 event JSON (Branch docs, TrackHAR)"),
    "appsflyer": (appsflyer, "AppsFlyer SDK event with an encrypted body (the planted values are inside the "
                             "ciphertext, so only PG-UNINSPECTABLE can be expected)"),
    "firebase": (firebase, "app-measurement `/a` protobuf: bundle field 1, app id 14, advertising id 19, "
                           "developer-scoped id 27 (TrackHAR); event (2) and parameter layout assumed"),
}


# Planted values a format has no place for (kind → why), so the tests do not expect them.
NOT_IN_FORMAT = {
    "meta_graph_api": {"page_url": "app events describe an app, not a page"},
    "firebase": {"page_url": "a parameter's name and value are sibling protobuf fields: the URL is decoded and "
                             "its path flagged as a condition, but no key says it is a page URL"},
    "appsflyer": {kind: "inside the encrypted body" for kind in ("condition", "email", "email_sha256", "phone",
                                                                 "page_url")},
}


def write(vendor: str) -> None:
    build, how = FIXTURES[vendor]
    entries = build()
    har = {"log": {"version": "1.2",
                   "creator": {"name": "pixelguard build_documented_fixtures.py", "version": "1", "comment": vendor},
                   "pages": [{"id": "page_1", "title": PAGE, "startedDateTime": STARTED, "pageTimings": {}}],
                   "entries": entries}}
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / f"{vendor}.har").write_text(json.dumps(har, indent=1, ensure_ascii=False) + "\n")
    planted_path = OUT_DIR / f"{vendor}.planted.json"
    expect = json.loads(planted_path.read_text()).get("expect", []) if planted_path.exists() else []
    planted = {"vendor": vendor, "origin": "documented format", "sdk": None,
               "how": f"scripts/build_documented_fixtures.py: {how}", "planted": PLANTED,
               "first_party": FIRST_PARTY, "not_in_format": NOT_IN_FORMAT.get(vendor, {}), "expect": expect}
    planted_path.write_text(json.dumps(planted, indent=1) + "\n")
    print(f"{vendor}: {len(entries)} requests")


def main() -> int:
    for vendor in FIXTURES:
        write(vendor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
