"""A fixed, realistic set of findings and run metadata for the report tests and golden files.

Sources are relative and the generation time is fixed, so the goldens hold no absolute path and
no clock. Regenerate the goldens after a deliberate change with:
    PIXELGUARD_REGEN_GOLDEN=1 python -m pytest tests/report -q
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

from pixelguard_addon.baseline import Baseline, BaselineEntry
from pixelguard_addon.fingerprint import fingerprint_parts
from pixelguard_addon.model import Finding
from pixelguard_addon.report.grouped import Report, ReportMeta, build_report

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "data" / "reports"
NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.timezone.utc)
PORTAL, APP = "captures/portal.har", "captures/app.mitm"
HOSTILE = "<img src=x onerror=alert(1)>"  # page text a detector quotes must never become markup

META = ReportMeta(
    threshold="high", captures=(PORTAL, APP), policy="policy.toml", tool_version="0.0.0-test",
    generated="2026-11-20T15:00:00+00:00", requests=120, third_party=48, first_party=72,
    allowed_reasons=(("segment", "BAA signed 2025-03-01 (contract 4411)"),),
    skipped=(f"{PORTAL}: entry 17: no request URL",),
    not_inspected=("POST https://api.segment.io/v1/batch (Segment): body(br): decompressed size limit",),
)


def _finding(**fields) -> Finding:
    base = dict(method="GET", source=PORTAL, detail="", confidence=1.0, term="", sensitive_tags=())
    return Finding(**(base | fields))


META_PIXEL = dict(vendor="Meta Pixel", vendor_id="meta_pixel", host="www.facebook.com",
                  url="https://www.facebook.com/tr/?id=•••&ev=•••&dl=•••&cd[buttonText]=•••&udff[em]=•••",
                  page_url="https://www.mercyvalley-health.org/appointments/request")
HOTJAR = dict(vendor="Hotjar", vendor_id="hotjar", host="content.hotjar.io", method="POST",
              url="https://content.hotjar.io/?site_id=•••",
              page_url="https://mychart.mercyvalley-health.org/MyChart/app/test-results")
GA = dict(vendor="Google Analytics (GA4 / Universal Analytics)", vendor_id="ga", host="region1.google-analytics.com")


def findings() -> list[Finding]:
    return [
        _finding(rule_id="PG-CANARY-EMAIL", category="test-patient:email", severity="critical", chain="query.udff[em]",
                 evidence="sha256:897280…", term="email", index=5,
                 detail="email, SHA-256 of the Meta-normalised value (test patient 'Synthetic patient A')", **META_PIXEL),
        *(_finding(rule_id="PG-PHI-CONDITION", category="condition", severity="high", chain="query.cd[buttonText]",
                   evidence="…HIV…", term="HIV, PrEP", index=index, confidence=0.9,
                   detail="condition 'HIV' (lexicon conditions)", sensitive_tags=("hiv",), **META_PIXEL)
          for index in (5, 9)),
        *(_finding(rule_id="PG-CANARY-PHONE", category="test-patient:phone", severity="critical",
                   chain=f"body(gzip) → json → events[{position}].text", evidence="(212) •••-••12", term="phone",
                   index=index, detail="phone, value as typed (test patient 'Synthetic patient A')", **HOTJAR)
          for index, position in ((12, 0), (14, 3))),
        _finding(rule_id="PG-CTX-HEALTH-PAGE", category="context:health-page", severity="medium", chain="query.dl",
                 evidence="https://www.mercyvalley-health.org/conditions/hiv-prep", term="HIV", index=3,
                 confidence=0.8, page_url="https://www.mercyvalley-health.org/conditions/hiv-prep",
                 url="https://region1.google-analytics.com/g/collect?v=•••&tid=•••&dl=•••",
                 detail=f"page title quotes {HOSTILE}", **GA),
        _finding(rule_id="PG-PHI-CONDITION", category="condition", severity="high", method="POST",
                 chain="body → ndjson[1] → form → ep.search_term", evidence="breast cancer", term="breast cancer",
                 index=4, page_url="https://www.mercyvalley-health.org/find-a-doctor?specialty=•••&q=•••",
                 url="https://region1.google-analytics.com/g/collect?v=•••&tid=•••", **GA),
        _finding(rule_id="PG-CTX-AUTH-PAGE", category="context:authenticated-page", severity="high", method="POST",
                 vendor="Mixpanel", vendor_id="mixpanel", host="api-js.mixpanel.com", source=APP, index=2,
                 url="https://api-js.mixpanel.com/track/?ip=•••", term="authenticated page",
                 page_url="https://mychart.mercyvalley-health.org/MyChart/app/test-results",
                 chain="body → form → data(base64) → json → [0].properties.$current_url",
                 evidence="https://mychart.mercyvalley-health.org/MyChart/app/test-results",
                 detail="page mychart.mercyvalley-health.org/MyChart/app/test-results is an authenticated page"),
        _finding(rule_id="PG-ID-EMAIL", category="identifier:email", severity="high", method="POST",
                 vendor="Segment", vendor_id="segment", host="api.segment.io", source=APP, index=7, allowed=True,
                 url="https://api.segment.io/v1/identify", chain="body → json → traits.email",
                 evidence="ida•••@•••.org", term="email", page_url=None, detail="e-mail address (pattern email)"),
    ]


def _entry(finding: Finding, expires: dt.date | None, reason: str, owner: str) -> BaselineEntry:
    return BaselineEntry(fingerprint_parts(finding), reason, owner, expires)


def baseline() -> Baseline:
    """Suppresses the GA4 search term, has expired for the Mixpanel portal hit, and holds one unused entry."""
    items = findings()
    gone = dataclasses.replace(items[0], chain="query.ud[em]", page_url="https://www.mercyvalley-health.org/old-form")
    return Baseline(".pixelguard-baseline.toml", (
        _entry(items[6], dt.date(2027, 6, 30), "search terms go to GA4 until the tag is replaced (TICKET-88)", "web-team"),
        _entry(items[7], dt.date(2026, 1, 31), "portal analytics being removed", "portal-team"),
        _entry(gone, None, "old appointment form", "web-team"),
    ))


def report(**meta_changes) -> Report:
    return build_report(findings(), dataclasses.replace(META, **meta_changes), baseline(), NOW)


def revealed(items: list[Finding]) -> list[Finding]:
    return [dataclasses.replace(f, revealed=f"RAW<{f.category}>\x01value") for f in items]


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN_DIR / name
    if os.environ.get("PIXELGUARD_REGEN_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run with PIXELGUARD_REGEN_GOLDEN=1 once"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its golden file; if the change is intended, regenerate it"
