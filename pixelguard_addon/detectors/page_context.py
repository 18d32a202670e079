"""PG-CTX-HEALTH-PAGE and PG-CTX-AUTH-PAGE: what the page a tracker hit came from says.

A tracker request from `/conditions/hiv-prep` tells the vendor this visitor reads about PrEP; one
from `/MyChart/*` tells it this visitor is a patient (the authenticated-page class stays in scope
after AHA v. Becerra, shared/reference/identifiers.md). Page URLs come from payload fields (`dl`,
`context.page.url`…) or, with field None, from the request's own page (Referer): those only count
for known trackers, because a CDN fetch from a health page is not a disclosure.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator
from urllib.parse import urlsplit

from ..model import Field, Match
from .base import RequestContext
from .lexicon import Lexicon, TermHit
from ..masking import mask_url

if TYPE_CHECKING:
    from ..policy import Policy

MAX_URL = 8192
MAX_TITLE = 2048


class PageContextDetector:
    name = "page-context"

    def __init__(self, lexicon: Lexicon, policy: "Policy"):
        self.lexicon = lexicon
        self.policy = policy

    def detect_request(self, context: RequestContext) -> list[tuple[Field | None, Match]]:
        try:
            return list(self._detect(context))
        except Exception:  # pragma: no cover - a detector never takes the request down
            return []

    def _detect(self, context: RequestContext) -> Iterator[tuple[Field | None, Match]]:
        done: set[tuple[str, int]] = set()  # (category, id of field): one match each
        for item, url in context.page_urls:
            if item is None and not context.is_known_tracker:
                continue
            for match in self._url_matches(url[:MAX_URL]):
                key = (match.category, id(item))
                if key not in done:
                    done.add(key)
                    yield item, match
        for item, title in context.titles:
            key = ("context:health-page", id(item))
            if key in done:
                continue
            hit = self._first(self.lexicon.find_terms(title[:MAX_TITLE]))
            if hit:
                done.add(key)
                yield item, self._health(hit, "page title", _title_evidence(hit, title))

    def _url_matches(self, url: str) -> Iterator[Match]:
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return
        host, path = (parts.hostname or "").lower(), parts.path or "/"
        if self.policy.authenticated_paths and self.policy.is_authenticated_path(host, path):
            yield Match(
                rule_id="PG-CTX-AUTH-PAGE",
                category="context:authenticated-page",
                severity="high",
                evidence=mask_url(url),
                detail=f"page {host}{path} is an authenticated page in the policy (authenticated_paths)",
                confidence=1.0,
                term="authenticated page",
            )
        for where, text in (("path", path), ("query", parts.query), ("fragment", parts.fragment)):
            hit = self._first(self.lexicon.find_terms(text)) if text else None
            if hit:
                yield self._health(hit, f"URL {where}", mask_url(url))
                return

    @staticmethod
    def _first(hits: list[TermHit]) -> TermHit | None:
        """The most telling term: one with a sensitive tag, else the first."""
        if not hits:
            return None
        return next((hit for hit in hits if hit.tags), hits[0])

    def _health(self, hit: TermHit, where: str, evidence: str) -> Match:
        detail = f"{where} names {hit.category} '{hit.term}' (lexicon {hit.source})"
        if hit.ambiguous:
            detail += f"; ambiguous word, health context: {hit.context}"
        return Match(
            rule_id="PG-CTX-HEALTH-PAGE",
            category="context:health-page",
            severity="medium",
            evidence=evidence,
            detail=detail,
            confidence=0.6 if hit.ambiguous else 0.8,
            term=hit.term,
            sensitive_tags=hit.tags,
        )


def _title_evidence(hit: TermHit, title: str) -> str:
    """The term as the title writes it; the rest of a title may hold a patient's name."""
    return "title: " + ("…" if hit.start > 0 else "") + hit.matched[:60] + ("…" if hit.end < len(title) else "")
