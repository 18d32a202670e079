"""The inspection engine: one request in, findings out. Knows nothing of mitmproxy.

The live proxy addon and `pixelguard scan` both call `Engine.inspect`, so what a tester
sees in the browser and what CI sees in a saved capture are decided by the same code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from .catalog import Catalog, Vendor, load_catalog, patterns_dir
from .decoders import Limits, decode_request
from .masking import mask_url
from .memo import MEMO_MAX_KEY, MEMO_MAX_TEXT, Memo, RecentMap
from .detectors import build_detectors
from .detectors.base import FieldContext, RequestContext, context_key_of
from .model import CapturedRequest, Decoded, Field, Finding, Match, severity_rank, tuple_maker
from .policy import Policy, PolicyError
from .signatures import request_params
from .profiles import load_profiles
from .thirdparty import declared_sites, is_first_party, site_of
from .tomlpos import line_of

PAGE_ROLES = ("page_url", "referrer")
WEB_SCHEMES = ("http://", "https://")
REVEAL_LIMIT = 200  # characters of a raw value kept with --reveal-evidence
PROFILES_FILE = "profiles.toml"
IDENTIFYING = ("identifier:", "test-patient:")


@dataclass
class Inspection:
    """What the engine concluded about one request."""

    request: CapturedRequest
    site: str
    vendor: Vendor | None = None
    # Set when the vendor was recognised by an endpoint signature on a host that is not its
    # own: "first-party gateway metrics.clinic.org" or "gateway sgtm.example.net".
    gateway: str = ""
    first_party: bool = False
    ignored: bool = False
    findings: list[Finding] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    undecodable: list[str] = field(default_factory=list)

    @property
    def vendor_name(self) -> str:
        if self.vendor is None:
            return self.site
        return f"{self.vendor.name} (via {self.gateway})" if self.gateway else self.vendor.name

    @property
    def fully_inspected(self) -> bool:
        return not self.partial and not self.undecodable


class Address(NamedTuple):
    """Who a request is for, known before it is decoded."""

    site: str
    page_host: str | None
    own_site: bool  # the request's site is the page's, or a declared first party
    vendor: Vendor | None
    via_signature: bool  # the vendor was known by its endpoint signature, not its host


_new_address = tuple_maker(Address)


class Engine:
    def __init__(
        self,
        policy: Policy | None = None,
        catalog: Catalog | None = None,
        patterns: Path | None = None,
        limits: Limits = Limits(),
        reveal_evidence: bool = False,
    ):
        self.policy = policy or Policy()
        self.patterns = patterns or patterns_dir()
        self.catalog = catalog or load_catalog()
        self.limits = limits
        self.reveal_evidence = reveal_evidence  # copy raw values into Finding.revealed (own test patient only)
        self.field_detectors, self.request_detectors = build_detectors(self.policy, self.patterns)
        self.first_party_sites = declared_sites(self.policy.first_party)
        self.profile = load_profiles(self.patterns / PROFILES_FILE).get(self.policy.profile)
        # host → session cookie name: hosts seen sending the policy's session cookie on a
        # first-party request; a tracker hit from a page on such a host is from a signed-in page
        self.session_hosts: dict[str, str] = {}
        # (value, key, context class) → what the field detectors say: they depend on nothing else
        self._field_memo = Memo()
        # vendor id → role → (context class, FieldContext); what every field detector reads of a
        # context → its class. Roles and vendors come from the catalog: these stay small.
        self._field_contexts: dict[str, dict[str, tuple[int, FieldContext]]] = {}
        self._context_classes: dict[tuple, int] = {}
        self._seen_values = RecentMap()
        self._applied = RecentMap()  # (id(match), authenticated, identifier) → (match, its profiled copy)
        self._key_roles = RecentMap()  # (key, vendor id) → the catalog's role for that payload key
        self._masked_pages = RecentMap()  # page URL → mask_url(page URL)
        # (vendor id, host, path) → whether it is a collection hit (not a script load): a vendor's
        # beacons go to a handful of paths, each tried against its path rules once
        self._collection_hits = RecentMap()
        self._first_party_urls = RecentMap()  # (URL, page URL) of bodiless first-party requests → (site, page host)
        # (category, severity, authenticated, identifier) → the profile's verdict: categories
        # and severities come from the patterns and the policy, so this stays small unbounded
        self._verdicts: dict[tuple[str, str, bool, bool], tuple[str, str] | None] = {}
        self._parts = RecentMap(1024)  # ((chain, id(match)), …) → (the matches, the findings' own parts)
        self._check_allowed_vendors()

    def _check_allowed_vendors(self) -> None:
        known = {vendor.id for vendor in self.catalog.vendors}
        for index, (vendor_id, _) in enumerate(self.policy.allowed_vendors):
            if vendor_id not in known:
                line = _policy_line(self.policy.source, ["allowed_vendor", index, "id"])
                raise PolicyError(self.policy.source, line, f"allowed_vendor[{index}].id",
                                  f"unknown vendor {vendor_id!r} (see patterns/trackers.toml)")

    def is_first_party(self, request: CapturedRequest) -> bool:
        """Whether `inspect` would call `request` first party, without decoding it. The live
        proxy asks before the body has arrived: a vendor signature in the body is then not seen
        (the full inspection still sees it)."""
        address = self._address(request, page_url_of(request))
        return address.vendor is None and address.own_site

    def inspect(self, request: CapturedRequest) -> Inspection:
        host = request.host
        if host in self.policy.ignore_hosts:
            return _settled_inspection(request, site_of(host), ignored=True)
        page_url = page_url_of(request)
        # Who a bodiless request is for follows from its URL and page alone: a page's
        # first-party assets, most of what a proxy sees, are settled by one lookup.
        settled_key = (request.url, page_url) if not request.body else None
        sites = self._first_party_urls.get(settled_key)
        if sites is not None:
            self._remember_session(request, sites[1])
            return _settled_inspection(request, sites[0], first_party=True)
        address = self._address(request, page_url)
        settled = self._settled(request, address)
        if settled is None:
            return self._inspect_in_full(request, page_url, address)
        if settled_key is not None and len(request.url) + len(page_url or "") <= MEMO_MAX_TEXT:
            # the URLs are the sender's: short ones only
            self._first_party_urls.put(settled_key, (address.site, address.page_host))
        return settled

    def _address(self, request: CapturedRequest, page_url: str | None) -> Address:
        host = request.host
        page_host = urlsplit(page_url).hostname if page_url else None
        own_site = is_first_party(host, self.first_party_sites, page_host)
        return _new_address((site_of(host), page_host, own_site, *self._vendor_of(request)))

    def _settled(self, request: CapturedRequest, address: Address) -> Inspection | None:
        # A known tracker is never first party, whatever the page or host: that is the leak.
        if address.vendor is not None or not address.own_site:
            return None
        self._remember_session(request, address.page_host)
        return _settled_inspection(request, address.site, first_party=True)

    def _inspect_in_full(self, request: CapturedRequest, page_url: str | None, address: Address) -> Inspection:
        vendor = address.vendor
        inspection = Inspection(request=request, site=address.site, vendor=vendor)
        if address.via_signature:
            inspection.gateway = f"{'first-party gateway' if address.own_site else 'gateway'} {request.host}"
        vendor_decoders = vendor.decoders if vendor else ()
        decoded = decode_request(request, self.limits, vendor_decoders, self._seen_values)
        inspection.partial, inspection.undecodable = decoded.partial, decoded.undecodable
        inspection.findings = self._findings(request, inspection, decoded, page_url)
        return inspection

    def _vendor_of(self, request: CapturedRequest) -> tuple[Vendor | None, bool]:
        vendor = self.catalog.vendor_for_host(request.host)
        if vendor is not None:
            return vendor, False
        vendor = self.catalog.vendor_by_signature(request.path, request_params(request))
        return vendor, vendor is not None

    def _remember_session(self, request: CapturedRequest, page_host: str | None) -> None:
        """A first-party request carrying a session cookie marks its host (and its page's) signed in."""
        if not self.policy.session_cookies:
            return
        names = {part.split("=", 1)[0].strip() for header in request.header_values("cookie") for part in header.split(";")}
        for cookie in self.policy.session_cookies:
            if cookie in names:
                for host in filter(None, (request.host, (page_host or "").lower())):
                    self.session_hosts.setdefault(host, cookie)
                return

    def _findings(self, request: CapturedRequest, inspection: Inspection, decoded: Decoded,
                  page_url: str | None) -> list[Finding]:
        vendor = inspection.vendor
        vendor_id = vendor.id if vendor else ""
        located, page_urls, titles = self._scan_fields(decoded.fields, vendor, vendor_id)
        if page_url and page_url not in {value for _, value in page_urls}:
            page_urls.append((None, page_url))
        request_context = RequestContext(
            request=request,
            decoded=decoded,
            vendor_id=vendor_id,
            vendor_known=vendor is not None,
            vendor_name=inspection.vendor_name,
            is_known_tracker=bool(inspection.gateway) or self._is_collection_hit(vendor, request),
            page_urls=page_urls,
            titles=titles,
            session_hosts=self.session_hosts,
        )
        for detector in self.request_detectors:
            located.extend(detector.detect_request(request_context))
        return self._merge(request, inspection, page_url, located)

    def _is_collection_hit(self, vendor: Vendor | None, request: CapturedRequest) -> bool:
        if vendor is None:
            return False
        key = (vendor.id, request.host, request.path)
        hit = self._collection_hits.get(key)
        if hit is None:
            hit = _hits_collection_endpoint(vendor, request)
            if len(request.path) <= MEMO_MAX_TEXT:  # the sender's path: short ones only
                self._collection_hits.put(key, hit)
        return hit

    def _scan_fields(self, fields: list[Field], vendor: Vendor | None, vendor_id: str):
        """One pass over the fields: each field's role, the field detectors' matches, and the
        page URLs and titles the request detectors read.

        A field without a role of its own inherits the nearest container's: children of a page
        URL (`query.dl → url.path`) are still the page URL, so the page-context rule reports
        them and the condition rule must not report them a second time. Page URLs are the
        outermost ones only.
        """
        roles: dict[tuple[str, ...], str] = {}
        located: list[tuple[Field | None, Match]] = []
        page_urls: list[tuple[Field | None, str]] = []
        titles: list[tuple[Field, str]] = []
        lookup, store = self._field_memo.lookup, self._field_memo.store
        known_roles = self._key_roles.get
        contexts = self._field_contexts.get(vendor_id) or self._field_contexts.setdefault(vendor_id, {})
        for item in fields:
            steps = item.steps
            role = ""
            if item.key:
                role = known_roles((item.key, vendor_id))
                if role is None:
                    role = self._learn_key_role(item.key, vendor, vendor_id)
            if role:
                if role in PAGE_ROLES and _inherited_role(steps, roles) not in PAGE_ROLES and item.value.strip():
                    page_urls.append((item, item.value))
            elif roles and len(steps) > 1:
                role = _inherited_role(steps, roles)
            if role:
                roles[steps] = role
            if item.container:
                continue
            if role == "title":
                titles.append((item, item.value))
            context_class, context = contexts.get(role) or self._field_context(role, vendor_id, contexts)
            memo_key = (item.value, item.key, context_class)
            matches = lookup(memo_key)
            if matches is None:
                matches = self._detect_field(item, context)
                if len(item.key) <= MEMO_MAX_KEY:  # keys are the sender's: a huge one is not kept
                    matches = store(memo_key, item.value, matches)
            if matches:
                located += [(item, match) for match in matches]
        return located, page_urls, titles

    def _field_context(self, role: str, vendor_id: str, contexts: dict) -> tuple[int, FieldContext]:
        """The field detectors' context for a role of a vendor's payload, and its class: a
        number shared by contexts in which every field detector answers alike (see
        `context_key`), so a value met as a page URL's host and again as a referrer's is
        scanned once."""
        context = FieldContext(role, vendor_id)
        reads = tuple(context_key_of(detector, context) for detector in self.field_detectors)
        context_class = self._context_classes.setdefault(reads, len(self._context_classes))
        contexts[role] = (context_class, context)
        return context_class, context

    def _detect_field(self, item: Field, context: FieldContext) -> list[Match]:
        return [match for detector in self.field_detectors for match in detector.detect(item, context)]

    def _masked_page(self, page_url: str) -> str:
        """mask_url for page URLs, which repeat on every beacon of a page view."""
        masked = self._masked_pages.get(page_url)
        if masked is None:
            masked = mask_url(page_url)
            if len(page_url) <= MEMO_MAX_TEXT:
                self._masked_pages.put(page_url, masked)
        return masked

    def _learn_key_role(self, key: str, vendor: Vendor | None, vendor_id: str) -> str:
        """The catalog's role for a payload key, remembered for the next request (a miss of
        `_key_roles`, which _scan_fields reads directly)."""
        role = self.catalog.role_of(key, vendor)
        self._key_roles.put((key, vendor_id), role)
        return role

    def _merge(self, request: CapturedRequest, inspection: Inspection, page_url: str | None,
               located: list[tuple[Field | None, Match]]) -> list[Finding]:
        """One finding per (category, location); the worst match there speaks for it."""
        parts = self._finding_parts(located, page_url) if located else ()
        if not parts:
            return []
        vendor = inspection.vendor
        allowed = bool(vendor and self.policy.allowed_reason(vendor.id))
        # Masked once per request, not per finding: masking parses the whole query string.
        url, page = mask_url(request.url), (self._masked_page(page_url) if page_url else None)
        shared = {  # the request's part of every finding
            "vendor": inspection.vendor_name, "vendor_id": vendor.id if vendor else "", "method": request.method,
            "url": url, "host": request.host, "page_url": page, "source": request.source, "index": request.index,
            "allowed": allowed,
        }
        return [Finding.build({**shared, **part}) for part in parts]

    def _finding_parts(self, located: list[tuple[Field | None, Match]], page_url: str | None) -> tuple[dict, ...]:
        """Each finding's own part (rule, category, chain, evidence…), in report order.

        Remembered by where each match was found and which Match object it is: the field memo
        and the page-context memos hand out the same objects for values seen before, so a beacon
        repeated from the last page view comes to the same parts. The entry keeps its matches,
        so no id in its key can belong to another object while it lives. Raw values (revealed
        evidence) are not part of the key: with them, nothing is remembered."""
        chains = [item.chain if item is not None else "page" for item, _ in located]
        if self.reveal_evidence or sum(map(len, chains)) > MEMO_MAX_TEXT:  # chains hold the sender's keys
            return self._worked_out_parts(located, chains, page_url)
        key = tuple([(chain, id(match)) for chain, (_, match) in zip(chains, located)])
        remembered = self._parts.get(key)
        if remembered is None:
            remembered = ([match for _, match in located], self._worked_out_parts(located, chains, page_url))
            self._parts.put(key, remembered)
        return remembered[1]

    def _worked_out_parts(self, located: list[tuple[Field | None, Match]], chains: list[str],
                          page_url: str | None) -> tuple[dict, ...]:
        best: dict[tuple[str, str], tuple[str, Match, list[str]]] = {}
        raw: dict[tuple[str, str], str] = {}  # only with revealed evidence
        for chain, (item, match) in zip(chains, located):
            key = (match.category, chain)
            if key not in best:
                best[key] = (chain, match, [match.term] if match.term else [])
                if self.reveal_evidence:
                    raw[key] = item.value if item is not None else (page_url or "")
                continue
            _, kept, terms = best[key]
            if match.term and match.term not in terms:
                terms.append(match.term)
            if (severity_rank(match.severity), match.confidence) > (severity_rank(kept.severity), kept.confidence):
                best[key] = (chain, match, terms)
        _drop_identifiers_explained_by_canaries(best)
        self._apply_profile(best)
        parts = [
            {
                "rule_id": match.rule_id, "category": match.category, "severity": match.severity,
                "chain": chain, "evidence": match.evidence, "detail": match.detail, "confidence": match.confidence,
                "term": ", ".join(terms), "sensitive_tags": match.sensitive_tags,
                "revealed": raw[key][:REVEAL_LIMIT] if self.reveal_evidence else "",
                "key_context": match.key_context, "citation": match.citation,
            }
            for key, (chain, match, terms) in best.items()
        ]
        parts.sort(key=lambda part: (-severity_rank(part["severity"]), part["category"], part["chain"]))
        return tuple(parts)

    def _apply_profile(self, best: dict[tuple[str, str], tuple[str, Match, list[str]]]) -> None:
        """Severity by the policy's regulatory profile, knowing the request as a whole."""
        categories = {category for category, _ in best}
        authenticated = "context:authenticated-page" in categories
        identifier = any(category.startswith(IDENTIFYING) for category in categories)
        for key, (chain, match, terms) in best.items():
            best[key] = (chain, self._profile_applied(match, authenticated, identifier), terms)

    def _profile_applied(self, match: Match, authenticated: bool, identifier: bool) -> Match:
        # The field memo hands out the same Match objects request after request: their profiled
        # copies are remembered by identity (the entry keeps the match, and `is` checks it, so a
        # reused id never answers for another object), not by a hash of every field.
        remembered = self._applied.get((id(match), authenticated, identifier))
        if remembered is not None and remembered[0] is match:
            return remembered[1]
        verdict_key = (match.category, match.severity, authenticated, identifier)
        verdict = self._verdicts.get(verdict_key, NO_VERDICT)
        if verdict is NO_VERDICT:
            verdict = self._verdicts[verdict_key] = self.profile.verdict(*verdict_key)
        applied = match if verdict is None or (match.severity, match.citation) == verdict \
            else match.but(severity=verdict[0], citation=verdict[1])
        self._applied.put((id(match), authenticated, identifier), (match, applied))
        return applied


NO_VERDICT = object()  # `_verdicts` has not asked the profile yet (None is a verdict: no rule)


def _settled_inspection(request: CapturedRequest, site: str, first_party: bool = False,
                        ignored: bool = False) -> Inspection:
    """`Inspection(request, site, first_party=…, ignored=…)`, in one dict: built for most
    requests a proxy sees (a page's first-party assets), where the dataclass's __init__ costs
    more than the rest of settling them."""
    inspection = object.__new__(Inspection)
    inspection.__dict__.update(request=request, site=site, vendor=None, gateway="", first_party=first_party,
                               ignored=ignored, findings=[], partial=[], undecodable=[])
    return inspection


def _hits_collection_endpoint(vendor: Vendor, request: CapturedRequest) -> bool:
    """A hit on the vendor's collection endpoint, not a script load or another service on a shared
    host (www.google.com serves ads conversions and also maps): only such a hit ties the page the
    visitor is on to the vendor by itself, through the visitor's IP."""
    if vendor.is_script(request.path, request.host):
        return False
    return vendor.is_endpoint(request.path, request.host) or not vendor.endpoints


def _drop_identifiers_explained_by_canaries(best: dict[tuple[str, str], tuple]) -> None:
    """A test patient's hashed e-mail is one leak, not also an anonymous "hashed identifier"."""
    canary_chains = {chain for category, chain in best if category.startswith("test-patient:")}
    for category, chain in list(best):
        if category.startswith("identifier:") and chain in canary_chains:
            del best[(category, chain)]


def page_url_of(request: CapturedRequest) -> str | None:
    """The page a request came from: the capture's own record, else Referer, else Origin."""
    candidate = request.page_url
    if candidate and candidate.startswith(WEB_SCHEMES):
        return candidate
    for name in ("referer", "origin"):
        candidate = request.header(name)
        if candidate and candidate.startswith(WEB_SCHEMES):
            return candidate
    return None


def _inherited_role(steps: tuple[str, ...], roles: dict[tuple[str, ...], str]) -> str:
    for end in range(len(steps) - 1, 0, -1):
        role = roles.get(steps[:end])
        if role:
            return role
    return ""


def _policy_line(source: str, path: list[str | int]) -> int | None:
    try:
        return line_of(Path(source).read_text(encoding="utf-8"), path)
    except OSError:
        return None
