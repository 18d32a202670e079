"""The identity of a leak: stable across page views, runs and array positions; no values in it."""
from __future__ import annotations

import dataclasses

from pixelguard_addon.fingerprint import fingerprint, fingerprint_parts, normalise_chain, page_path
from pixelguard_addon.model import Finding

BASE = Finding(rule_id="PG-PHI-CONDITION", category="condition", severity="high", vendor="Hotjar", vendor_id="hotjar",
               method="POST", url="https://content.hotjar.io/?site_id=•••", host="content.hotjar.io",
               page_url="https://mychart.example.org/MyChart/results?id=•••", chain="body(gzip) → json → events[0].text",
               evidence="…PrEP…", source="a.har", index=3)


def test_array_positions_are_dropped_named_keys_kept():
    assert normalise_chain("body → ndjson[3] → json → events[12].args[0]") == "body → ndjson[] → json → events[].args[]"
    assert normalise_chain("query.cd[buttonText] → json → innerText") == "query.cd[buttonText] → json → innerText"
    assert normalise_chain("query.ud[em]") == "query.ud[em]"


def test_same_leak_on_other_page_views_and_positions_is_the_same():
    other = dataclasses.replace(BASE, index=40, source="b.har", chain="body(gzip) → json → events[7].text",
                                evidence="…HIV…", confidence=0.5, url="https://content.hotjar.io/?x=•••",
                                page_url="https://mychart.example.org/MyChart/results?other=•••", revealed="raw")
    assert fingerprint(other) == fingerprint(BASE)


def test_rule_vendor_host_field_or_page_path_make_a_different_leak():
    for change in (dict(rule_id="PG-ID-EMAIL"), dict(vendor_id="fullstory"), dict(host="in.hotjar.com"),
                   dict(chain="body(gzip) → json → events[0].url"), dict(page_url="https://mychart.example.org/MyChart/bills")):
        assert fingerprint(dataclasses.replace(BASE, **change)) != fingerprint(BASE), change


def test_parts_hold_no_value_and_no_query():
    parts = fingerprint_parts(BASE)
    assert parts == ("PG-PHI-CONDITION", "hotjar", "content.hotjar.io", "body(gzip) → json → events[].text",
                     "/MyChart/results")
    assert fingerprint(BASE).startswith("pg1:") and len(fingerprint(BASE)) == 4 + 24


def test_unknown_vendor_uses_its_name_and_host_case_is_ignored():
    unknown = dataclasses.replace(BASE, vendor_id="", vendor="cdn-metrics.net", host="X.CDN-Metrics.net")
    assert fingerprint_parts(unknown)[1:3] == ("cdn-metrics.net", "x.cdn-metrics.net")


def test_page_path():
    assert page_path(None) == "" and page_path("https://a.org") == "/" and page_path("http://[::1") == ""
