"""patterns/rules.toml: every rule pixelguard raises is explained, and the file is validated."""
from __future__ import annotations

import tomllib

import pytest

from pixelguard_addon.catalog import PatternsError, patterns_dir
from pixelguard_addon.detectors.canaries import rule_id_for
from pixelguard_addon.policy import TEST_PATIENT_FIELDS
from pixelguard_addon.report.rules import load_rules, rule_info

GOOD = """schema_version = 1
[reference.a]
title = "A ref"
url = "https://example.org/a"
[remediation.fix]
text = "Fix it."
[[rule]]
id = "PG-X"
title = "X"
description = "Why."
references = ["a"]
remediation = ["fix"]
cwe = ["CWE-359"]
"""


def raised_rule_ids() -> set[str]:
    identifiers = tomllib.loads((patterns_dir() / "identifiers.toml").read_text(encoding="utf-8"))
    ids = {kind["rule_id"] for kind in identifiers["kind"]} | {identifiers["hashed"]["rule_id"]}
    ids |= {rule_id_for(name) for name in TEST_PATIENT_FIELDS}
    return ids | {"PG-PHI-CONDITION", "PG-CTX-HEALTH-PAGE", "PG-CTX-AUTH-PAGE"}


@pytest.mark.parametrize("rule_id", sorted(raised_rule_ids()))
def test_every_raised_rule_is_explained(rule_id):
    info = rule_info(rule_id)
    assert info.id == rule_id and not info.title.startswith(rule_id)
    assert info.description and info.references and info.remediation and info.cwe


def test_the_regulatory_references_the_reports_must_cite_are_there():
    titles = " | ".join(ref.title for rule_id in raised_rule_ids() for ref in rule_info(rule_id).references)
    for needle in ("Dec 2022", "Mar 2024", "Becerra", "Jun 2024", "164.514(b)(2)", "Health Breach Notification Rule",
                   "My Health My Data"):
        assert needle in titles
    assert rule_info("PG-CTX-AUTH-PAGE").remediation[0].startswith("Remove the tag from authenticated pages")
    assert any("advanced matching" in step for step in rule_info("PG-CANARY-EMAIL").remediation)
    assert any("BAA" in step for step in rule_info("PG-PHI-CONDITION").remediation)


def test_family_titles_name_the_member_and_exact_ids_win():
    assert rule_info("PG-CANARY-FIRST-NAME").title == "Test patient's first name sent to a third party"
    assert rule_info("PG-ID-NPI").title == "Identifier sent to a third party (npi)"
    assert rule_info("PG-ID-EMAIL").title == "E-mail address sent to a third party"


def test_unknown_rule_gets_a_generic_explanation():
    info = rule_info("PG-SOMETHING-NEW")
    assert info.title.startswith("PG-SOMETHING-NEW") and info.cwe == ("CWE-359",)


@pytest.mark.parametrize("change, line, message", [
    (('references = ["a"]', 'references = ["b"]'), 11, "rule[0].references[0]: unknown references id 'b'"),
    (('cwe = ["CWE-359"]', 'cwe = ["359"]'), 13, "rule[0].cwe: must list CWE ids"),
    (('id = "PG-X"', 'id = "PG-*-X"'), 8, "rule[0].id: 'PG-*-X' is not a rule id"),
    (('remediation = ["fix"]', "remediation = []"), 12, "rule[0].remediation: must name at least one entry"),
    (("[[rule]]", "[[rule]]\nnote = 1"), 8, "rule[0].note: unknown key"),
])
def test_broken_file_names_line_and_key(tmp_path, change, line, message):
    path = tmp_path / "rules.toml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(PatternsError) as caught:
        load_rules(path)
    assert str(caught.value).startswith(f"{path}:{line}: {message}")


def test_duplicate_rule_id(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(GOOD + GOOD[GOOD.index("[[rule]]"):], encoding="utf-8")
    with pytest.raises(PatternsError, match="duplicate rule id 'PG-X'"):
        load_rules(path)
