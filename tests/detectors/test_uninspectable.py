"""PG-UNINSPECTABLE: a known vendor's body that no decoder could read."""
from __future__ import annotations

import hashlib

from pixelguard_addon.detectors.base import RequestContext
from pixelguard_addon.detectors.uninspectable import UninspectableDetector, byte_entropy
from pixelguard_addon.model import CapturedRequest, Decoded

OPAQUE = b"".join(hashlib.sha256(bytes([i])).digest() for i in range(32))


def context(vendor_known: bool, undecodable: list[str]) -> RequestContext:
    request = CapturedRequest("POST", "https://inapps.appsflyer.com/api/v6.14/androidevent", body=OPAQUE)
    return RequestContext(request=request, decoded=Decoded(undecodable=undecodable), vendor_id="appsflyer",
                          vendor_known=vendor_known, vendor_name="AppsFlyer")


def test_known_vendor_with_undecodable_body_is_flagged():
    [(where, match)] = UninspectableDetector().detect_request(context(True, ["body: 1024 bytes of binary data"]))
    assert where.chain == "body"
    assert (match.rule_id, match.category, match.severity) == ("PG-UNINSPECTABLE", "uninspectable", "high")
    assert match.detail.startswith("uninspectable payload to AppsFlyer: body: 1024 bytes")
    assert match.evidence.startswith("1024 bytes, entropy 7.")


def test_decodable_or_unknown_vendor_is_not_flagged():
    assert UninspectableDetector().detect_request(context(True, [])) == []
    assert UninspectableDetector().detect_request(context(False, ["body: binary"])) == []


def test_entropy_bounds():
    assert byte_entropy(b"") == 0.0
    assert byte_entropy(b"aaaa") == 0.0
    assert byte_entropy(bytes(range(256))) == 8.0
