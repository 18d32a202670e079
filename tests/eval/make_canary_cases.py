#!/usr/bin/env python3
"""Writes tests/eval/cases/canaries.json: the evaluation patient's values (tests/eval/policy.toml)
as each vendor sends them — normalised the vendor's way, hashed or encoded — inside that vendor's
real request shape. Computed here with hashlib and base64 only, never with pixelguard's code, so
the evaluation checks the detector against an independent reading of trackers.md §2.2.

    python tests/eval/make_canary_cases.py   # rewrites cases/canaries.json
"""
from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from urllib.parse import quote

OUT = Path(__file__).resolve().parent / "cases" / "canaries.json"
PAGE = "https://www.mercyvalley-health.org/request-an-appointment"
PIXEL = ("https://www.facebook.com/tr/?id=1234567890123456&ev=Lead&dl=" + quote(PAGE, safe="")
         + "&rl=&if=false&ts=1700000000123&v=2.9.174&r=stable&ec=2&o=4126&fbp=fb.1.1700000000123.1987654321"
         "&it=1700000000001&coo=false&es=automatic{params}&rqm=GET")
GA = ("https://www.google.com/ccm/collect?frm=0&en=conversion&dl=" + quote(PAGE, safe="")
      + "&scrsrc=www.googletagmanager.com&rnd=1234567890.1700000000&dt=Request%20an%20appointment"
      "&auid=1234567890.1700000000&navt=n&npa=0&gtm=45be3b10&gcs=G111&gcd=13r3r3r3r5&dma=0&tag_exp=0&em={em}")


UNKNOWN_HOSTS = ("collect.adnetwork.example.com", "prod.uidapi.com")


def sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def hexd(digest: bytes) -> str:
    return digest.hex()


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def b64url(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def request(name: str, method: str, url: str, expect: list[str], body=None, content_type: str = "") -> dict:
    item = {"name": name, "method": method, "url": url, "page_url": PAGE}
    if body is not None:
        item["json" if isinstance(body, (dict, list)) else "body"] = body
        item["headers"] = [["Content-Type", content_type or ("application/json" if isinstance(body, dict) else "text/plain")]]
    # the page is the hospital's appointment page: a known tracker hit from it is an entry-page
    # finding too; an unknown collector's hit is judged by its payload only
    known = not any(host in url for host in UNKNOWN_HOSTS)
    item["expect"] = sorted(expect + ["context:entry-page"] * known)
    return item


def meta(name: str, params: dict[str, str], expect: list[str]) -> dict:
    query = "".join(f"&{key}={quote(value, safe='')}" for key, value in params.items())
    return request(f"Meta pixel: {name}", "GET", PIXEL.format(params=query), expect)


def cases() -> list[dict]:
    out = [
        # Meta: lower-case + trim, SHA-256 hex; phone digits without country code (as captured)
        meta("ud[em] SHA-256 of lower-cased e-mail", {"ud[em]": hexd(sha256("ida.tarbell.test@gmail.com"))}, ["test-patient:email"]),
        meta("udff[em] upper-case hex", {"udff[em]": hexd(sha256("ida.tarbell.test@gmail.com")).upper()}, ["test-patient:email"]),
        meta("ud[ph] SHA-256 of national digits", {"ud[ph]": hexd(sha256("2125551212"))}, ["test-patient:phone"]),
        meta("ud[fn] / ud[ln] SHA-256", {"ud[fn]": hexd(sha256("ida")), "ud[ln]": hexd(sha256("tarbell"))},
             ["test-patient:first_name", "test-patient:last_name"]),
        meta("ud[db] SHA-256 of YYYYMMDD", {"ud[db]": hexd(sha256("19710101"))}, ["test-patient:dob"]),
        meta("ud[ct] / ud[st] / ud[zp]", {"ud[ct]": hexd(sha256("newyork")), "ud[st]": hexd(sha256("ny")),
                                           "ud[zp]": hexd(sha256("10013"))},
             ["test-patient:city", "test-patient:state", "test-patient:zip"]),
        meta("udff[fn] raw (automatic advanced matching before hashing)", {"udff[fn]": "Ida"}, ["test-patient:first_name"]),
        meta("cd[formFeatures] raw e-mail typed into a form",
             {"cd[buttonFeatures]": json.dumps({"innerText": "Submit", "value": "Ida.Tarbell.Test@Gmail.com"})},
             ["test-patient:email"]),
        meta("MD5 of e-mail (accepted by Meta)", {"ud[em]": hexd(hashlib.md5(b"ida.tarbell.test@gmail.com").digest())},
             ["test-patient:email"]),
        # Meta Conversions API through a first-party gateway: f5first, f5last, fi, doby, dobm, dobd
        request("Meta CAPI: f5first, fi, f5last, doby/dobm/dobd", "POST",
                "https://graph.facebook.com/v18.0/1234567890123456/events",
                ["test-patient:dob", "test-patient:first_name", "test-patient:last_name"],
                {"data": [{"event_name": "Lead", "event_time": 1700000000, "action_source": "website",
                           "event_source_url": PAGE,
                           "user_data": {"f5first": hexd(sha256("ida")), "fi": hexd(sha256("i")),
                                         "f5last": hexd(sha256("tarbe")), "doby": hexd(sha256("1971")),
                                         "dobm": hexd(sha256("01")), "dobd": hexd(sha256("01")),
                                         "client_user_agent": "Mozilla/5.0", "fbp": "fb.1.1700000000123.1987654321"}}]}),
        # Google: Gmail dots removed, SHA-256, unpadded base64url in tv.1~; phone E.164
        request("Google ccm: tv.1~em (Gmail-normalised, base64url)", "GET",
                GA.format(em="tv.1~em." + b64url(sha256("idatarbelltest@gmail.com"))), ["test-patient:email"]),
        request("Google ccm: tv.1~pn (E.164, base64url)", "GET",
                GA.format(em="tv.1~pn." + b64url(sha256("+12125551212"))), ["test-patient:phone"]),
        request("Google ccm: fn0/ln0 and plaintext pc0", "GET",
                GA.format(em="tv.1~fn0." + b64url(sha256("ida")) + "~ln0." + b64url(sha256("tarbell")) + "~pc0.10013~co0.us"),
                ["test-patient:first_name", "test-patient:last_name", "test-patient:zip"]),
        request("Google ads: street address hashed", "GET",
                "https://www.google.com/pagead/1p-conversion/987654321/?random=1700000000&cv=11&fst=1700000000123"
                "&fmt=3&bg=ffffff&guid=ON&async=1&gtm=45be3b10&u_w=1920&u_h=1080&url=" + quote(PAGE, safe="")
                + "&label=AbCdEfGhIjK&sa=" + hexd(sha256("221 baker street")),
                ["test-patient:street"]),
        # UID2 / EUID: Gmail dots and +tag removed, SHA-256, standard base64
        request("UID2 token request: base64 SHA-256", "POST", "https://prod.uidapi.com/v2/token/generate",
                ["test-patient:email"], {"email_hash": b64(sha256("idatarbelltest@gmail.com")), "optout_check": 1}),
        # TikTok: SHA-256 hex of e-mail and of phone with country code
        request("TikTok pixel: hashed e-mail and phone", "POST", "https://analytics.tiktok.com/api/v2/pixel",
                ["test-patient:email", "test-patient:phone"],
                {"event": "SubmitForm", "context": {"page": {"url": PAGE}, "pixel": {"code": "C1ABC23DEF456GH"},
                                                     "user": {"anonymous_id": "ABCdef123_ghiJKL456",
                                                              "email": hexd(sha256("ida.tarbell.test@gmail.com")),
                                                              "phone_number": hexd(sha256("+12125551212"))}},
                 "properties": {}, "timestamp": "2024-05-01T10:00:00.123Z"}, "text/plain"),
        # Snap: u_hem SHA-256 of e-mail; u_hpn SHA-256 of digits with country code
        request("Snap pixel: u_hem and u_hpn", "POST", "https://tr.snapchat.com/p",
                ["test-patient:email", "test-patient:phone"],
                {"ctx": {"url": PAGE}, "req": [{"t": {"pid": "a1b2c3d4-e5f6-7a8b-9c0d-e1f2a3b4c5d6", "ev": "SIGN_UP",
                                                      "u_hem": hexd(sha256("ida.tarbell.test@gmail.com")),
                                                      "u_hpn": hexd(sha256("12125551212"))}}]}, "text/plain"),
        # raw and encoded forms in analytics payloads
        request("Segment identify: raw traits", "POST", "https://api.segment.io/v1/i",
                ["test-patient:email", "test-patient:phone", "test-patient:dob", "test-patient:mrn"],
                {"type": "identify", "userId": "MV00482913", "traits": {"email": "Ida.Tarbell.Test@Gmail.com",
                 "phone": "(212) 555-1212", "birthday": "01/01/1971"}, "anonymousId": "5f0a6f3e-8d1b-4c39-9a57-2f1c6d0e9b41"}),
        request("Mixpanel: base64 JSON with the reason typed", "POST", "https://api-js.mixpanel.com/track/?verbose=1&ip=1",
                ["test-patient:reason", "condition"],
                "data=" + quote(base64.b64encode(json.dumps([{"event": "Appointment Requested", "properties": {
                    "reason": "PrEP follow-up", "distinct_id": "18b3c4d5e6f7-0a1b2c3d4e5f6", "token": "0123456789abcdef"}}])
                    .encode()).decode(), safe=""), "application/x-www-form-urlencoded"),
        request("GA4: URL-encoded e-mail in the page URL", "GET",
                "https://region1.google-analytics.com/g/collect?v=2&tid=G-ABC123DEF4&cid=123456789.1700000000&en=page_view"
                "&dl=" + quote(PAGE + "/thanks?email=Ida.Tarbell.Test%40Gmail.com&member=XQH771234567", safe="")
                + "&dt=Thank%20you", ["test-patient:email", "test-patient:member_id"]),
        request("custom collector: base64 of the raw e-mail", "GET",
                "https://collect.adnetwork.example.com/px?pid=883&u=" + base64.b64encode(b"Ida.Tarbell.Test@Gmail.com").decode()
                + "&ts=1700000000", ["test-patient:email"]),
        request("custom collector: SHA-1 and SHA-512 hex", "GET",
                "https://collect.adnetwork.example.com/px?pid=883&h1=" + hashlib.sha1(b"ida.tarbell.test@gmail.com").hexdigest()
                + "&h5=" + hashlib.sha512(b"2125551212").hexdigest(), ["test-patient:email", "test-patient:phone"]),
        request("custom collector: SHA-256 base64 with padding in a JSON body", "POST",
                "https://collect.adnetwork.example.com/v1/match", ["test-patient:last_name"],
                {"ids": [{"type": "ln", "value": b64(sha256("tarbell"))}]}),
        request("LinkedIn: member typed into a form field", "POST", "https://px.ads.linkedin.com/wa/",
                ["test-patient:street", "test-patient:city"],
                {"pids": [1234567], "url": PAGE, "signalType": "CLICK", "domAttributes": {
                    "innerText": "Use 221 Baker Street, New York as my address", "tagName": "BUTTON"}}, "text/plain"),
        request("replay of a name typed in capitals", "POST", "https://collect.adnetwork.example.com/v1/replay",
                ["test-patient:name"], {"events": [{"t": "input", "v": "IDA TARBELL"}]}),
    ]
    return out


if __name__ == "__main__":
    OUT.write_text(json.dumps({
        "description": "The evaluation patient's values as each vendor sends them (generated by make_canary_cases.py).",
        "requests": cases()}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
