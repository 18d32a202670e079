"""Drive a real Chromium through the proxy, clicking through the demo portal like a patient.

Playwright from PyPI drives the system's Chromium (`executable_path`): `playwright install`
downloads browser builds, which machines without internet cannot do. The browser trusts the
proxy's CA by its key pin only (--ignore-certificate-errors-spki-list), so nothing is installed
into a trust store.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
from contextlib import contextmanager
from typing import Callable, Iterator

CHROMIUM_ENV = "PIXELGUARD_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync")
STEP_TIMEOUT_MS = 20_000
SEARCH_TERM = "breast cancer"


class BrowserUnavailable(RuntimeError):
    """No browser could be started here; the message says why."""


class VisitFailed(RuntimeError):
    """The browser started but the patient's visit did not complete (a page or beacon hung)."""


def find_chromium() -> str | None:
    """$PIXELGUARD_CHROMIUM, else the first Chromium or Chrome on PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def browser_unavailable_reason() -> str | None:
    """Why the demo cannot use a browser here, or None when it can."""
    if importlib.util.find_spec("playwright") is None:
        return "the Playwright package is not installed (pip install 'pixelguard[demo]')"
    if find_chromium() is None:
        return (f"no Chromium found (looked for {', '.join(CHROMIUM_NAMES)} on PATH; "
                f"set {CHROMIUM_ENV} to a Chromium or Chrome binary)")
    return None


def launch_options(proxy_url: str, ca_spki: str, executable: str) -> dict:
    return {
        "executable_path": executable,
        "headless": True,
        "proxy": {"server": proxy_url},
        "args": [*CHROMIUM_ARGS, f"--ignore-certificate-errors-spki-list={ca_spki}"],
    }


@contextmanager
def chromium(proxy_url: str, ca_spki: str, executable: str | None = None) -> Iterator:
    """A headless Chromium whose every request goes through the proxy at `proxy_url`."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    executable = executable or find_chromium()
    if executable is None:
        raise BrowserUnavailable(browser_unavailable_reason() or "no Chromium found")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(**launch_options(proxy_url, ca_spki, executable))
        except PlaywrightError as exc:  # not a Chromium, or one that cannot run here
            raise BrowserUnavailable(f"{executable} did not start: {exc.message.splitlines()[0]}") from exc
        try:
            yield browser
        finally:
            browser.close()


def wait_for_tags(page, group: str) -> None:
    """The portal's tag script marks each group of beacons once all of them are out."""
    page.wait_for_selector(f'body[data-tags-sent~="{group}"]', state="attached", timeout=STEP_TIMEOUT_MS)


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=STEP_TIMEOUT_MS)
    wait_for_tags(page, "pageview")


def follow(page, selector: str, url_glob: str) -> None:
    """Click a link or submit button that navigates, and wait for the new page's tags."""
    page.click(selector, timeout=STEP_TIMEOUT_MS)
    page.wait_for_url(url_glob, wait_until="domcontentloaded", timeout=STEP_TIMEOUT_MS)
    wait_for_tags(page, "pageview")


def read_home(page, base: str, patient: dict[str, str]) -> None:
    open_page(page, f"{base}/")


def search_doctor(page, base: str, patient: dict[str, str]) -> None:
    open_page(page, f"{base}/find-a-doctor")
    page.fill("#q", SEARCH_TERM)
    follow(page, "#doctor-search button[type=submit]", "**/find-a-doctor?q=*")


def read_condition(page, base: str, patient: dict[str, str]) -> None:
    follow(page, "nav a[href='/conditions/hiv-prep']", "**/conditions/hiv-prep")


def request_appointment(page, base: str, patient: dict[str, str]) -> None:
    follow(page, "#book-prep", "**/appointments/request?service=hiv-prep")
    for field in ("first_name", "last_name", "email", "phone", "dob", "reason"):
        page.fill(f"#{field}", patient[field])
    page.click("#submit-appt", timeout=STEP_TIMEOUT_MS)
    wait_for_tags(page, "submit")


def sign_in(page, base: str, patient: dict[str, str]) -> None:
    from .portal.site import PASSWORD, USERNAME

    open_page(page, f"{base}/MyChart/login")
    page.fill("#username", USERNAME)
    page.fill("#password", PASSWORD)
    follow(page, "#sign-in", "**/MyChart/app/home")


def open_test_results(page, base: str, patient: dict[str, str]) -> None:
    follow(page, "#open-results", "**/MyChart/app/test-results")
    page.fill("#message-to-care-team", f"My PrEP prescription ran out, please call me at {patient['phone']}")
    page.click("#send-message", timeout=STEP_TIMEOUT_MS)
    wait_for_tags(page, "message")


# What a patient does, in order: (what the demo prints, the step).
PATIENT_VISIT: tuple[tuple[str, Callable], ...] = (
    ("opens the home page", read_home),
    (f'searches the doctor finder for "{SEARCH_TERM}"', search_doctor),
    ("reads the HIV PrEP condition page", read_condition),
    ("fills in the appointment form as the test patient", request_appointment),
    ("signs in to MyChart", sign_in),
    ("opens test results and messages the care team", open_test_results),
)


def visit_portal(browser, base: str, patient: dict[str, str], say: Callable[[str], None] = print,
                 proxy_url: str | None = None) -> None:
    """Walk the portal like a patient; every request goes through the browser's proxy (or the
    context's own `proxy_url`, for a browser launched with a per-context proxy)."""
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(**({"proxy": {"server": proxy_url}} if proxy_url else {}))
    try:
        page = context.new_page()
        for what, step in PATIENT_VISIT:
            say(f"  patient {what}")
            try:
                step(page, base, patient)
            except PlaywrightError as exc:
                raise VisitFailed(f"the patient could not finish: {what}: {exc.message.splitlines()[0]}") from exc
    finally:
        context.close()
