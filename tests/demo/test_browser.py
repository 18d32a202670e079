import os

import pytest

from pixelguard_addon.demo import browser


def test_configured_chromium_wins_and_must_be_executable(tmp_path, monkeypatch):
    binary = tmp_path / "chromium"
    binary.write_text("#!/bin/sh\n")
    monkeypatch.setenv(browser.CHROMIUM_ENV, str(binary))
    assert browser.find_chromium() is None  # not executable
    binary.chmod(0o755)
    assert browser.find_chromium() == str(binary)


def _playwright_installed(monkeypatch, installed: bool) -> None:
    find_spec = browser.importlib.util.find_spec
    monkeypatch.setattr(browser.importlib.util, "find_spec",
                        lambda name, *args: (object() if installed else None) if name == "playwright" else find_spec(name, *args))


def test_no_chromium_is_explained(monkeypatch, tmp_path):
    monkeypatch.setenv(browser.CHROMIUM_ENV, str(tmp_path / "absent"))
    _playwright_installed(monkeypatch, True)  # whether this venv has it or not
    reason = browser.browser_unavailable_reason()
    assert reason and browser.CHROMIUM_ENV in reason


def test_no_playwright_is_explained_first(monkeypatch, tmp_path):
    monkeypatch.setenv(browser.CHROMIUM_ENV, str(tmp_path / "absent"))
    _playwright_installed(monkeypatch, False)
    reason = browser.browser_unavailable_reason()
    assert reason and "pixelguard[demo]" in reason


def test_chromium_is_looked_up_on_path(monkeypatch, tmp_path):
    monkeypatch.delenv(browser.CHROMIUM_ENV, raising=False)
    fake = tmp_path / "chromium-browser"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert browser.find_chromium() == str(fake)
    monkeypatch.setenv("PATH", os.devnull)
    assert browser.find_chromium() is None


def test_launch_pins_the_proxy_ca_and_proxies_everything():
    options = browser.launch_options("http://127.0.0.1:8080", "PIN=", "/usr/bin/chromium")
    assert options["proxy"] == {"server": "http://127.0.0.1:8080"} and options["headless"] is True
    assert "--ignore-certificate-errors-spki-list=PIN=" in options["args"]


def test_a_binary_that_is_not_chromium_is_unavailable_not_a_crash(tmp_path):
    pytest.importorskip("playwright")
    with pytest.raises(browser.BrowserUnavailable, match="did not start"):
        with browser.chromium("http://127.0.0.1:9", "PIN=", executable="/bin/false"):
            pass


@pytest.mark.browser
def test_a_visit_that_cannot_finish_says_which_step(tmp_path, monkeypatch):
    missing = browser.browser_unavailable_reason()
    if missing:
        (pytest.fail if os.environ.get("CI") == "true" else pytest.skip)(missing)
    monkeypatch.setattr(browser, "STEP_TIMEOUT_MS", 1000)
    with browser.chromium("http://127.0.0.1:9", "PIN=") as chromium:  # nothing listens on port 9
        with pytest.raises(browser.VisitFailed, match="opens the home page"):
            browser.visit_portal(chromium, "https://portal.mercyvalley-health.test", {}, say=lambda _: None)
