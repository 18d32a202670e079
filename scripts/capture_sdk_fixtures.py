#!/usr/bin/env python3
"""Record real vendor SDKs' requests as test fixtures: tests/data/sdk/<vendor>.har + .planted.json.

    cd scripts/sdk-fixtures && npm ci --ignore-scripts && cd ../..
    /path/to/venv/bin/python scripts/capture_sdk_fixtures.py [vendor …]

Each SDK comes from npm at the exact version in scripts/sdk-fixtures/package.json, bundled
with esbuild (from the same package.json) into a page at http://portal.test/conditions/hiv-prep
that plants a condition, an e-mail, its SHA-256 and a phone number through the SDK's own API
(entries/<vendor>.js). Chromium loads the page through mitmdump running capture_addon.py,
which serves the page, answers the SDKs' https vendor hosts locally (lazy connection
strategy: nothing goes upstream, there is no internet here) and records their requests.

A developer tool: the test suite reads the committed fixtures and never runs this.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from pixelguard_addon.demo.proxy_process import interrupt

ROOT = Path(__file__).resolve().parent.parent
SDK_DIR = ROOT / "scripts" / "sdk-fixtures"
OUT_DIR = ROOT / "tests" / "data" / "sdk"
CHROMIUM = "/usr/bin/chromium"
PAGE_URL = "http://portal.test/conditions/hiv-prep"

EMAIL = "ida.tarbell.test@example.org"
PLANTED = {
    "condition": "HIV PrEP",
    "email": EMAIL,
    "email_sha256": hashlib.sha256(EMAIL.encode()).hexdigest(),
    "phone": "212-555-0142",
    "page_url": PAGE_URL,
}
# The site's own hosts (the .test TLD is not in the public suffix list, so subdomains must be
# named): collectors and gateways here are first party by host and third party by signature.
FIRST_PARTY = ["portal.test", "sp.portal.test", "countly.portal.test", "tracking.portal.test", "metrics.portal.test"]


@dataclass(frozen=True)
class Sdk:
    vendor: str  # catalog vendor id (fixture file name)
    entry: str  # entries/<entry>.js
    package: str  # npm package name in package.json
    settle_ms: int = 1500  # wait after the entry says done, before leaving the page
    hide_automation: bool = False  # navigator.webdriver off: PostHog drops a bot's events


SDKS = (
    Sdk("mixpanel", "mixpanel", "mixpanel-browser"),
    Sdk("mixpanel_base64", "mixpanel_base64", "mixpanel-browser"),
    Sdk("posthog", "posthog", "posthog-js", hide_automation=True),
    Sdk("posthog_lz64", "posthog_lz64", "posthog-js-lz64", hide_automation=True),
    Sdk("segment", "segment", "@segment/analytics-next"),
    Sdk("amplitude", "amplitude", "@amplitude/analytics-browser"),
    Sdk("sentry", "sentry", "@sentry/browser"),
    Sdk("datadog_rum", "datadog_rum", "@datadog/browser-rum", settle_ms=32_000),  # 30 s flush timeout
    Sdk("snowplow", "snowplow", "@snowplow/browser-tracker"),
    Sdk("new_relic", "new_relic", "@newrelic/browser-agent", settle_ms=3000),
    Sdk("rollbar", "rollbar", "rollbar"),
    Sdk("bugsnag", "bugsnag", "@bugsnag/browser"),
    Sdk("azure_app_insights", "app_insights", "@microsoft/applicationinsights-web"),
    Sdk("plausible", "plausible", "plausible-tracker"),
    Sdk("countly", "countly", "countly-sdk-web"),
)


def page_html(bundle: str) -> str:
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{PLANTED['condition']} | Portal Test Health</title></head>
<body><h1>{PLANTED['condition']}</h1><button id="book">Request an appointment</button>
<script>window.PLANTED = {json.dumps(PLANTED)};</script>
<script src="/sdk/{bundle}.js"></script>
</body></html>"""


def package_version(package: str) -> str:
    spec = json.loads((SDK_DIR / "package.json").read_text())["dependencies"][package]
    return spec.rsplit("@", 1)[-1] if spec.startswith("npm:") else spec


def sdk_name(package: str) -> str:
    spec = json.loads((SDK_DIR / "package.json").read_text())["dependencies"][package]
    return spec[4:] if spec.startswith("npm:") else f"{package}@{spec}"


def bundle(sdks: list[Sdk], out: Path) -> None:
    esbuild = SDK_DIR / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        sys.exit("run `npm ci --ignore-scripts` in scripts/sdk-fixtures first")
    for sdk in sdks:
        subprocess.run([str(esbuild), str(SDK_DIR / "entries" / f"{sdk.entry}.js"), "--bundle", "--format=iife",
                        f"--outfile={out / sdk.entry}.js", "--log-level=error",
                        '--define:process.env.NODE_ENV="production"'], check=True, cwd=SDK_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_proxy(port: int, bundles: Path, confdir: Path) -> subprocess.Popen:
    mitmdump = Path(sys.executable).with_name("mitmdump")
    proc = subprocess.Popen(
        [str(mitmdump), "--listen-host", "127.0.0.1", "--listen-port", str(port), "-q",
         "-s", str(SDK_DIR / "capture_addon.py"), "--set", "connection_strategy=lazy",
         "--set", f"pg_bundles={bundles}", "--set", f"confdir={confdir}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    sys.exit("mitmdump did not start: " + proc.stderr.read().decode(errors="replace"))


def control(port: int, path: str) -> bytes:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": f"http://127.0.0.1:{port}"}))
    with opener.open(f"http://pg.control{path}", timeout=10) as response:
        return response.read()


def run_sdk(playwright, port: int, sdk: Sdk) -> dict:
    from urllib.parse import quote

    control(port, f"/start?vendor={sdk.vendor}&page={quote(page_html(sdk.entry))}")
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, proxy={"server": f"http://127.0.0.1:{port}"},
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
              *(["--disable-blink-features=AutomationControlled"] if sdk.hide_automation else [])])
    try:
        # A patient's Chrome, not "HeadlessChrome": some SDKs drop events from bot user agents.
        user_agent = browser.new_page().evaluate("navigator.userAgent").replace("HeadlessChrome", "Chrome")
        context = browser.new_context(ignore_https_errors=True, user_agent=user_agent)
        page = context.new_page()
        if os.environ.get("PG_DEBUG") == "1":
            page.on("console", lambda message: print(f"  console {message.type}: {message.text}", file=sys.stderr))
            page.on("pageerror", lambda error: print(f"  page error: {error}", file=sys.stderr))
        page.goto(PAGE_URL)
        page.wait_for_function("window.__pgDone === true", timeout=30_000)
        page.wait_for_timeout(sdk.settle_ms)
        # Leaving the page (beforeunload, pagehide, hidden): SDKs flush their last batch.
        page.close(run_before_unload=True)
        time.sleep(2)
        context.close()
    finally:
        browser.close()
    return json.loads(control(port, "/har"))


def from_page(entry: dict) -> bool:
    """Sent by the page's SDK, not by Chromium itself (component updates and the like)."""
    headers = {h["name"].lower(): h["value"] for h in entry["request"]["headers"]}
    return os.environ.get("PG_KEEP_ALL") == "1" or "//portal.test" in headers.get("origin", "") + headers.get("referer", "")


def write_fixture(sdk: Sdk, har: dict) -> None:
    har["log"]["entries"] = entries = [entry for entry in har["log"]["entries"] if from_page(entry)]
    if not entries:
        print(f"{sdk.vendor}: no requests recorded", file=sys.stderr)
        return
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / f"{sdk.vendor}.har").write_text(json.dumps(har, indent=1, ensure_ascii=False) + "\n")
    planted_path = OUT_DIR / f"{sdk.vendor}.planted.json"
    # Expectations are written by hand after looking at the capture; keep them.
    expect = json.loads(planted_path.read_text()).get("expect", []) if planted_path.exists() else []
    planted = {
        "vendor": sdk.vendor.removesuffix("_lz64").removesuffix("_base64"),
        "origin": "real SDK capture",
        "sdk": sdk_name(sdk.package),
        "how": f"scripts/capture_sdk_fixtures.py, page code scripts/sdk-fixtures/entries/{sdk.entry}.js, "
               f"Chromium through mitmdump (vendor hosts answered locally)",
        "planted": PLANTED,
        "first_party": FIRST_PARTY,
        "expect": expect,
    }
    planted_path.write_text(json.dumps(planted, indent=1) + "\n")
    hosts = sorted({entry["request"]["url"].split("/")[2] for entry in entries})
    print(f"{sdk.vendor}: {len(entries)} requests to {', '.join(hosts)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vendors", nargs="*", help="only these (default: all)")
    args = parser.parse_args(argv)
    chosen = [sdk for sdk in SDKS if not args.vendors or sdk.vendor in args.vendors]
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="pg-sdk-") as tmp:
        bundles, confdir = Path(tmp) / "bundles", Path(tmp) / "mitmproxy"
        bundles.mkdir()
        bundle(chosen, bundles)
        port = free_port()
        proxy = start_proxy(port, bundles, confdir)
        try:
            with sync_playwright() as playwright:
                for sdk in chosen:
                    write_fixture(sdk, run_sdk(playwright, port, sdk))
        finally:
            interrupt(proxy, timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
