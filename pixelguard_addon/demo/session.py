"""One demo session: the portal on loopback, mitmdump with pixelguard in front of it, and a
patient's visit sent through the proxy, by a real Chromium or, without one, by replaying the
bundled recording of the same visit.

Third-party requests are inspected and then answered by the proxy itself
(`pixelguard_answer_third_party`): nothing leaves the machine.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable

from . import browser, certs, replay
from .patient import demo_patient
from .portal import PORTAL_HOST, PortalServer
from .proxy_process import ProxyProcess
from .session_har import from_site, read_flows, write_har

BROWSER, REPLAY = "browser", "replay"


@dataclass
class SessionFiles:
    """What a session leaves in its output directory."""

    out: Path

    @property
    def report(self) -> Path:
        return self.out / "findings.jsonl"

    @property
    def html(self) -> Path:
        return self.out / "report.html"

    @property
    def flows(self) -> Path:
        return self.out / "session.flows"

    @property
    def har(self) -> Path:
        return self.out / "session.har"

    @property
    def proxy_log(self) -> Path:
        return self.out / "mitmdump.log"


@dataclass
class SessionResult:
    files: SessionFiles
    driver: str  # BROWSER or REPLAY
    requests: int = 0  # what the patient's visit sent (the browser's own background traffic left out)
    first_party: int = 0
    replay_failures: list[str] = field(default_factory=list)


def bundled_capture() -> str:
    return str(resources.files(__package__) / "portal-session.har")


def addon_script() -> str:
    return str(resources.files("pixelguard_addon") / "mitm_entry.py")


def route_script() -> str:
    return str(resources.files(__package__) / "route_entry.py")


def proxy_options(paths: SessionFiles, confdir: Path, policy: str, portal: PortalServer) -> dict:
    return {
        "confdir": str(confdir),
        # Connect upstream only when a request needs it: the vendors' hostnames never resolve here.
        "connection_strategy": "lazy",
        "pixelguard_mode": "flag",
        "pixelguard_policy": policy,
        "pixelguard_report": str(paths.report),
        "pixelguard_html": str(paths.html),
        "pixelguard_answer_third_party": True,
        "demo_route": f"{PORTAL_HOST}={portal.address}",
        "save_stream_file": str(paths.flows),
    }


def run_session(out: Path, policy: str, driver: str, addon: str | None = None,
                say: Callable[[str], None] = print) -> SessionResult:
    """Run the whole session; `driver` is BROWSER or REPLAY. Raises ProxyError if mitmdump fails."""
    paths = SessionFiles(out)
    out.mkdir(parents=True, exist_ok=True)
    paths.html.unlink(missing_ok=True)  # written by the proxy as it stops: never show an old one
    result = SessionResult(paths, driver)
    # A throwaway CA: its key never outlives the session, and no trust store is touched.
    with tempfile.TemporaryDirectory(prefix="pixelguard-demo-ca-") as confdir, PortalServer() as portal:
        say(f"  portal:  https://{PORTAL_HOST}/ (served from {portal.address})")
        proxy = ProxyProcess([addon or addon_script(), route_script()],
                             proxy_options(paths, Path(confdir), policy, portal), paths.proxy_log)
        with proxy:
            say(f"  proxy:   mitmdump with pixelguard at {proxy.url} (flag mode, third parties answered locally)")
            ca = certs.ca_cert_path(confdir)
            if driver == BROWSER:
                try:
                    _visit_with_browser(proxy, ca, say)
                except browser.BrowserUnavailable as exc:
                    say(f"  browser: {exc}\n  Replaying the recorded visit through the same proxy instead.")
                    result.driver = REPLAY
            if result.driver == REPLAY:
                result.replay_failures = _replay(proxy, ca, say)
    _export(result)
    return result


def _visit_with_browser(proxy: ProxyProcess, ca: Path, say: Callable[[str], None]) -> None:
    with browser.chromium(proxy.url, certs.spki_sha256_base64(ca)) as chromium:
        say(f"  browser: Chromium ({browser.find_chromium()}), headless, through the proxy")
        browser.visit_portal(chromium, f"https://{PORTAL_HOST}", demo_patient(), say)


def _replay(proxy: ProxyProcess, ca: Path, say: Callable[[str], None]) -> list[str]:
    capture = bundled_capture()
    say(f"  replay:  {capture} (the recorded browser visit), request by request through the proxy")
    sent = replay.replay_capture(capture, proxy.port, certs.client_context(ca))
    return [f"{item.method} {item.url}: {item.reason}" for item in sent if item.status is None]


def _export(result: SessionResult) -> None:
    """Keep the visit's own requests (not the browser's background traffic) as a HAR."""
    if not result.files.flows.exists():
        return
    flows = [f for f in read_flows(result.files.flows) if from_site(f, PORTAL_HOST)]
    write_har(flows, result.files.har)
    for capture in (result.files.flows, result.files.har):  # what was sent, test patient's values and all
        capture.chmod(0o600)
    result.requests = len(flows)
    result.first_party = sum(1 for f in flows if f.request.pretty_host == PORTAL_HOST)
