#!/usr/bin/env python3
"""Build pixelguard_addon/demo/portal-session.har: a patient-portal session that leaks.

The payloads follow the shapes of real tracker traffic (../shared/reference/trackers.md):
Meta Pixel GET with `udff[]` SHA-256 values and `cd[...]` JSON, a GA4 batch (common
parameters in the query, one url-encoded event per line in a text/plain body), a TikTok
JSON beacon, a Mixpanel `data=` base64 form, a gzip session-replay upload. The test
patient is fictional and declared in pixelguard_addon/demo/policy.toml. Deterministic:
re-running it rewrites the same file.

    python3 scripts/make_demo_capture.py
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

OUT = Path(__file__).resolve().parent.parent / "pixelguard_addon" / "demo" / "portal-session.har"
SITE = "https://www.mercyvalley-health.org"
PORTAL = "https://mychart.mercyvalley-health.org"
PATIENT = {
    "first_name": "Ida", "last_name": "Tarbell", "email": "Ida.Tarbell.Test@example.org",
    "phone": "(212) 555-1212", "dob": "1971-01-01", "zip": "10013", "mrn": "MV00482913",
}
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def entry(page: str, method: str, url: str, body: str | None = None, mime: str = "text/plain;charset=UTF-8",
          extra_headers: list[tuple[str, str]] = (), base64_body: bool = False, second: int = 0) -> dict:
    parts = urlsplit(url)
    headers = [("Host", parts.netloc), ("User-Agent", UA), ("Accept", "*/*"),
               ("Referer", page if parts.netloc.endswith("mercyvalley-health.org") else _origin(page) + "/"),
               *extra_headers]
    request = {
        "method": method, "url": url, "httpVersion": "HTTP/1.1",
        "headers": [{"name": k, "value": v} for k, v in headers],
        "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0,
    }
    if body is not None:
        request["postData"] = {"mimeType": mime, "text": body}
        if base64_body:
            request["postData"]["encoding"] = "base64"
        request["bodySize"] = len(base64.b64decode(body)) if base64_body else len(body.encode())
    return {
        "pageref": page, "startedDateTime": f"2026-11-20T15:04:{second:02d}.000Z", "time": 42,
        "request": request,
        "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
                     "content": {"size": 0, "mimeType": "text/plain"}, "redirectURL": "", "headersSize": -1,
                     "bodySize": 0},
        "cache": {}, "timings": {"send": 0, "wait": 42, "receive": 0},
    }


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def meta_pixel(page: str, event: str, second: int, **params: str) -> dict:
    query = {"id": "1234567890123456", "ev": event, "dl": page, "rl": "", "if": "false", "ts": "1763651040000",
             "sw": "1280", "sh": "800", "v": "2.9.176", "r": "stable", "ec": "1", "o": "4126", "fbp": "fb.1.1763651000.987654321",
             "it": "1763651039000", "coo": "false", "rqm": "GET", **params}
    return entry(page, "GET", "https://www.facebook.com/tr/?" + urlencode(query), second=second)


def build() -> dict:
    condition_page = f"{SITE}/conditions/hiv-prep"
    search_page = f"{SITE}/find-a-doctor?specialty=oncology&q=breast+cancer"
    form_page = f"{SITE}/appointments/request"
    portal_page = f"{PORTAL}/MyChart/app/test-results"
    home = f"{SITE}/"
    email = PATIENT["email"].strip().lower()
    phone_digits = "12125551212"
    entries = [
        # Home page: a tracker hit that carries nothing sensitive must not be a finding.
        meta_pixel(home, "PageView", 1, **{"cd[pageFeatures]": json.dumps({"title": "Mercy Valley Health | Home"})}),
        entry(home, "GET", "https://fonts.gstatic.com/s/inter/v13/UcCO3FwrK3iLTeHuS_fvQtMwCp50KnMw2boKoduKmMEVuLyfAZ9hiA.woff2", second=1),
        # Public condition page: page URL and title name a condition.
        meta_pixel(condition_page, "PageView", 2,
                   **{"cd[pageFeatures]": json.dumps({"title": "HIV PrEP Clinic | Mercy Valley Health"})}),
        entry(condition_page, "GET", "https://region1.google-analytics.com/g/collect?" + urlencode({
            "v": "2", "tid": "G-MVH2026XYZ", "gtm": "45je5b20v9", "_p": "1763651041", "cid": "1875522231.1763651000",
            "ul": "en-us", "sr": "1280x800", "_s": "1", "sid": "1763651000", "sct": "1", "seg": "0",
            "dl": condition_page, "dt": "HIV PrEP Clinic | Mercy Valley Health", "en": "page_view"}), second=3),
        # Find-a-doctor search: the search term goes out in a GA4 batch (text/plain, one event per line).
        entry(search_page, "POST", "https://region1.google-analytics.com/g/collect?" + urlencode({
            "v": "2", "tid": "G-MVH2026XYZ", "cid": "1875522231.1763651000", "sid": "1763651000", "sct": "1",
            "dl": search_page, "dt": "Find a Doctor | Mercy Valley Health"}),
            body="\n".join([urlencode({"en": "page_view", "_et": "12"}),
                            urlencode({"en": "search", "ep.search_term": "breast cancer", "_et": "3120"}),
                            urlencode({"en": "view_search_results", "epn.results": "14"})]), second=4),
        # Appointment request form: Meta's automatic advanced matching hashes what the patient typed.
        meta_pixel(form_page, "SubscribedButtonClick", 5, **{
            "cd[buttonFeatures]": json.dumps({"classList": "btn btn-primary", "destination": "", "id": "submit-appt",
                                              "imageUrl": "", "innerText": "Request HIV PrEP follow-up", "numChildButtons": 0,
                                              "tag": "button", "type": "submit", "name": "", "value": ""}),
            "cd[buttonText]": "Request HIV PrEP follow-up",
            "cd[formFeatures]": json.dumps([{"id": "reason", "name": "reason", "tag": "textarea", "placeholder": "Reason for visit"}]),
            "es": "automatic", "tm": "3",
            "udff[em]": sha256(email), "udff[ph]": sha256(phone_digits),
            "udff[fn]": sha256("ida"), "udff[ln]": sha256("tarbell"),
        }),
        entry(form_page, "POST", "https://analytics.tiktok.com/api/v2/pixel", body=json.dumps({
            "event": "SubmitForm", "message_id": "messageId-1763651045-7781", "event_id": "",
            "is_onsite": False, "timestamp": "2026-11-20T15:04:05.120Z",
            "context": {"ad": {}, "device": {"platform": "pc"}, "library": {"name": "pixel.js", "version": "2.2.1"},
                        "page": {"url": form_page, "referrer": condition_page},
                        "pixel": {"code": "CMVH2026TTXYZ"},
                        "user": {"anonymous_id": "5Jp8-1763651000", "email": sha256(email)}},
            "properties": {"content_name": "Appointment request: HIV PrEP follow-up", "content_category": "infectious disease"},
        }), second=6),
        # First-party appointment API: carries PHI, and that is fine — it goes to the hospital itself.
        entry(form_page, "POST", f"{SITE}/api/appointments", mime="application/json", body=json.dumps({
            "patient": {"firstName": PATIENT["first_name"], "lastName": PATIENT["last_name"], "email": PATIENT["email"],
                        "phone": PATIENT["phone"], "dob": PATIENT["dob"], "mrn": PATIENT["mrn"]},
            "reason": "HIV PrEP follow-up, Truvada refill", "department": "Infectious Disease"}),
            extra_headers=[("Origin", SITE), ("Content-Type", "application/json")], second=7),
        # Authenticated portal: product analytics with the page URL and a medication, base64 in a form.
        entry(portal_page, "POST", "https://api-js.mixpanel.com/track/?verbose=1&ip=1&_=1763651048000",
              mime="application/x-www-form-urlencoded",
              body="data=" + quote(base64.b64encode(json.dumps([{
                  "event": "Viewed Result", "properties": {
                      "$current_url": portal_page, "$browser": "Chrome", "distinct_id": "18c2a7f1e4b-0d1e2f",
                      "token": "3f6c1a2b9d8e7f60a1b2c3d4e5f60718", "result_name": "HIV-1 RNA viral load",
                      "medication": "Truvada", "time": 1763651048}}]).encode()).decode()),
              extra_headers=[("Origin", PORTAL), ("Content-Type", "application/x-www-form-urlencoded")], second=8),
        # Session replay upload, gzip-compressed with only magic bytes to tell (text/plain).
        entry(portal_page, "POST", "https://content.hotjar.io/?site_id=3712994&gzip=1",
              body=base64.b64encode(gzip.compress(json.dumps({"events": [
                  {"type": "input", "selector": "#message-to-care-team", "text": "My PrEP prescription ran out, "
                   "please call me at (212) 555-1212"}, {"type": "page", "url": portal_page}]}).encode(), mtime=0)).decode(),
              base64_body=True, extra_headers=[("Origin", PORTAL)], second=9),
    ]
    pages = [home, condition_page, search_page, form_page, portal_page]
    page_ids = {url: f"page_{number}" for number, url in enumerate(pages, 1)}
    for item in entries:  # Chrome names pages page_N and keeps the URL in the title
        item["pageref"] = page_ids[item["pageref"]]
    return {"log": {
        "version": "1.2", "creator": {"name": "pixelguard demo generator", "version": "1"},
        "pages": [{"startedDateTime": "2026-11-20T15:04:00.000Z", "id": page_ids[url], "title": url,
                   "pageTimings": {}}
                  for url in pages],
        "entries": entries,
    }}


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(build(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
