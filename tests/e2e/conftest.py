"""Fixtures for end-to-end tests: the demo portal, mitmdump subprocesses with pixelguard's addon
(flag mode routed to the portal; block and redact mode in front of a recording upstream), and
one real Chromium. Browser tests skip only when Chromium is missing and CI is not "true"."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from mitmproxy import certs as mitm_certs

import pixelguard_addon
from pixelguard_addon.demo import browser as demo_browser
from pixelguard_addon.demo import certs
from pixelguard_addon.demo.patient import demo_patient, demo_policy_path
from pixelguard_addon.demo.portal import PORTAL_HOST, PortalServer
from pixelguard_addon.demo.proxy_process import ProxyProcess
from pixelguard_addon.demo.session import route_script

from .recorder import Recorder

HERE = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI") == "true"
PORTAL_URL = f"https://{PORTAL_HOST}"


def addon_script() -> str:
    real = Path(pixelguard_addon.__file__).parent / "mitm_entry.py"
    return str(real) if real.exists() else str(HERE / "standin_entry.py")  # TEMPORARY until the addon lands


def visit(browser, proxy: ProxyProcess) -> None:
    """The demo patient's visit, in a fresh browser context that uses `proxy`."""
    demo_browser.visit_portal(browser, PORTAL_URL, demo_patient(), say=lambda _: None, proxy_url=proxy.url)


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


@pytest.fixture(scope="session")
def flag_proxy(workdir, confdir, portal):
    """Flag mode as the demo runs it: portal routed locally, third parties answered by the proxy."""
    proxy = start_proxy(workdir, confdir, "flag", {
        "pixelguard_mode": "flag", "pixelguard_answer_third_party": True,
        "demo_route": f"{PORTAL_HOST}={portal.address}"}, scripts=[route_script()])
    yield proxy
    proxy.stop()


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
