"""The leaks planted in the demo portal, and whether a run caught them.

The demo succeeds when every planted leak is reported and the benign page stays quiet; a bare
"found something" would let a regression that loses half the detections pass unnoticed.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..model import Finding


@dataclass(frozen=True)
class PlantedLeak:
    what: str  # shown to the user
    category: str  # a finding of this category …
    host: str  # … sent to this host …
    chain: str = ""  # … whose decode chain contains this (empty: any)

    def caught_by(self, finding: Finding) -> bool:
        return finding.category == self.category and finding.host == self.host and self.chain in finding.chain


PLANTED_LEAKS = (
    PlantedLeak("condition page URL and title to Meta Pixel", "context:health-page", "www.facebook.com", "query.dl"),
    PlantedLeak("search term in a GA4 batch", "condition", "region1.google-analytics.com", "ep.search_term"),
    PlantedLeak("clicked button text to Meta Pixel", "condition", "www.facebook.com", "cd[buttonFeatures]"),
    PlantedLeak("hashed e-mail (advanced matching) to Meta Pixel", "test-patient:email", "www.facebook.com",
                "udff[em]"),
    PlantedLeak("hashed e-mail in a TikTok JSON beacon", "test-patient:email", "analytics.tiktok.com",
                "context.user.email"),
    PlantedLeak("signed-in portal page to Mixpanel (base64 data=)", "context:authenticated-page",
                "api-js.mixpanel.com", "data(base64)"),
    PlantedLeak("medication to Mixpanel", "condition", "api-js.mixpanel.com", "medication"),
    PlantedLeak("phone number in a gzip session-replay upload", "test-patient:phone", "content.hotjar.io",
                "body(gzip)"),
)
BENIGN_PATHS = ("/",)  # the home page's tracker hits carry nothing sensitive: no finding may name it


def missed_leaks(findings: list[Finding]) -> list[PlantedLeak]:
    return [leak for leak in PLANTED_LEAKS if not any(leak.caught_by(f) for f in findings)]


def false_alarms(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.page_url and urlsplit(f.page_url).path in BENIGN_PATHS]
