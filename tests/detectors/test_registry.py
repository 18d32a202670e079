"""build_detectors: the one entry point the engine calls (pixelguard_addon/detectors/__init__.py)."""
from __future__ import annotations

import random
import string

import pytest

from pixelguard_addon.detectors import FIELD_DETECTORS, REQUEST_DETECTORS, build_detectors
from pixelguard_addon.detectors.base import RequestContext
from pixelguard_addon.model import SEVERITIES, CapturedRequest, Decoded
from pixelguard_addon.policy import parse_policy

from .helpers import PATTERNS, ctx, field

POLICY_TOML = """schema_version = 1
[policy]
authenticated_paths = ["/MyChart/*"]
[[test_patient]]
label = "A"
email = "test@test.org"
phone = "(212) 555-1212"
"""


@pytest.fixture(scope="module")
def built():
    return build_detectors(parse_policy(POLICY_TOML), PATTERNS)


def test_registry_is_explicit():
    assert [f.__name__ for f in FIELD_DETECTORS] == [
        "condition_detector", "identifier_detector", "hashed_identifier_detector", "canary_detector"]
    assert [f.__name__ for f in REQUEST_DETECTORS] == ["page_context_detector", "uninspectable_detector"]


def test_builds_every_detector(built):
    fields, requests = built
    assert [d.name for d in fields] == ["condition", "identifiers", "hashed-identifiers", "canaries"]
    assert [d.name for d in requests] == ["page-context", "uninspectable"]


def test_no_test_patients_no_canary_detector():
    fields, _ = build_detectors(parse_policy("schema_version = 1\n"), PATTERNS)
    assert "canaries" not in [d.name for d in fields]


@pytest.mark.parametrize("value,key,rules", [
    ("f303cf025f54905caca8788d2c7070d47fb49eb6515b7d886d3305a4f10396f9", "ud[em]",
     {"PG-ID-HASHED", "PG-CANARY-EMAIL"}),
    ("test@test.org", "email", {"PG-ID-EMAIL", "PG-CANARY-EMAIL"}),
    ("Booked: HIV testing, call (646) 555-0199", "cd[buttonText]", {"PG-PHI-CONDITION", "PG-ID-PHONE"}),
    ("PageView", "ev", set()),
])
def test_detectors_together(built, value, key, rules):
    fields, _ = built
    found = {m.rule_id for d in fields for m in d.detect(field(value, key), ctx())}
    assert found == rules


def test_every_match_is_well_formed(built):
    fields, requests = built
    values = ["test@test.org", "2125551212", "bipolarDisorder", "536-22-1234", "ssn 536-22-1234",
              "f303cf025f54905caca8788d2c7070d47fb49eb6515b7d886d3305a4f10396f9", "19710101"]
    matches = [m for v in values for d in fields for m in d.detect(field(v, "ud[db]"), ctx())]
    request = RequestContext(CapturedRequest("GET", "https://www.facebook.com/tr/"), Decoded(), "meta", True,
                             [(None, "https://h.org/MyChart/conditions/hiv")], [])
    matches += [m for d in requests for _, m in d.detect_request(request)]
    assert len(matches) >= 8
    for match in matches:
        assert match.severity in SEVERITIES
        assert match.rule_id.startswith("PG-") and match.category and match.detail and match.term
        assert 0 < match.confidence <= 1
        for raw in ("test@test.org", "2125551212", "536-22-1234", "19710101", "f303cf025f54905caca8"):
            assert raw not in match.evidence


def random_values(count: int):
    rng = random.Random(1234)
    alphabet = string.printable + "%@+/-_.•é\u200b\ud800"
    for _ in range(count):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))


def test_never_raises_on_random_input(built):
    fields, requests = built
    for value in random_values(300):
        for role in ("", "page_url", "hashed_id", "user_text"):
            for detector in fields:
                list(detector.detect(field(value, value[:8]), ctx(role)))
        request = RequestContext(CapturedRequest("GET", "https://t.example/"), Decoded(), "", True,
                                 [(None, value)], [(field(value), value)])
        for detector in requests:
            list(detector.detect_request(request))
