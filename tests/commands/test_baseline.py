"""`pixelguard baseline create`: accept today's findings; the next scan fails only on new ones."""
from __future__ import annotations

import datetime as dt
import getpass
import json
from importlib.resources import files

import pytest

from pixelguard_addon.baseline import load_baseline
from pixelguard_addon.cli import main

DEMO = files("pixelguard_addon") / "demo"
CAPTURE, POLICY = str(DEMO / "portal-session.har"), str(DEMO / "policy.toml")


@pytest.fixture(scope="module")
def demo_findings() -> list:
    """The demo's findings, from the engine itself: the lexicon grows, the counts follow."""
    from pixelguard_addon.engine import Engine
    from pixelguard_addon.policy import load_policy
    from pixelguard_addon.scan import scan_captures

    found = scan_captures(Engine(load_policy(POLICY)), [CAPTURE]).findings
    assert found
    return found


@pytest.fixture(scope="module")
def leaks(demo_findings) -> int:
    """Distinct leaks (one baseline entry each); several findings may share one."""
    from pixelguard_addon.fingerprint import fingerprint

    return len({fingerprint(f) for f in demo_findings})


def create(tmp_path, *extra: str) -> int:
    return main(["baseline", "create", "--policy", POLICY, "--output", str(tmp_path / "b.toml"), CAPTURE, *extra])


def test_create_then_scan_passes_with_everything_suppressed(tmp_path, capsys, leaks, demo_findings):
    assert create(tmp_path, "--reason", "known, TICKET-7", "--owner", "privacy@hospital", "--expires", "2099-12-31") == 0
    assert f"{leaks} entries ({leaks} new, 0 kept)" in capsys.readouterr().out
    entries = load_baseline(tmp_path / "b.toml").entries
    assert {(e.reason, e.owner, e.expires) for e in entries} == {("known, TICKET-7", "privacy@hospital",
                                                                  dt.date(2099, 12, 31))}
    summary = tmp_path / "s.json"
    assert main(["scan", "--policy", POLICY, "--baseline", str(tmp_path / "b.toml"), "--summary-json",
                 str(summary), CAPTURE]) == 0
    counts = json.loads(summary.read_text())["counts"]
    assert (counts["suppressed"], counts["failing"], counts["unused_baseline"]) == (leaks, 0, 0)
    assert f"SUPPRESSED: {len(demo_findings)}" in capsys.readouterr().out


def test_rerun_keeps_entries_and_default_owner_is_the_user(tmp_path, capsys, leaks):
    assert create(tmp_path) == 0
    first = (tmp_path / "b.toml").read_text()
    assert f'owner = "{getpass.getuser()}"' in first
    assert create(tmp_path, "--owner", "someone-else") == 0
    assert (tmp_path / "b.toml").read_text() == first
    assert f"(0 new, {leaks} kept)" in capsys.readouterr().out


def test_unreadable_capture_writes_no_baseline(tmp_path, capsys):
    assert main(["baseline", "create", "-o", str(tmp_path / "b.toml"), str(tmp_path / "absent.har")]) == 2
    assert "baseline not written" in capsys.readouterr().err and not (tmp_path / "b.toml").exists()


@pytest.mark.parametrize("expires", ["2001-01-01", "next week"])
def test_expiry_must_be_a_future_date(tmp_path, expires):
    with pytest.raises(SystemExit) as caught:
        create(tmp_path, "--expires", expires)
    assert caught.value.code == 2


def test_baseline_holds_no_raw_value(tmp_path):
    create(tmp_path)
    text = (tmp_path / "b.toml").read_text().lower()
    for raw in ("tarbell", "555-1212", "mv00482913", "1971-01-01", "prep follow-up", "oncology"):
        assert raw not in text
