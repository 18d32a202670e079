"""`pixelguard demo` without a browser, and with a broken policy (the browser run: test_flag_mode)."""
from __future__ import annotations

from pixelguard_addon.demo import browser as demo_browser

from .conftest import assert_demo_succeeded, run_demo


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
