"""`pixelguard demo` as the quick start runs it: a subprocess, the real addon, the real CLI."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pixelguard_addon.demo import browser as demo_browser
from pixelguard_addon.demo.leaks import PLANTED_LEAKS
from pixelguard_addon.report.jsonl import read_jsonl

from .conftest import unavailable


def run_demo(out, *args, env=None):
    return subprocess.run([sys.executable, "-m", "pixelguard_addon.cli", "demo", "--out", str(out), *args],
                          capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})


def assert_demo_succeeded(done, out):
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"Planted leaks caught: {len(PLANTED_LEAKS)} of {len(PLANTED_LEAKS)}" in done.stdout
    assert read_jsonl(out / "findings.jsonl")
    assert oct((out / "findings.jsonl").stat().st_mode & 0o777) == oct(0o600)
    for name in ("findings.jsonl", "session.har", "mitmdump.log"):
        assert str(out / name) in done.stdout


def test_without_a_browser_the_demo_replays_the_visit_through_the_proxy(tmp_path):
    done = run_demo(tmp_path, env={demo_browser.CHROMIUM_ENV: str(tmp_path / "no-chromium")})
    assert "no browser to drive" in done.stdout and "Replaying the recorded visit" in done.stdout
    assert "replay:" in done.stdout and "proxy:" in done.stdout
    assert_demo_succeeded(done, tmp_path)


@pytest.mark.browser
def test_the_demo_drives_chromium_through_the_proxy(tmp_path):
    if demo_browser.browser_unavailable_reason():
        unavailable(demo_browser.browser_unavailable_reason())
    done = run_demo(tmp_path)
    assert "browser: Chromium" in done.stdout and "patient fills in the appointment form" in done.stdout
    assert_demo_succeeded(done, tmp_path)


def test_a_broken_policy_stops_the_demo_before_anything_starts(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("schema_version = 1\n[policy]\nmode = 'loud'\n")
    done = run_demo(tmp_path / "out", "--policy", str(bad))
    assert done.returncode == 2 and "policy.mode" in done.stderr
    assert not (tmp_path / "out").exists()
