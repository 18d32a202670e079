import json

import pytest

from pixelguard_addon.engine import Engine, page_url_of
from pixelguard_addon.model import CapturedRequest
from pixelguard_addon.policy import PolicyError, load_policy, parse_policy

POLICY = """\
schema_version = 1
[policy]
first_party = ["mercy.example.org"]
authenticated_paths = ["/portal/*"]
ignore_hosts = ["cdn.partner.example.net"]
[[test_patient]]
email = "ida.test@example.org"
"""


@pytest.fixture(scope="module")
def engine():
    return Engine(parse_policy(POLICY))


def request(url, body=b"", headers=(), method="GET", page_url=None):
    return CapturedRequest(method=method, url=url, body=body, headers=tuple(headers), page_url=page_url)


def test_first_party_is_not_decoded_or_flagged(engine):
    result = engine.inspect(request("https://api.mercy.example.org/appointments", method="POST",
                                    body=b'{"email":"ida.test@example.org","reason":"HIV test"}'))
    assert result.first_party and result.findings == []


def test_known_tracker_is_third_party_even_on_a_declared_site(engine):
    engine_without_sites = Engine(parse_policy("schema_version = 1\n[policy]\nfirst_party = [\"facebook.com\"]\n"))
    result = engine_without_sites.inspect(request("https://www.facebook.com/tr/?ev=Lead&cd[buttonText]=Book%20HIV%20test"))
    assert not result.first_party and result.vendor.id == "meta_pixel"
    assert [f.category for f in result.findings] == ["condition"]


def test_unknown_third_party_is_still_inspected(engine):
    result = engine.inspect(request("https://collector.unknown-analytics.net/e",
                                    method="POST", body=b'{"search":"chlamydia testing"}',
                                    headers=[("Content-Type", "text/plain")]))
    assert result.vendor is None
    assert result.findings and result.findings[0].vendor == "unknown-analytics.net"
    assert result.findings[0].chain == "body → json → search"


def test_ignored_hosts_are_skipped(engine):
    result = engine.inspect(request("https://cdn.partner.example.net/x?q=hiv"))
    assert result.ignored and not result.findings


def test_page_url_children_are_reported_once_as_page_context(engine):
    result = engine.inspect(request(
        "https://www.facebook.com/tr/?id=1&ev=PageView&dl=https%3A%2F%2Fwww.mercy.example.org%2Fconditions%2Fbipolar-disorder"))
    categories = sorted((f.category, f.chain) for f in result.findings)
    assert categories == [("context:health-page", "query.dl")]


def test_page_context_from_referer_needs_a_collection_endpoint(engine):
    page = "https://www.mercy.example.org/conditions/hiv"
    script = engine.inspect(request("https://connect.facebook.net/en_US/fbevents.js", page_url=page))
    assert script.findings == []
    hit = engine.inspect(request("https://www.facebook.com/tr/?id=1&ev=PageView", page_url=page))
    assert [f.category for f in hit.findings] == ["context:health-page"]
    assert hit.findings[0].chain == "page"


def test_whether_a_path_is_a_collection_hit_is_remembered_per_vendor_host_and_path(engine):
    page = "https://www.mercy.example.org/conditions/hiv"
    visits = ["https://connect.facebook.net/en_US/fbevents.js", "https://www.facebook.com/tr/?id=1&ev=PageView",
              "https://connect.facebook.net/en_US/fbevents.js?v=2", "https://www.facebook.com/tr/?id=2&ev=Lead"]
    for _ in range(2):  # the second time round from the memo
        assert [bool(engine.inspect(request(url, page_url=page)).findings) for url in visits] == [False, True, False, True]
    assert len(engine._collection_hits) == 2


def test_authenticated_page_context(engine):
    hit = engine.inspect(request("https://www.facebook.com/tr/?id=1&ev=PageView",
                                 headers=[("Referer", "https://www.mercy.example.org/portal/messages")]))
    assert [f.rule_id for f in hit.findings] == ["PG-CTX-AUTH-PAGE"]


def test_canary_supersedes_generic_hashed_identifier(engine):
    import hashlib

    digest = hashlib.sha256(b"ida.test@example.org").hexdigest()
    other = hashlib.sha256(b"someone.else@example.org").hexdigest()
    result = engine.inspect(request(f"https://www.facebook.com/tr/?id=1&ev=Lead&ud[em]={digest}&udff[em]={other}"))
    by_chain = {f.chain: f.category for f in result.findings}
    assert by_chain["query.ud[em]"] == "test-patient:email"
    assert by_chain["query.udff[em]"] == "identifier:hashed-email"


def test_two_terms_in_one_field_make_one_finding(engine):
    result = engine.inspect(request("https://www.facebook.com/tr/?ev=Lead&cd[buttonText]=HIV%20and%20hepatitis%20C%20testing"))
    conditions = [f for f in result.findings if f.category == "condition"]
    assert len(conditions) == 1 and "HIV" in conditions[0].term and "," in conditions[0].term


def test_limits_are_reported_not_raised(engine):
    deep = b"[" * 5000 + b"]" * 5000
    result = engine.inspect(request("https://api.segment.io/v1/t", method="POST", body=deep,
                                    headers=[("Content-Type", "application/json")]))
    assert result.partial and not result.fully_inspected


def test_allowed_vendor_findings_are_marked_not_hidden():
    policy = parse_policy('schema_version = 1\n[[allowed_vendor]]\nid = "mixpanel"\nreason = "BAA 2026-01"\n')
    body = json.dumps({"event": "x", "properties": {"medication": "Truvada"}}).encode()
    result = Engine(policy).inspect(request("https://api-js.mixpanel.com/track/", method="POST", body=body))
    assert result.findings and all(f.allowed for f in result.findings)


def test_unknown_allowed_vendor_is_a_policy_error_with_line(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('schema_version = 1\n\n[[allowed_vendor]]\nid = "metapixel"\nreason = "BAA"\n')
    with pytest.raises(PolicyError) as caught:
        Engine(load_policy(path))
    assert caught.value.line == 4 and caught.value.key == "allowed_vendor[0].id"


def test_page_url_prefers_capture_then_referer_then_origin():
    assert page_url_of(request("https://x.test/", page_url="https://a.test/p",
                               headers=[("Referer", "https://b.test/")])) == "https://a.test/p"
    assert page_url_of(request("https://x.test/", headers=[("Origin", "https://c.test")])) == "https://c.test"
    assert page_url_of(request("https://x.test/", headers=[("Referer", "android-app://com.x")])) is None


def test_first_party_gateway_is_inspected_as_the_vendor_it_relays_to(engine):
    result = engine.inspect(request(
        "https://metrics.mercy.example.org/g/collect?v=2&tid=G-ABC123&en=search&ep.search_term=HIV%20testing"))
    assert not result.first_party and result.vendor.id == "ga"
    assert result.vendor_name == "Google Analytics (GA4 / Universal Analytics) (via first-party gateway metrics.mercy.example.org)"
    assert [(f.category, f.vendor_id) for f in result.findings] == [("condition", "ga")]
    assert result.findings[0].vendor.endswith("(via first-party gateway metrics.mercy.example.org)")


def test_first_party_request_without_a_tracker_shape_stays_first_party(engine):
    result = engine.inspect(request("https://metrics.mercy.example.org/collect?v=2&q=HIV%20testing"))
    assert result.first_party and result.vendor is None


def test_gateway_on_a_foreign_host_is_named_a_gateway(engine):
    result = engine.inspect(request("https://sgtm.hosting.example.net/tr?id=1&ev=Lead&cd[note]=HIV%20testing"))
    assert result.vendor.id == "meta_pixel" and result.gateway == "gateway sgtm.hosting.example.net"


def test_vendor_decoders_run_only_for_their_vendor(engine):
    import base64

    body = b"".join(bytes([0x0A, len(text)]) + text for text in [b"HIV PrEP appointment request"])
    result = engine.inspect(request("https://app-measurement.com/a", method="POST", body=body))
    assert [f.chain for f in result.findings if f.category == "condition"] == ["body → protobuf → 1[0]"]
    unknown = engine.inspect(request("https://collector.unknown-analytics.net/a", method="POST",
                                     body=base64.b64decode("AAECAwQFBgcICQoLDA0ODxAREhM=")))
    assert unknown.undecodable and not unknown.findings  # unknown vendor: no uninspectable finding


def test_known_vendor_undecodable_body_is_an_uninspectable_finding(engine):
    import hashlib

    opaque = b"".join(hashlib.sha256(bytes([i])).digest() for i in range(8))
    result = engine.inspect(request("https://inapps.appsflyer.com/api/v6/androidevent?app_id=x",
                                    method="POST", body=opaque))
    assert [(f.rule_id, f.chain, f.vendor) for f in result.findings] == [("PG-UNINSPECTABLE", "body", "AppsFlyer")]


def test_script_load_from_a_health_page_is_not_a_collection_hit(engine):
    page = "https://www.mercy.example.org/conditions/hiv"
    result = engine.inspect(request("https://cdn.mouseflow.com/projects/abc.js", page_url=page))
    assert result.vendor.id == "mouseflow" and result.findings == []


def test_raw_values_are_never_kept_by_default(engine):
    result = engine.inspect(request("https://www.facebook.com/tr/?ev=Lead&ud[em]=ida.test%40example.org"
                                    "&cd[buttonText]=Book%20HIV%20test"))
    assert result.findings and all(f.revealed == "" for f in result.findings)
    assert all("revealed" not in f.to_dict() for f in result.findings)


def test_reveal_evidence_keeps_the_raw_field_value_truncated():
    revealing = Engine(parse_policy(POLICY), reveal_evidence=True)
    long_text = "Book HIV test " + "x" * 400
    result = revealing.inspect(request("https://www.facebook.com/tr/?ev=Lead&ud[em]=ida.test%40example.org"
                                       "&cd[buttonText]=" + long_text.replace(" ", "%20"),
                                       page_url="https://mercy.example.org/portal/results"))
    by_category = {f.category: f for f in result.findings}
    assert by_category["test-patient:email"].revealed == "ida.test@example.org"
    assert by_category["condition"].revealed == long_text[:200]
    assert by_category["context:authenticated-page"].revealed == "https://mercy.example.org/portal/results"
    assert by_category["test-patient:email"].evidence != "ida.test@example.org"  # evidence stays masked


@pytest.mark.parametrize("url", [
    "https://api.mercy.example.org/appointments",  # first party
    "https://www.facebook.com/tr/?ev=PageView",  # a tracker's host
    "https://metrics.mercy.example.org/g/collect?v=2&tid=G-ABC123&en=page_view",  # first-party gateway
    "https://collector.unknown-analytics.net/e",  # unknown third party
])
def test_is_first_party_agrees_with_inspect_without_decoding(engine, url):
    assert engine.is_first_party(request(url)) == engine.inspect(request(url)).first_party


def test_a_value_seen_again_is_reported_where_it_is_now_and_as_the_role_says():
    """Field results are remembered per value, key and what the detectors read of the role and
    vendor: a repeat in another request, place or vendor is still reported at its own
    location, with its own role."""
    engine = Engine(parse_policy(POLICY))
    meta = engine.inspect(request("https://www.facebook.com/tr/?id=1&ev=Lead&cd[reason]=HIV%20test"))
    again = engine.inspect(request("https://www.facebook.com/tr/?id=2&ev=Lead&cd[reason]=HIV%20test"))
    segment = engine.inspect(request("https://api.segment.io/v1/t", method="POST",
                                     body=b'{"properties":{"reason":"HIV test"}}'))
    as_page = engine.inspect(request("https://www.facebook.com/tr/?id=1&ev=Lead&dl=HIV%20test"))
    assert [f.chain for f in meta.findings] == [f.chain for f in again.findings] == ["query.cd[reason]"]
    assert [(f.vendor_id, f.chain) for f in segment.findings] == [("segment", "body → json → properties.reason")]
    assert all(f.rule_id != "PG-PHI-CONDITION" for f in as_page.findings)  # dl is the page URL role


class _SpyDetector:
    """Records the contexts it is asked in; reads the whole context unless told what it reads."""

    name = "spy"

    def __init__(self, reads=None):
        self.asked = []
        if reads is not None:
            self.context_key = reads

    def detect(self, item, context):
        if item.value == "portal.example":
            self.asked.append((context.role, context.vendor_id))
        return []


def _engine_with(*detectors):
    engine = Engine(parse_policy(POLICY))
    engine.field_detectors = list(detectors)
    return engine


# The page's host comes twice in each: as the page URL's (dl) and as the Referer's.
_PAGE_TWICE = [
    request("https://www.facebook.com/tr/?id=1&ev=Lead&dl=https%3A%2F%2Fportal.example%2Fa",
            headers=[("referer", "https://portal.example/a")]),
    request("https://api.segment.io/v1/t", method="POST", body=b'{"context":{"page":{"url":"https://portal.example/b"}}}',
            headers=[("referer", "https://portal.example/b")]),
]


def test_a_value_is_scanned_once_across_contexts_its_detectors_do_not_tell_apart():
    blind = _SpyDetector(reads=lambda context: None)
    engine = _engine_with(blind)
    for beacon in _PAGE_TWICE:
        engine.inspect(beacon)
    assert blind.asked == [("page_url", "meta_pixel")]


def test_a_detector_that_reads_the_context_is_asked_in_each_one():
    blind, whole = _SpyDetector(reads=lambda context: None), _SpyDetector()
    engine = _engine_with(blind, whole)
    for beacon in _PAGE_TWICE:
        engine.inspect(beacon)
    expected = [("page_url", "meta_pixel"), ("referrer", "meta_pixel"), ("page_url", "segment"), ("referrer", "segment")]
    assert sorted(whole.asked) == sorted(blind.asked) == sorted(expected)  # one memo entry answers for all
    by_role = _SpyDetector(reads=lambda context: context.role)
    engine = _engine_with(by_role)
    for beacon in _PAGE_TWICE:
        engine.inspect(beacon)
    assert sorted(by_role.asked) == [("page_url", "meta_pixel"), ("referrer", "meta_pixel")]


def test_a_session_seen_twice_gives_the_findings_a_fresh_engine_gives():
    # Everything the engine remembers between requests (decoded values, detector answers,
    # profiled matches, masked pages) must change how fast it answers, never what.
    from importlib.resources import files

    from pixelguard_addon.capture import read_capture

    demo = files("pixelguard_addon") / "demo"
    policy = load_policy(str(demo / "policy.toml"))
    requests = list(read_capture(str(demo / "portal-session.har")))
    first_time = list(map(Engine(policy).inspect, requests))
    seasoned = Engine(policy)
    for request_ in requests:
        seasoned.inspect(request_)
    second_time = list(map(seasoned.inspect, requests))
    assert second_time == first_time  # every field: who it is for, findings, notes
    assert sum(len(inspection.findings) for inspection in first_time) > 50
    assert sum(inspection.first_party for inspection in first_time) > 10


def test_a_first_party_request_settled_from_memory_is_the_inspection_in_full():
    settled = Engine(parse_policy(POLICY))
    for _ in range(2):  # the second time from the (URL, page) memo
        quick = settled.inspect(request("https://www.mercy.example.org/app.js", page_url="https://www.mercy.example.org/"))
    full = Engine(parse_policy(POLICY)).inspect(request("https://www.mercy.example.org/app.js",
                                                        page_url="https://www.mercy.example.org/"))
    assert quick == full and quick.first_party and quick.site == "example.org"
    assert vars(quick).keys() == vars(full).keys()


def test_only_short_first_party_urls_are_remembered():
    engine_ = Engine(parse_policy(POLICY))
    page = "https://www.mercy.example.org/"
    engine_.inspect(request("https://www.mercy.example.org/a.js", page_url=page))
    engine_.inspect(request("https://www.mercy.example.org/b.js?" + "x" * 4000, page_url=page))
    assert len(engine_._first_party_urls) == 1
    assert engine_.inspect(request("https://www.mercy.example.org/b.js?" + "x" * 4000, page_url=page)).first_party


def test_a_session_cookie_is_learnt_from_a_first_party_request_settled_from_memory():
    policy = parse_policy(POLICY.replace("ignore_hosts", "session_cookies = [\"MyChartSession\"]\nignore_hosts"))
    engine_ = Engine(policy)
    asset = "https://portal.mercy.example.org/static/app.js"
    page = "https://portal.mercy.example.org/home"
    engine_.inspect(request(asset, headers=[("Referer", page)]))
    assert engine_.session_hosts == {}
    engine_.inspect(request(asset, headers=[("Referer", page), ("Cookie", "a=1; MyChartSession=xyz")]))
    assert engine_.session_hosts == {"portal.mercy.example.org": "MyChartSession"}


def test_a_body_keeps_a_request_out_of_the_first_party_memo():
    # A first-party gateway is known by what it is sent: the same URL with a tracker-shaped
    # body must not be settled by an earlier bodiless visit.
    engine_ = Engine(parse_policy(POLICY))
    url = "https://metrics.mercy.example.org/g/collect"
    assert engine_.inspect(request(url)).first_party
    relayed = engine_.inspect(request(url, method="POST", body=b"v=2&tid=G-ABC123&en=page_view"))
    assert not relayed.first_party and relayed.gateway


def test_a_field_under_a_huge_key_is_detected_every_time_and_never_remembered(engine):
    from pixelguard_addon.memo import MEMO_MAX_KEY

    key = "k" * (MEMO_MAX_KEY + 1)
    body = json.dumps({"properties": {key: "HIV test"}}).encode()
    for _ in range(2):
        found = engine.inspect(request("https://api.segment.io/v1/t", method="POST", body=body)).findings
        assert [f.category for f in found] == ["condition"]
    assert all(len(memo_key[1]) <= MEMO_MAX_KEY for memo_key in engine._field_memo._results)


def test_a_repeated_beacon_reuses_its_findings_parts_and_the_entry_keeps_its_matches():
    engine = Engine(parse_policy(POLICY))
    url = "https://www.facebook.com/tr/?id=1&ev=Lead&cd[reason]=HIV%20test&dl=https%3A%2F%2Fportal.example%2Fconditions%2Fhiv"
    first = engine.inspect(request(url)).findings
    assert len(engine._parts) == 1
    (matches, parts), = engine._parts._items.values()
    key, = engine._parts._items
    assert [id(match) for match in matches] == [match_id for _, match_id in key]  # pinned: ids stay theirs
    again = engine.inspect(request(url.replace("id=1", "id=2"))).findings
    assert len(engine._parts) == 1  # the same entry answered
    assert again == first and again[0] is not first[0]  # query values are masked: equal findings, new objects
    assert {f.category for f in first} == {"condition", "context:health-page"}


def test_findings_parts_are_not_remembered_with_revealed_evidence_or_huge_chains():
    from pixelguard_addon.memo import MEMO_MAX_TEXT

    revealing = Engine(parse_policy(POLICY), reveal_evidence=True)
    found = revealing.inspect(request("https://www.facebook.com/tr/?id=1&ev=Lead&cd[reason]=HIV%20test")).findings
    assert found[0].revealed == "HIV test" and len(revealing._parts) == 0
    engine = Engine(parse_policy(POLICY))
    key = "k" * MEMO_MAX_TEXT
    found = engine.inspect(request(f"https://www.facebook.com/tr/?id=1&ev=Lead&cd[{key}]=HIV%20test")).findings
    assert [f.category for f in found] == ["condition"] and len(engine._parts) == 0
