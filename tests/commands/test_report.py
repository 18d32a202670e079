"""`pixelguard report FINDINGS.jsonl`: reports and the gate from a saved findings file."""
from __future__ import annotations

import json
from importlib.resources import files

import pytest

from pixelguard_addon.cli import main
from pixelguard_addon.fingerprint import fingerprint
from pixelguard_addon.report.jsonl import read_jsonl

DEMO = files("pixelguard_addon") / "demo"


@pytest.fixture(scope="module")
def findings_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("findings") / "f.jsonl"
    main(["scan", "--policy", str(DEMO / "policy.toml"), "--jsonl", str(path), str(DEMO / "portal-session.har")])
    return path


def test_writes_the_reports_and_gates(findings_file, tmp_path, capsys):
    outputs = {"--html": "r.html", "--sarif": "r.sarif", "--junit": "r.xml", "--json": "r.json"}
    args = ["report", str(findings_file)]
    for option, name in outputs.items():
        args += [option, str(tmp_path / name)]
    assert main(args) == 1
    saved = read_jsonl(findings_file)
    assert saved and f"{len(saved)} finding(s)" in capsys.readouterr().out
    summary = json.loads((tmp_path / "r.json").read_text())
    assert summary["counts"]["findings"] == len({fingerprint(f) for f in saved}) and summary["captures"] == [str(DEMO / "portal-session.har")]
    assert all((tmp_path / name).stat().st_mode & 0o777 == 0o600 for name in outputs.values())


def test_threshold_and_exit_zero(findings_file, tmp_path):
    low_bar = tmp_path / "r.json"
    assert main(["report", str(findings_file), "--fail-on", "critical", "--json", str(low_bar)]) == 1
    critical = {fingerprint(f) for f in read_jsonl(findings_file) if f.severity == "critical"}
    assert critical and json.loads(low_bar.read_text())["counts"]["failing"] == len(critical)
    assert main(["report", str(findings_file), "--exit-zero"]) == 0


def test_baseline_suppresses(findings_file, tmp_path, capsys):
    baseline = tmp_path / "b.toml"
    assert main(["baseline", "create", "--policy", str(DEMO / "policy.toml"), "-o", str(baseline),
                 str(DEMO / "portal-session.har")]) == 0
    assert main(["report", str(findings_file), "--baseline", str(baseline)]) == 0
    assert "PASS" in capsys.readouterr().out


def test_bad_input_is_exit_two_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"rule_id": "PG-X"}\n')
    assert main(["report", str(bad), "--html", str(tmp_path / "r.html")]) == 2
    assert f"{bad}:1: not a pixelguard finding" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()
    assert main(["report", str(tmp_path / "absent.jsonl")]) == 2
