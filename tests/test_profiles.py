"""Regulatory profiles (patterns/profiles.toml, pixelguard_addon/profiles.py) through the engine."""
from __future__ import annotations

import pytest

from pixelguard_addon.catalog import patterns_dir
from pixelguard_addon.detectors.loading import DataError
from pixelguard_addon.engine import Engine
from pixelguard_addon.model import CapturedRequest, Match
from pixelguard_addon.policy import PROFILES, PolicyError, parse_policy
from pixelguard_addon.profiles import load_profiles

from pathlib import Path

PATTERNS = Path(patterns_dir())
CONDITION_PAGE = "https://www.mercy.example.org/conditions/breast-cancer"
PORTAL_PAGE = "https://www.mercy.example.org/portal/messages"
APPOINTMENT_PAGE = "https://www.mercy.example.org/request-an-appointment"
PIXEL = "https://www.facebook.com/tr/?id=1&ev=PageView"


def engine(profile: str | None = None, extra: str = "") -> Engine:
    line = f'profile = "{profile}"\n' if profile else ""
    return Engine(parse_policy('schema_version = 1\n[policy]\nfirst_party = ["mercy.example.org"]\n'
                               f'authenticated_paths = ["/portal/*"]\n{line}{extra}'))


def severities(eng: Engine, url: str, page: str) -> dict[str, str]:
    result = eng.inspect(CapturedRequest("GET", url, page_url=page))
    return {f.category: f.severity for f in result.findings}


@pytest.mark.parametrize("profile,page,url,expected", [
    # a tracker on a public condition page, nothing else in the request
    ("hhs-2024", CONDITION_PAGE, PIXEL, {"context:health-page": "high"}),
    ("post-becerra", CONDITION_PAGE, PIXEL, {"context:health-page": "low"}),
    (None, CONDITION_PAGE, PIXEL, {"context:health-page": "low"}),  # the default
    ("strict", CONDITION_PAGE, PIXEL, {"context:health-page": "high"}),
    # the same page, with an identifier in the request: PHI under every profile
    ("post-becerra", CONDITION_PAGE, PIXEL + "&ud[ph]=2125551212",
     {"context:health-page": "high", "identifier:phone": "high"}),
    # an authenticated page stays high after the ruling
    ("post-becerra", PORTAL_PAGE, PIXEL, {"context:authenticated-page": "high"}),
    ("post-becerra", PORTAL_PAGE + "/hiv-results", PIXEL,
     {"context:authenticated-page": "high", "context:health-page": "high"}),
    # an appointment page of the policy's own site
    ("hhs-2024", APPOINTMENT_PAGE, PIXEL, {"context:entry-page": "high"}),
    ("post-becerra", APPOINTMENT_PAGE, PIXEL, {"context:entry-page": "low"}),
    ("strict", APPOINTMENT_PAGE, PIXEL, {"context:entry-page": "high"}),
    # entered data stays high
    ("post-becerra", APPOINTMENT_PAGE, PIXEL + "&cd[buttonText]=Book%20HIV%20test",
     {"context:entry-page": "low", "condition": "high"}),
])
def test_severity_follows_the_profile(profile, page, url, expected):
    assert severities(engine(profile), url, page) == expected


def test_every_profile_finding_cites_its_rule():
    result = engine("post-becerra").inspect(CapturedRequest("GET", PIXEL, page_url=CONDITION_PAGE))
    [finding] = result.findings
    assert finding.citation.startswith("profile post-becerra [context:health-page → low]")
    assert "Becerra" in finding.citation
    hhs = engine("hhs-2024").inspect(CapturedRequest("GET", PIXEL, page_url=CONDITION_PAGE)).findings[0]
    assert "HHS OCR" in hhs.citation and "[context:health-page → high]" in hhs.citation


def test_identifier_keeps_its_own_severity_and_cites_hipaa():
    result = engine().inspect(CapturedRequest("GET", PIXEL + "&ud[ph]=2125551212", page_url=CONDITION_PAGE))
    phone = next(f for f in result.findings if f.category == "identifier:phone")
    assert phone.severity == "high" and "164.514" in phone.citation


def test_profile_names_match_the_data():
    profiles = load_profiles(PATTERNS / "profiles.toml")
    assert set(profiles.by_name) == set(PROFILES)
    assert profiles.default == "post-becerra"


def test_unknown_profile_is_a_policy_error():
    with pytest.raises(PolicyError, match="profile.*must be one of"):
        parse_policy('schema_version = 1\n[policy]\nprofile = "lenient"\n')


def test_most_specific_rule_wins():
    profile = load_profiles(PATTERNS / "profiles.toml").get("post-becerra")
    match = Match("PG-CTX-HEALTH-PAGE", "context:health-page", "medium", "x")
    assert profile.apply(match, authenticated=True, identifier=False).severity == "high"
    assert profile.apply(match, authenticated=False, identifier=True).severity == "high"
    assert profile.apply(match, authenticated=False, identifier=False).severity == "low"
    unknown = Match("PG-X", "context:other", "medium", "x")
    assert profile.apply(unknown, False, False) == unknown  # no rule: unchanged, no citation


@pytest.mark.parametrize("body,problem", [
    ('default = "x"\n[[profile]]\nname = "a"\ncite = "c"\n', "names no profile"),
    ('default = "a"\n[[profile]]\nname = "a"\ncite = "c"\n[profile.rules]\n"condition" = { severity = "huge", why = "w" }\n',
     "must be one of"),
    ('default = "a"\n[[profile]]\nname = "a"\ncite = "c"\n[profile.rules]\n"condition+cookie" = { severity = "low", why = "w" }\n',
     "unknown qualifier"),
])
def test_bad_profiles_file(tmp_path, body, problem):
    path = tmp_path / "profiles.toml"
    path.write_text("schema_version = 1\n" + body)
    with pytest.raises(DataError, match=problem):
        load_profiles(path)


# --- session cookies: authenticated without a portal path ----------------------------------

def test_session_cookie_on_a_first_party_request_marks_the_page_authenticated():
    eng = engine(extra='session_cookies = ["MyChartSession"]\n')
    page = "https://mychart.mercy.example.org/Home"
    before = eng.inspect(CapturedRequest("GET", PIXEL, page_url=page))
    assert before.findings == []  # a public page: no finding yet
    first_party = CapturedRequest("GET", "https://mychart.mercy.example.org/api/messages",
                                  headers=(("Cookie", "theme=dark; MyChartSession=abc123"),), page_url=page)
    assert eng.inspect(first_party).first_party
    after = eng.inspect(CapturedRequest("GET", PIXEL, page_url=page))
    [finding] = after.findings
    assert (finding.rule_id, finding.severity) == ("PG-CTX-AUTH-PAGE", "high")
    assert "session cookie MyChartSession" in finding.detail and "abc123" not in finding.detail


def test_other_cookies_or_other_hosts_do_not_count():
    eng = engine(extra='session_cookies = ["MyChartSession"]\n')
    eng.inspect(CapturedRequest("GET", "https://www.mercy.example.org/", headers=(("Cookie", "MyChartSessionX=1"),)))
    eng.inspect(CapturedRequest("GET", "https://mychart.mercy.example.org/api", headers=(("Cookie", "MyChartSession=1"),)))
    result = eng.inspect(CapturedRequest("GET", PIXEL, page_url="https://www.mercy.example.org/about"))
    assert result.findings == []
