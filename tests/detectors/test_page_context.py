from __future__ import annotations

import pytest

from pixelguard_addon.detectors.base import RequestContext
from pixelguard_addon.detectors.page_context import PageContextDetector
from pixelguard_addon.model import CapturedRequest, Decoded, Field
from pixelguard_addon.policy import Policy

POLICY = Policy(authenticated_paths=("/MyChart/*", "portal.mercy.org/*"))


@pytest.fixture(scope="module")
def detector(lexicon):
    return PageContextDetector(lexicon, POLICY)


def request_context(page_urls=(), titles=(), known=True) -> RequestContext:
    request = CapturedRequest("GET", "https://www.facebook.com/tr/?id=1&ev=PageView")
    return RequestContext(request=request, decoded=Decoded(), vendor_id="meta_pixel" if known else "",
                          is_known_tracker=known, page_urls=list(page_urls), titles=list(titles))


DL = Field(("query.dl",), "", "dl")


def results(detector, url, item=DL, known=True):
    return [(where, m.rule_id, m.term) for where, m in detector.detect_request(request_context([(item, url)], known=known))]


@pytest.mark.parametrize("url,term", [
    ("https://www.mercy.org/conditions/hiv-prep", "HIV"),
    ("https://www.mercy.org/search?q=Breast+Cancer", "breast cancer"),
    ("https://www.mercy.org/services/behavioral-health/", "behavioral health"),
    ("https://www.mercy.org/find-a-doctor?specialty=oncology", "oncology"),
    ("https://www.mercy.org/health-library/bipolarDisorder.html", "bipolar disorder"),
    ("https://www.mercy.org/library#/topics/depression", "depression"),
])
def test_health_pages(detector, url, term):
    assert results(detector, url) == [(DL, "PG-CTX-HEALTH-PAGE", term)]


@pytest.mark.parametrize("url", [
    "https://www.mercy.org/",
    "https://www.mercy.org/about-us/careers",
    "https://www.mercy.org/archive/2024",
    "https://www.mercy.org/blog/cold-brew-recipes",
    "https://www.mercy.org/locations?zip=10013",
    "not a url at all",
    "",
])
def test_neither(detector, url):
    assert results(detector, url) == []


@pytest.mark.parametrize("url", [
    "https://www.mercy.org/MyChart/Visits",
    "https://portal.mercy.org/home",
])
def test_authenticated_pages(detector, url):
    assert results(detector, url) == [(DL, "PG-CTX-AUTH-PAGE", "authenticated page")]


def test_authenticated_health_page_gives_both(detector):
    found = results(detector, "https://www.mercy.org/MyChart/messages/hiv-results")
    assert sorted(rule for _, rule, _ in found) == ["PG-CTX-AUTH-PAGE", "PG-CTX-HEALTH-PAGE"]


def test_mychart_path_is_case_sensitive_as_the_policy_says(detector):
    assert results(detector, "https://www.mercy.org/mychart-info") == []


def test_match_shape(detector):
    [(where, match)] = detector.detect_request(request_context([(DL, "https://www.mercy.org/conditions/hiv-prep?name=Ida%20Tarbell")]))
    assert where is DL
    assert (match.category, match.severity) == ("context:health-page", "medium")
    assert match.evidence == "https://www.mercy.org/conditions/hiv-prep?name=•••"
    assert "Tarbell" not in match.evidence and "URL path names condition 'HIV'" in match.detail
    assert match.sensitive_tags == ("hiv-sti",)
    [(_, auth)] = detector.detect_request(request_context([(DL, "https://portal.mercy.org/p?mrn=MV0048")]))
    assert (auth.category, auth.severity) == ("context:authenticated-page", "high")
    assert "MV0048" not in auth.evidence


def test_request_page_counts_only_for_known_trackers(detector):
    url = "https://www.mercy.org/conditions/breast-cancer"
    assert results(detector, url, item=None, known=True) == [(None, "PG-CTX-HEALTH-PAGE", "breast cancer")]
    assert results(detector, url, item=None, known=False) == []
    # carried in a payload field, it counts for an unknown third party too
    assert results(detector, url, item=DL, known=False) == [(DL, "PG-CTX-HEALTH-PAGE", "breast cancer")]


def test_titles(detector):
    title = Field(("query.dt",), "", "dt")
    context = request_context(titles=[(title, "Ida Tarbell | HIV Testing and PrEP | Mercy")])
    [(where, match)] = detector.detect_request(context)
    assert where is title and match.term == "HIV test"
    assert "Tarbell" not in match.evidence and "HIV Testing" in match.evidence


def test_one_match_per_category_and_field(detector):
    rl = Field(("query.rl",), "", "rl")
    context = request_context([
        (DL, "https://www.mercy.org/conditions/diabetes?q=asthma#copd"),
        (rl, "https://www.mercy.org/conditions/asthma"),
    ])
    found = [(where, m.category) for where, m in detector.detect_request(context)]
    assert found == [(DL, "context:health-page"), (rl, "context:health-page")]


def test_sensitive_term_is_preferred(detector):
    [(_, match)] = detector.detect_request(request_context([(DL, "https://x.org/cardiology/hiv-care")]))
    assert match.term == "HIV"


def test_ambiguous_word_in_path_needs_context(detector):
    assert results(detector, "https://x.org/recipes/cold") == []
    assert results(detector, "https://x.org/conditions/cold") == [(DL, "PG-CTX-HEALTH-PAGE", "cold")]


def test_no_authenticated_paths_in_policy(lexicon):
    detector = PageContextDetector(lexicon, Policy())
    assert detector.detect_request(request_context([(DL, "https://x.org/MyChart/home")])) == []


@pytest.mark.parametrize("url", ["http://[::1", "https://x.org/" + "a/" * 50000, "\ud800", "%" * 1000])
def test_never_raises(detector, url):
    detector.detect_request(request_context([(DL, url)], titles=[(DL, url)]))


# --- appointment, care-search and form pages (patterns/page_kinds.toml) ---------------------

@pytest.fixture(scope="module")
def entry_detector(lexicon, patterns):
    from pixelguard_addon.detectors.page_context import load_page_kinds

    policy = Policy(first_party=("mercy.org",))
    return PageContextDetector(lexicon, policy, load_page_kinds(patterns / "page_kinds.toml"))


@pytest.mark.parametrize("url,term", [
    ("https://www.mercy.org/request-an-appointment", "appointment page"),  # own site: everyday words count
    ("https://www.mercy.org/ScheduleAppointment", "appointment page"),
    ("https://www.other-clinic.com/find-a-doctor", "care search page"),  # health words count anywhere
    ("https://www.other-clinic.com/patient-forms/intake", "health form page"),
    ("https://www.other-clinic.com/dermatology/book-online", "appointment page"),  # health context
])
def test_entry_pages(entry_detector, url, term):
    found = [(rule, t) for _, rule, t in results(entry_detector, url) if rule == "PG-CTX-ENTRY-PAGE"]
    assert found == [("PG-CTX-ENTRY-PAGE", term)]


@pytest.mark.parametrize("url", [
    "https://www.pizza-palace.com/book-a-table",  # booking on a restaurant site
    "https://www.salon.com/appointments",
    "https://www.shop.com/contact-us",
    "https://www.mercy.org/about-us",
])
def test_not_entry_pages(entry_detector, url):
    assert [r for _, r, _ in results(entry_detector, url) if r == "PG-CTX-ENTRY-PAGE"] == []


def test_entry_page_from_title(entry_detector):
    title = Field(("query.dt",), "", "dt")
    found = [(m.rule_id, m.term) for _, m in entry_detector.detect_request(
        request_context(titles=[(title, "Find a Doctor | Mercy Health")]))]
    assert ("PG-CTX-ENTRY-PAGE", "care search page") in found


def test_session_host_makes_a_page_authenticated(lexicon):
    detector = PageContextDetector(lexicon, Policy())
    context = request_context([(DL, "https://mychart.mercy.org/Home")])
    context.session_hosts = {"mychart.mercy.org": "MyChartSession"}
    [(_, match)] = detector.detect_request(context)
    assert match.rule_id == "PG-CTX-AUTH-PAGE" and "MyChartSession" in match.detail


def test_a_page_seen_again_after_the_session_cookie_becomes_authenticated(lexicon):
    """Page classifications are remembered per URL; a session cookie seen in between must
    still turn the same URL into an authenticated page."""
    detector = PageContextDetector(lexicon, Policy())
    context = request_context([(DL, "https://mychart.mercy.org/Home")])
    assert detector.detect_request(context) == []
    context.session_hosts = {"mychart.mercy.org": "MyChartSession"}
    assert [m.rule_id for _, m in detector.detect_request(context)] == ["PG-CTX-AUTH-PAGE"]
