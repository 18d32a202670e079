import pytest

from pixelguard_addon.policy import PolicyError, load_policy, parse_policy

GOOD = """\
schema_version = 1

[policy]
mode = "block"
fail_on = "medium"
first_party = ["Portal.Example.org."]
authenticated_paths = ["/MyChart/*", "portal.example.org/secure/*"]

[[test_patient]]
label = "A"
email = "a@example.org"
phone = "212-555-1212"

[[allowed_vendor]]
id = "google_analytics"
reason = "BAA 2025"
"""


def test_good_policy_is_read_whole():
    policy = parse_policy(GOOD, "p.toml")
    assert policy.mode == "block" and policy.fail_on == "medium"
    assert policy.first_party == ("portal.example.org",)
    assert policy.test_patients[0].get("email") == "a@example.org"
    assert policy.allowed_reason("google_analytics") == "BAA 2025"


@pytest.mark.parametrize("host,path,expected", [
    ("www.example.org", "/MyChart/app/results", True),
    ("portal.example.org", "/secure/inbox", True),
    ("www.example.org", "/secure/inbox", False),
    ("www.example.org", "/conditions/asthma", False),
])
def test_authenticated_paths_match_path_or_host_and_path(host, path, expected):
    assert parse_policy(GOOD).is_authenticated_path(host, path) is expected


@pytest.mark.parametrize("text,line,key", [
    ("schema_version = 1\n[policy]\nmode = \"nope\"\n", 3, "policy.mode"),
    ("schema_version = 1\n[policy]\nfail_on = \"severe\"\n", 3, "policy.fail_on"),
    ("schema_version = 1\n[policy]\nfirst_party = \"example.org\"\n", 3, "policy.first_party"),
    ("schema_version = 1\n[policy]\nfirst_partyy = []\n", 3, "policy.first_partyy"),
    ("schema_version = 1\n\n[[test_patient]]\nlabel = \"x\"\nemail = 3\n", 5, "test_patient[0].email"),
    ("schema_version = 1\n[[test_patient]]\nemail = \"a@b.org\"\n[[test_patient]]\nfax = \"1\"\n", 5, "test_patient[1].fax"),
    ("schema_version = 1\n[[allowed_vendor]]\nid = \"meta_pixel\"\n", 2, "allowed_vendor[0].reason"),
    ("schema_version = 2\n", 1, "schema_version"),
])
def test_broken_policy_names_line_and_key(text, line, key):
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "broken.toml")
    assert caught.value.source == "broken.toml"
    assert caught.value.key == key
    assert caught.value.line == line
    assert str(caught.value).startswith(f"broken.toml:{line}: {key}: ")


def test_toml_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("schema_version = 1\n[policy]\nmode = flag\n")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert caught.value.line == 3 and str(path) in str(caught.value)


def test_missing_policy_file_is_a_clear_error(tmp_path):
    with pytest.raises(PolicyError, match="cannot read policy file"):
        load_policy(tmp_path / "absent.toml")


def test_example_policy_in_patterns_loads():
    from pathlib import Path

    policy = load_policy(Path(__file__).resolve().parent.parent / "patterns" / "policy.example.toml")
    assert policy.test_patients and policy.first_party


def test_profile_and_session_cookies():
    policy = parse_policy('schema_version = 1\n[policy]\nprofile = "strict"\nsession_cookies = ["MyChartSession"]\n')
    assert policy.profile == "strict" and policy.session_cookies == ("MyChartSession",)
    assert parse_policy("schema_version = 1\n").profile == "post-becerra"


def test_session_cookies_must_be_strings():
    with pytest.raises(PolicyError, match="session_cookies"):
        parse_policy('schema_version = 1\n[policy]\nsession_cookies = "MyChartSession"\n')
