"""Fixtures for end-to-end tests: the demo portal, mitmdump subprocesses with pixelguard's addon
in block and redact mode in front of a recording upstream, one real Chromium, and the demo
command itself (flag mode, as users run it). Browser tests skip only when Chromium is missing
and CI is not "true"."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mitmproxy import certs as mitm_certs

import pixelguard_addon
from pixelguard_addon.demo import browser as demo_browser
from pixelguard_addon.demo import certs
from pixelguard_addon.demo.leaks import PLANTED_LEAKS
from pixelguard_addon.demo.patient import demo_patient, demo_policy_path
from pixelguard_addon.demo.portal import PORTAL_HOST, PortalServer
from pixelguard_addon.demo.proxy_process import ProxyProcess
from pixelguard_addon.report.jsonl import read_jsonl

from .recorder import Recorder

IN_CI = os.environ.get("CI") == "true"
PORTAL_URL = f"https://{PORTAL_HOST}"


def addon_script() -> str:
    return str(Path(pixelguard_addon.__file__).parent / "mitm_entry.py")


def visit(browser, proxy: ProxyProcess) -> None:
    """The demo patient's visit, in a fresh browser context that uses `proxy`."""
    demo_browser.visit_portal(browser, PORTAL_URL, demo_patient(), say=lambda _: None, proxy_url=proxy.url)


def run_demo(out: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`pixelguard demo --out OUT ...` as a user runs it: its own process, the real CLI."""
    return subprocess.run([sys.executable, "-m", "pixelguard_addon.cli", "demo", "--out", str(out), *args],
                          capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})


def assert_demo_succeeded(done: subprocess.CompletedProcess, out: Path) -> None:
    """Exit 0, every planted leak caught, the report written owner-only, the paths printed."""
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"Planted leaks caught: {len(PLANTED_LEAKS)} of {len(PLANTED_LEAKS)}" in done.stdout
    assert read_jsonl(out / "findings.jsonl")
    assert oct((out / "findings.jsonl").stat().st_mode & 0o777) == oct(0o600)
    for name in ("findings.jsonl", "session.har", "mitmdump.log", "report.html"):
        assert str(out / name) in done.stdout
    html = (out / "report.html").read_text(encoding="utf-8")  # written by the addon as mitmdump stopped
    assert oct((out / "report.html").stat().st_mode & 0o777) == oct(0o600)
    assert "Meta Pixel" in html and "live session" in html and "Ida.Tarbell" not in html


def unavailable(reason: str):
    """No browser: a failure in CI, a skip on a developer machine without Chromium."""
    if IN_CI:
        pytest.fail(f"browser tests are mandatory in CI (CI=true): {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def confdir(workdir) -> Path:
    """One CA for every proxy of the session, made before any of them starts (the browser pins it)."""
    path = workdir / "mitmproxy"
    mitm_certs.CertStore.from_store(path, "mitmproxy", 2048)
    return path


@pytest.fixture(scope="session")
def ca_cert(confdir) -> Path:
    return certs.ca_cert_path(confdir)


@pytest.fixture(scope="session")
def portal():
    with PortalServer() as server:
        yield server


def start_proxy(workdir: Path, confdir: Path, name: str, options: dict, scripts=(), mode=None) -> ProxyProcess:
    base = {"confdir": str(confdir), "connection_strategy": "lazy", "pixelguard_policy": demo_policy_path(),
            "pixelguard_report": str(workdir / f"{name}.jsonl")}
    proxy = ProxyProcess([addon_script(), *scripts], {**base, **options}, workdir / f"{name}.log", mode=mode)
    return proxy.start()


def _recording_proxy(workdir, confdir, portal, name: str, mode: str):
    with Recorder(workdir / name, {PORTAL_HOST: ("127.0.0.1", portal.port)}) as recorder:
        proxy = start_proxy(workdir, confdir, name, {"pixelguard_mode": mode, "ssl_insecure": True},
                            mode=f"upstream:http://127.0.0.1:{recorder.port}")
        yield proxy, recorder
        proxy.stop()


@pytest.fixture(scope="session")
def block_proxy(workdir, confdir, portal):
    """Block mode in front of a recording upstream: what reaches the recorder left the proxy."""
    (workdir / "block").mkdir()
    yield from _recording_proxy(workdir, confdir, portal, "block", "block")


@pytest.fixture(scope="session")
def redact_proxy(workdir, confdir, portal):
    (workdir / "redact").mkdir()
    yield from _recording_proxy(workdir, confdir, portal, "redact", "redact")


# Module scope: a Playwright left running would break any later test that starts its own.
@pytest.fixture(scope="module")
def browser(ca_cert):
    executable = demo_browser.find_chromium()
    if executable is None:
        unavailable("no Chromium found (apt-get install chromium, or set PIXELGUARD_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Playwright package is not installed")
    # Each test context names its own proxy; the launch-level one is never used.
    options = demo_browser.launch_options("http://per-context", certs.spki_sha256_base64(ca_cert), executable)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**options)
        yield chromium
        chromium.close()
