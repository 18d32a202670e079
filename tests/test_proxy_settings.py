import pytest

from pixelguard_addon.proxy_settings import SettingsError, read_settings


def settings(**overrides):
    values = dict(mode="", policy=None, report=None, block_response="403", first_party=[], answer_third_party=False)
    return read_settings(**{**values, **overrides})


def write_policy(tmp_path, body):
    path = tmp_path / "policy.toml"
    path.write_text("schema_version = 1\n[policy]\n" + body, encoding="utf-8")
    return str(path)


def test_defaults_flag_mode_without_policy():
    result = settings()
    assert (result.mode, result.mode_source, result.threshold, result.block_response) == ("flag", "default", "high", "403")


def test_mode_comes_from_policy_unless_the_option_sets_it(tmp_path):
    policy = write_policy(tmp_path, 'mode = "block"\nfail_on = "critical"\n')
    assert (settings(policy=policy).mode, settings(policy=policy).mode_source) == ("block", "policy")
    assert settings(policy=policy, mode="redact").mode == "redact"
    assert settings(policy=policy).threshold == "critical"


def test_unknown_mode_is_refused():
    with pytest.raises(SettingsError, match=r"pixelguard_mode: must be one of flag, block, redact \(found 'nope'\)"):
        settings(mode="nope")


def test_unknown_block_response_is_refused():
    with pytest.raises(SettingsError, match="pixelguard_block_response"):
        settings(block_response="451")


def test_broken_policy_names_file_line_and_key(tmp_path):
    policy = write_policy(tmp_path, 'first_party = ["clinic.example"]\nmode = "loud"\n')
    with pytest.raises(SettingsError, match=rf"pixelguard_policy: {policy}:4: policy.mode: must be one of"):
        settings(policy=policy)


def test_missing_policy_file_is_refused(tmp_path):
    with pytest.raises(SettingsError, match="cannot read policy file"):
        settings(policy=str(tmp_path / "missing.toml"))


def test_first_party_option_adds_to_the_policy_sites(tmp_path):
    policy = write_policy(tmp_path, 'first_party = ["clinic.example"]\n')
    assert settings(policy=policy, first_party=["Portal.Other.Example."]).policy.first_party == (
        "clinic.example", "portal.other.example")
    with pytest.raises(SettingsError, match="pixelguard_first_party"):
        settings(first_party=[" "])


def test_describe_is_one_line_with_every_setting(tmp_path):
    line = settings(mode="block", report="out.jsonl", answer_third_party=True).describe()
    assert "\n" not in line
    for part in ("mode=block (from pixelguard_mode)", "fail_on=high", "block_response=403",
                 "report=out.jsonl", "answer_third_party=true"):
        assert part in line


def test_html_report_path_is_checked_before_the_session_not_at_its_end(tmp_path):
    assert settings(html=str(tmp_path / "r.html")).html == str(tmp_path / "r.html")
    assert "html=" + str(tmp_path / "r.html") in settings(html=str(tmp_path / "r.html")).describe()
    with pytest.raises(SettingsError, match="pixelguard_html: cannot write"):
        settings(html=str(tmp_path / "missing" / "r.html"))
