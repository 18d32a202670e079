"""`pixelguard scan` report options, gate options, and the privacy of every output it writes."""
from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from importlib.resources import files

import pytest

from pixelguard_addon.cli import main
from pixelguard_addon.policy import load_policy

DEMO = files("pixelguard_addon") / "demo"
CAPTURE, POLICY = str(DEMO / "portal-session.har"), str(DEMO / "policy.toml")
OUTPUTS = {"--jsonl": "f.jsonl", "--html": "r.html", "--sarif": "r.sarif", "--junit": "r.xml",
           "--summary-json": "r.json"}


def scan(tmp_path, *extra: str) -> tuple[int, dict[str, str]]:
    args = ["scan", "--policy", POLICY, CAPTURE, *extra]
    for option, name in OUTPUTS.items():
        args += [option, str(tmp_path / name)]
    code = main(args)
    return code, {name: (tmp_path / name).read_text(encoding="utf-8") for name in OUTPUTS.values()}


def raw_test_patient_values() -> list[str]:
    """What must never be in a default report: the demo patient's values as typed, in other
    spellings, the full digest of the e-mail, and a query value of the page URL."""
    patient = dict(load_policy(POLICY).test_patients[0].values)
    values = [value for value in patient.values() if len(value) >= 5]  # "Ida" is what masked e-mails show
    values += [patient["email"].lower(), "555-1212", "2125551212",
               hashlib.sha256(patient["email"].lower().encode()).hexdigest(), "specialty=oncology"]
    return values


def test_writes_every_format_owner_only(tmp_path, capsys):
    code, texts = scan(tmp_path)
    assert code == 1
    printed = capsys.readouterr().out
    for name in OUTPUTS.values():
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600
        assert f"written to {tmp_path / name}" in printed
    assert json.loads(texts["r.json"])["verdict"] == "FAIL"
    assert json.loads(texts["r.sarif"])["version"] == "2.1.0"
    assert ET.fromstring(texts["r.xml"]).get("failures") == "12"
    assert "<strong>FAIL</strong>" in texts["r.html"]


def test_no_output_holds_a_raw_value_by_default(tmp_path, capsys):
    _, texts = scan(tmp_path)
    texts["stdout"] = capsys.readouterr().out
    for name, text in texts.items():
        for raw in raw_test_patient_values():
            assert raw.lower() not in text.lower(), f"{raw!r} in {name}"


def test_reveal_evidence_puts_raw_values_in_every_output_with_a_warning(tmp_path, capsys):
    _, texts = scan(tmp_path, "--reveal-evidence")
    texts["stdout"] = capsys.readouterr().out
    for name, text in texts.items():
        assert "(212) 555-1212" in text and "PrEP follow-up" in text, name
    assert 'id="reveal-warning"' in texts["r.html"]
    assert json.loads(texts["r.sarif"])["runs"][0]["properties"]["revealEvidence"] is True
    assert "pixelguard.warning" in texts["r.xml"]
    assert "Share it with no one" in json.loads(texts["r.json"])["warning"]
    assert '"revealed": ' in texts["f.jsonl"]
    assert texts["stdout"].startswith("WARNING  raw field values shown")


def test_exit_zero_reports_without_failing_but_errors_still_fail(tmp_path):
    code, texts = scan(tmp_path, "--exit-zero")
    assert code == 0 and json.loads(texts["r.json"])["exit_code"] == 1
    assert main(["scan", "--exit-zero", str(tmp_path / "absent.har")]) == 2


def test_threshold_decides_the_exit_code(tmp_path):
    clean_policy = tmp_path / "p.toml"
    clean_policy.write_text('schema_version = 1\n[policy]\nfirst_party = ["mercyvalley-health.org"]\n')
    # without the test patient only conditions and page context remain: high, medium
    assert main(["scan", "--policy", str(clean_policy), "--fail-on", "critical", CAPTURE]) == 0
    assert main(["scan", "--policy", str(clean_policy), "--fail-on", "high", CAPTURE]) == 1


def test_broken_baseline_stops_before_scanning(tmp_path, capsys):
    bad = tmp_path / "b.toml"
    bad.write_text("schema_version = 1\n[[accepted]]\nrule = 3\n")
    assert main(["scan", CAPTURE, "--baseline", str(bad), "--html", str(tmp_path / "r.html")]) == 2
    assert f"{bad}:2: accepted[0]: missing vendor" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("option", ["--html", "--sarif", "--junit", "--summary-json"])
def test_unwritable_report_path_is_an_error(tmp_path, option, capsys):
    assert main(["scan", CAPTURE, option, str(tmp_path / "no" / "such" / "dir" / "r")]) == 2
    assert "pixelguard:" in capsys.readouterr().err
