"""PG-CTX-HEALTH-PAGE, PG-CTX-AUTH-PAGE, PG-CTX-ENTRY-PAGE: what the page a tracker hit came from says.

Every page is one or more of: an authenticated portal page (the policy's `authenticated_paths`,
or a host seen sending one of its `session_cookies` on a first-party request), a page that
addresses a condition (a lexicon term in the URL path, query, fragment or title), an
appointment / care-search / form page (patterns/page_kinds.toml), or none of these — a public
non-health page, which gives no finding. A tracker request from `/conditions/hiv-prep` tells the
vendor this visitor reads about PrEP; one from `/MyChart/*` tells it this visitor is a patient
(the authenticated class stays in scope after AHA v. Becerra, shared/reference/identifiers.md).
How severe each is depends on the policy's regulatory profile (pixelguard_addon/profiles.py).
Page URLs come from payload fields (`dl`, `context.page.url`…) or, with field None, from the
request's own page (Referer): those only count for known trackers, because a CDN fetch from a
health page is not a disclosure.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator
from urllib.parse import urlsplit

from ..decoders.percent import percent_decode
from ..model import Field, Match
from ..thirdparty import declared_sites, site_of
from .base import RequestContext
from .lexicon import Lexicon, TermHit, normalise
from .loading import TomlFile
from ..masking import mask_url
from ..memo import Memo

if TYPE_CHECKING:
    from ..policy import Policy

MAX_URL = 8192
MAX_TITLE = 2048


@dataclass(frozen=True)
class PageKind:
    name: str  # "appointment page"
    words: tuple[str, ...]  # normalised phrases that mark the kind on any page
    site_words: tuple[str, ...]  # only on the policy's own sites or pages with health context


def load_page_kinds(path: Path) -> tuple[PageKind, ...]:
    toml = TomlFile(Path(path))
    toml.check_keys(toml.data, {"schema_version", "kind"}, [])
    kinds = []
    for index, table in enumerate(toml.tables("kind")):
        where: list[str | int] = ["kind", index]
        toml.check_keys(table, {"name", "words", "site_words"}, where)
        kinds.append(PageKind(toml.string(table, "name", where),
                              tuple(normalise(w) for w in toml.strings(table, "words", where)),
                              tuple(normalise(w) for w in toml.strings(table, "site_words", where))))
    return tuple(kinds)


class PageContextDetector:
    name = "page-context"

    def __init__(self, lexicon: Lexicon, policy: "Policy", page_kinds: tuple[PageKind, ...] = ()):
        self.lexicon = lexicon
        self.policy = policy
        self.page_kinds = page_kinds
        self.own_sites = declared_sites(policy.first_party)
        self._url_memo = Memo()
        self._title_memo = Memo()

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
            for match in self._url_matches_memo(url[:MAX_URL], context.session_hosts):
                key = (match.category, id(item))
                if key not in done:
                    done.add(key)
                    yield item, match
        for item, title in context.titles:
            title = title[:MAX_TITLE]
            for match in self._title_memo.get(title, title, lambda: self._title_matches(title)):
                if (match.category, id(item)) not in done:
                    done.add((match.category, id(item)))
                    yield item, match

    def _title_matches(self, title: str) -> Iterator[Match]:
        hit = self._first(self.lexicon.find_terms(title))
        if hit:
            yield self._health(hit, "page title", _title_evidence(hit, title))
        entry = self._entry_kind(title, hit is not None, own_site=False)
        if entry:
            yield self._entry(entry, "page title", "title: " + entry[1])

    def _url_matches_memo(self, url: str, session_hosts: dict[str, str]) -> list[Match]:
        # The engine only ever adds hosts to session_hosts, so their count tells its states apart.
        return self._url_memo.get((url, len(session_hosts)), url, lambda: self._url_matches(url, session_hosts))

    def _url_matches(self, url: str, session_hosts: dict[str, str]) -> Iterator[Match]:
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return
        host, path = (parts.hostname or "").lower(), parts.path or "/"
        why = self._authenticated(host, path, session_hosts)
        if why:
            yield Match(
                rule_id="PG-CTX-AUTH-PAGE",
                category="context:authenticated-page",
                severity="high",
                evidence=mask_url(url),
                detail=f"page {host}{path} is an authenticated page: {why}",
                confidence=1.0,
                term="authenticated page",
            )
        health = None
        for where, text in (("path", path), ("query", parts.query), ("fragment", parts.fragment)):
            health = self._first(self.lexicon.find_terms(text)) if text else None
            if health:
                yield self._health(health, f"URL {where}", mask_url(url))
                break
        entry = self._entry_kind(path, health is not None, own_site=bool(host) and site_of(host) in self.own_sites)
        if entry:
            yield self._entry(entry, "URL path", mask_url(url))

    def _authenticated(self, host: str, path: str, session_hosts: dict[str, str]) -> str:
        if self.policy.authenticated_paths and self.policy.is_authenticated_path(host, path):
            return "its path is in the policy's authenticated_paths"
        cookie = session_hosts.get(host)
        if cookie:
            return f"the first-party session cookie {cookie} was seen on {host} (policy session_cookies)"
        return ""

    def _entry_kind(self, text: str, health: bool, own_site: bool) -> tuple[PageKind, str] | None:
        """The kind of page the path or title says (appointment, care search, form), if any."""
        if not self.page_kinds or not text:
            return None
        words = f" {normalise(percent_decode(text[:MAX_TITLE]))} "
        for kind in self.page_kinds:
            for phrase in kind.words + (kind.site_words if (health or own_site) else ()):
                if phrase and f" {phrase} " in words:
                    return kind, phrase
        return None

    @staticmethod
    def _entry(entry: tuple[PageKind, str], where: str, evidence: str) -> Match:
        kind, phrase = entry
        return Match(
            rule_id="PG-CTX-ENTRY-PAGE",
            category="context:entry-page",
            severity="medium",
            evidence=evidence,
            detail=f"{where} says '{phrase}': an {kind.name}" if kind.name[0] in "aeiou" else
                   f"{where} says '{phrase}': a {kind.name}",
            confidence=0.7,
            term=kind.name,
        )

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
