"""`pixelguard demo` without a browser, and with a broken policy (the browser run: test_flag_mode)."""
from __future__ import annotations

from pixelguard_addon.demo import browser as demo_browser
from pixelguard_addon.demo import session
from pixelguard_addon.demo.patient import demo_policy_path
from pixelguard_addon.report.jsonl import read_jsonl

from .conftest import addon_script, assert_demo_succeeded, run_demo


def test_without_a_browser_the_demo_replays_the_visit_through_the_proxy(tmp_path):
    done = run_demo(tmp_path, env={demo_browser.CHROMIUM_ENV: str(tmp_path / "no-chromium")})
    assert "no browser to drive" in done.stdout and "Replaying the recorded visit" in done.stdout
    assert "replay:" in done.stdout and "proxy:" in done.stdout
    assert_demo_succeeded(done, tmp_path)


def test_a_broken_policy_stops_the_demo_before_anything_starts(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("schema_version = 1\n[policy]\nmode = 'loud'\n")
    done = run_demo(tmp_path / "out", "--policy", str(bad))
    assert done.returncode == 2 and "policy.mode" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_browser_that_fails_to_start_falls_back_to_replay(tmp_path, monkeypatch):
    monkeypatch.setenv(demo_browser.CHROMIUM_ENV, "/bin/false")  # executable, but no Chromium
    said: list[str] = []
    result = session.run_session(tmp_path, demo_policy_path(), session.BROWSER, addon=addon_script(),
                                 say=said.append)
    assert result.driver == session.REPLAY and result.requests > 0 and not result.replay_failures
    assert any("/bin/false did not start" in line for line in said)
    assert read_jsonl(result.files.report)
