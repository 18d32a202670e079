"""Fixtures recorded from real vendor SDKs (and, where no SDK can run here, built from the
documented format): every planted value is found, by the right decode chain, for the right vendor.

The fixtures and their expectations are in tests/data/sdk; scripts/capture_sdk_fixtures.py and
scripts/build_documented_fixtures.py made them.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pixelguard_addon.catalog import load_catalog

from .fixtures import fixture_names, inspections, load, planted_kind

NAMES = fixture_names()
PLANTED_KINDS = {"condition", "email", "email_sha256", "phone", "page_url"}
ORIGINS = {"real SDK capture", "documented format"}
PACKAGE_JSON = Path(__file__).resolve().parents[2] / "scripts" / "sdk-fixtures" / "package.json"


def findings(name: str):
    return [finding for inspection in inspections(name) for finding in inspection.findings]


def test_there_are_fixtures_from_real_sdks_and_from_documented_formats():
    origins = [load(name).origin for name in NAMES]
    assert origins.count("real SDK capture") >= 12 and origins.count("documented format") >= 8


@pytest.mark.parametrize("name", NAMES)
def test_fixture_reads_cleanly(name):
    requests = inspections(name)
    assert requests, "fixture holds no request"
    assert not any(inspection.partial for inspection in requests)


@pytest.mark.parametrize("name", NAMES)
def test_every_planted_value_is_found(name):
    fixture = load(name)
    expected = PLANTED_KINDS - set(fixture.planted.get("not_in_format", {}))
    found = {planted_kind(finding) for finding in findings(name)}
    assert expected <= found, f"missing: {sorted(expected - found)}"


@pytest.mark.parametrize("name", NAMES)
def test_expected_findings_with_their_chain_and_vendor(name):
    fixture = load(name)
    assert fixture.planted["expect"], "no expectations written for this fixture"
    have = {(f.rule_id, f.vendor_id, f.vendor, f.host, f.chain) for f in findings(name)}
    for expect in fixture.planted["expect"]:
        assert expect["vendor_id"] == fixture.vendor
        key = (expect["rule_id"], expect["vendor_id"], expect["vendor"], expect["host"], expect["chain"])
        assert key in have, f"no {expect['planted']} finding {key}"


@pytest.mark.parametrize("name", NAMES)
def test_fixture_origin_is_declared(name):
    fixture = load(name)
    assert fixture.origin in ORIGINS
    if fixture.origin == "real SDK capture":
        package, _, version = fixture.planted["sdk"].rpartition("@")
        versions = set(json.loads(PACKAGE_JSON.read_text())["dependencies"].values())
        assert version in versions or f"npm:{package}@{version}" in versions


def test_every_vendor_with_a_decoder_has_a_fixture():
    with_decoders = {vendor.id for vendor in load_catalog().vendors if vendor.decoders}
    covered = {load(name).vendor for name in NAMES}
    assert with_decoders - covered == set()


@pytest.mark.parametrize("name,decode_step", [
    ("posthog_lz64", "data(lz64) → json"),
    ("posthog", "body(gzip) → json"),
    ("mixpanel_base64", "data(base64) → json"),
    ("new_relic", "body → bel.7 →"),
    ("new_relic", "body → bel.6 →"),
    ("firebase", "body → protobuf → 1[0].2["),
    ("snowplow", "cx(base64) → json"),
    ("snowplow", "ue_px(base64) → json"),
    ("sentry", "body → ndjson[2] → json"),
    ("datadog_rum", "body → ndjson[0] → json"),
    ("ga", "body → ndjson[1] → form"),
    ("ga", "query.em → tv.1 → em"),
    ("google_ads", "query.data → ;reason"),
    ("google_ads", "path;~oref"),
    ("meta_pixel", "query.cd[buttonFeatures] → json → innerText"),
    ("meta_graph_api", "body → form → custom_events → json"),
    ("amplitude", "body(gzip) → json → events["),
])
def test_vendor_format_is_decoded(name, decode_step):
    assert any(decode_step in finding.chain for finding in findings(name))


@pytest.mark.parametrize("name,host", [
    ("meta_pixel", "tracking.portal.test"),
    ("ga", "metrics.portal.test"),
    ("snowplow", "sp.portal.test"),
    ("countly", "countly.portal.test"),
])
def test_first_party_gateway_is_a_third_party_disclosure(name, host):
    vendor = load(name).vendor
    via = [inspection for inspection in inspections(name) if inspection.request.host == host]
    assert via and all(not inspection.first_party and inspection.vendor.id == vendor for inspection in via)
    assert all(f.vendor.endswith(f"(via first-party gateway {host})") for i in via for f in i.findings)
    assert any(i.findings for i in via)


def test_encrypted_body_is_uninspectable_not_clean():
    [inspection] = inspections("appsflyer")
    [finding] = inspection.findings
    assert (finding.rule_id, finding.category, finding.severity) == ("PG-UNINSPECTABLE", "uninspectable", "high")
    assert "uninspectable payload to AppsFlyer" in finding.detail
    assert finding.evidence.startswith("768 bytes, entropy 7.")


@pytest.mark.parametrize("name", NAMES)
def test_findings_hold_no_raw_planted_value(name):
    planted = load(name).planted["planted"]
    text = json.dumps([finding.to_dict() for finding in findings(name)])
    for value in (planted["email"], planted["phone"], planted["email_sha256"]):
        assert value not in text
