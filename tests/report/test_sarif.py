"""SARIF 2.1.0: valid against the official schema, and shaped the way GitHub code scanning needs."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from pixelguard_addon.report.sarif import FINGERPRINT_KEY, artifact_uri, render_sarif

from .helpers import APP, PORTAL, assert_golden, report

SCHEMA = Path(__file__).resolve().parent.parent / "data" / "sarif-schema-2.1.0.json"


def sarif(**meta_changes) -> dict:
    return json.loads(render_sarif(report(**meta_changes)))


def test_golden():
    assert_golden("report.sarif.json.golden", render_sarif(report()))


def test_valid_against_the_sarif_2_1_0_schema():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(sarif()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_schema_check_is_not_vacuous():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = sarif()
    broken["runs"][0]["results"][0]["level"] = "severe"
    del broken["runs"][0]["tool"]["driver"]["name"]
    assert len(list(jsonschema.validators.validator_for(schema)(schema).iter_errors(broken))) >= 2


def test_every_result_points_at_a_capture_file_line_github_can_show():
    for result in sarif()["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] in (PORTAL, APP)
        assert location["region"]["startLine"] >= 1
        assert result["partialFingerprints"][FINGERPRINT_KEY].startswith("pg1:")
        assert result["webRequest"]["target"].startswith("https://")  # the URL, in the message and here
        assert result["webRequest"]["target"] in result["message"]["text"]


def test_rules_carry_security_severity_tags_and_cwe():
    run = sarif()["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert set(rules) == {r["ruleId"] for r in run["results"]}
    assert rules["PG-CANARY-PHONE"]["properties"]["security-severity"] == "9.5"
    assert rules["PG-CTX-HEALTH-PAGE"]["properties"]["security-severity"] == "5.5"
    for rule in rules.values():
        tags = rule["properties"]["tags"]
        assert tags[:2] == ["security", "privacy"] and "CWE-359" in tags
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
    for result in run["results"]:
        assert rules[result["ruleId"]] == run["tool"]["driver"]["rules"][result["ruleIndex"]]


def test_suppressed_and_allowed_results_stay_visible_as_such():
    results = sarif()["runs"][0]["results"]
    by_status = {r["properties"]["status"]: r for r in results}
    assert "baseline: search terms go to GA4" in by_status["suppressed"]["suppressions"][0]["justification"]
    assert by_status["allowed"]["suppressions"][0]["justification"].startswith("BAA: BAA signed 2025-03-01")
    assert "suppressions" not in by_status["open"]
    states = {r["ruleId"] + r["properties"]["chain"]: r["baselineState"] for r in results}
    assert states["PG-PHI-CONDITIONbody → ndjson[1] → form → ep.search_term"] == "unchanged"
    assert states["PG-CANARY-EMAILquery.udff[em]"] == "new"


def test_repeated_leak_is_one_result_with_its_other_places_related():
    results = [r for r in sarif()["runs"][0]["results"] if r["ruleId"] == "PG-CANARY-PHONE"]
    assert len(results) == 1 and results[0]["properties"]["count"] == 2
    assert len(results[0]["relatedLocations"]) == 1 and "Seen 2 times" in results[0]["message"]["text"]


def test_invocation_reports_errors_and_unused_baseline_entries():
    invocation = sarif(errors=("captures/broken.har: not a HAR",))["runs"][0]["invocations"][0]
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert invocation["executionSuccessful"] is False
    assert any("broken.har" in t for t in texts) and any("matched nothing" in t for t in texts)


def test_start_line_is_the_har_entry_line(tmp_path, monkeypatch):
    entries = [{"request": {"url": f"https://t.example/{i}"}} for i in range(3)]
    (tmp_path / "s.har").write_text(json.dumps({"log": {"entries": entries}}, indent=1))
    monkeypatch.chdir(tmp_path)
    run = json.loads(render_sarif(report(captures=("s.har",))))["runs"][0]
    # the fixture's findings name captures/portal.har, which is not here: line 1
    assert {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]} == {1}
    from pixelguard_addon.report.locations import entry_line
    lines = (tmp_path / "s.har").read_text().splitlines()
    assert lines[entry_line("s.har", 2) - 1].strip() == "{" and "/2" in lines[entry_line("s.har", 2) + 1]


def test_artifact_uri_is_relative_under_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert artifact_uri("captures/a.har") == "captures/a.har"
    assert artifact_uri(str(tmp_path / "captures" / "a.har")) == "captures/a.har"
    assert artifact_uri("/elsewhere/a b.har") == "file:///elsewhere/a%20b.har"


def test_revealed_value_only_when_present():
    assert "revealed" not in json.dumps(sarif())
