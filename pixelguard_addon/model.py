"""The data that flows through pixelguard: requests in, fields in the middle, findings out.

Nothing here imports mitmproxy: the live proxy and the offline scan both build a
`CapturedRequest` and hand it to the same engine.
"""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urlsplit

SEVERITIES = ("info", "low", "medium", "high", "critical")


class computed_once:
    """`functools.cached_property` without the lock it takes on every first read on Python 3.11
    (3.12 dropped it): request properties are read on every request, and a frozen request
    computes the same value whichever thread asks."""

    def __init__(self, compute):
        self.compute = compute
        self.name = compute.__name__

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


def severity_rank(severity: str) -> int:
    rank = _SEVERITY_RANKS.get(severity)
    if rank is None:  # as SEVERITIES.index would say it
        raise ValueError(f"{severity!r} is not a severity (one of {', '.join(SEVERITIES)})")
    return rank


_SEVERITY_RANKS = {severity: rank for rank, severity in enumerate(SEVERITIES)}  # sorts ask for every finding


@dataclass(frozen=True)
class CapturedRequest:
    """One HTTP request as seen on the wire (or read back from a capture).

    `body` is the raw body as sent: still compressed if Content-Encoding says so.
    `body_complete` is False when the capture holds only part of the body (streamed,
    truncated HAR export); such a request can never be called clean.
    """

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    body_complete: bool = True
    page_url: str | None = None  # the page the request came from, when the capture knows it
    source: str = "live"  # capture file path, or "live"
    index: int = 0  # entry number inside the capture
    timestamp: float | None = None

    @classmethod
    def build(cls, method: str, url: str, headers: tuple[tuple[str, str], ...], body: bytes, body_complete: bool,
              page_url: str | None, source: str, index: int, timestamp: float | None) -> "CapturedRequest":
        """`CapturedRequest(...)` with every field given, for the live proxy's every flow: one
        dict for the instance, where the frozen dataclass's __init__ sets nine fields one
        object.__setattr__ at a time."""
        request = object.__new__(cls)
        object.__setattr__(request, "__dict__", {
            "method": method, "url": url, "headers": headers, "body": body, "body_complete": body_complete,
            "page_url": page_url, "source": source, "index": index, "timestamp": timestamp,
        })
        return request

    def header(self, name: str) -> str | None:
        name = name.lower()
        by_name = self.__dict__.get("_headers_by_name")
        if by_name is None:  # a first-party asset is asked for its page alone: a scan is cheaper
            for key, value in self.headers:
                if key.lower() == name:
                    return value
            return None
        values = by_name.get(name)
        return values[0] if values else None

    def header_values(self, name: str) -> list[str]:
        return list(self._headers_by_name.get(name.lower(), ()))

    @computed_once
    def _headers_by_name(self) -> dict[str, tuple[str, ...]]:
        by_name: dict[str, list[str]] = {}
        for key, value in self.headers:
            by_name.setdefault(key.lower(), []).append(value)
        return {key: tuple(values) for key, values in by_name.items()}

    # Asked for many times per inspection; the URL never changes (frozen).
    @computed_once
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @computed_once
    def path(self) -> str:
        return urlsplit(self.url).path or "/"


class Field(NamedTuple):
    """One value a request carries, with the chain of decoding steps that reached it.

    `steps` renders as the decode chain: ("query.dl", "url.path") → "query.dl → url.path".
    A step in parentheses qualifies the step before it: ("body", "(gzip)", "json",
    "properties.reason") → "body(gzip) → json → properties.reason".
    `key` is the innermost key name (for key-context scoring and field roles).
    `container` is True when a decoder unpacked this value into child fields: detectors
    scan the children, not the container, so one leak is not reported twice.
    A NamedTuple, not a dataclass: a request yields dozens of fields, and building a frozen
    dataclass costs twice as much.
    """

    steps: tuple[str, ...]
    value: str
    key: str = ""
    container: bool = False

    @property
    def chain(self) -> str:
        # Asked for every match of every request: the rendered chains of a session's few hundred
        # shapes are looked up by the steps themselves
        chain = _CHAINS.get(self.steps)
        return chain if chain is not None else render_chain(self.steps)

    @property
    def root(self) -> str:
        """The top-level place in the request: query, path, body, header, cookie, fragment."""
        head = self.steps[0] if self.steps else ""
        return head.split(".", 1)[0].split("(", 1)[0]


def tuple_maker(cls: type) -> Any:
    """`maker((a, b, c))` builds `cls(a, b, c)` for a NamedTuple without the Python-level
    __new__ it calls (a frame per call): for the types built once per value of a request.
    Every field is given, in order."""
    return functools.partial(tuple.__new__, cls)


def render_chain(steps: tuple[str, ...] | list[str]) -> str:
    steps = tuple(steps)
    chain = _CHAINS.get(steps)
    if chain is None:
        chain = _rendered(steps)
        # Remembered only when short: the keys in steps are the sender's, and may be huge.
        if sum(map(len, steps)) <= CHAIN_MEMO_MAX:
            if len(_CHAINS) >= CHAIN_MEMO_ENTRIES:
                _CHAINS.clear()
            _CHAINS[steps] = chain
    return chain


CHAIN_MEMO_MAX = 512  # characters of steps
CHAIN_MEMO_ENTRIES = 4096  # a session's payloads have a few hundred shapes
_CHAINS: dict[tuple[str, ...], str] = {}


def _rendered(steps: tuple[str, ...]) -> str:
    parts: list[str] = []
    for step in steps:
        if step.startswith("(") and parts:
            parts[-1] += step
        else:
            parts.append(step)
    return " → ".join(parts)


@dataclass
class Decoded:
    """Everything the decoders pulled out of one request."""

    fields: list[Field] = field(default_factory=list)
    # Why the request was only partly inspected ("depth limit at body → json → …").
    # Never empty for a request whose body could not be read in full.
    partial: list[str] = field(default_factory=list)
    # Bodies that no decoder could read (unknown binary, corrupt gzip): each names the step.
    undecodable: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Match:
    """What a detector reports about one field, before the engine turns it into a Finding."""

    rule_id: str
    category: str  # condition | identifier:<kind> | test-patient:<field> | context:...
    severity: str
    evidence: str  # already masked: never a raw value
    detail: str = ""  # human explanation: term, pattern, transformation, key context
    confidence: float = 1.0
    term: str = ""  # lexicon term or identifier kind, safe to show (it is not patient data)
    sensitive_tags: tuple[str, ...] = ()
    key_context: str = ""  # the payload key that raised or lowered confidence, and which
    citation: str = ""  # the rule or guidance the severity follows (regulatory profile)

    # Written out instead of the frozen dataclass's own (which the decorator keeps, as for any
    # class that has one): detectors build a Match for every hit, and the generated __init__
    # sets ten fields one object.__setattr__ at a time. The same fields, in order, with the
    # same defaults (tests/test_model.py holds it to the field list).
    def __init__(self, rule_id: str, category: str, severity: str, evidence: str, detail: str = "",
                 confidence: float = 1.0, term: str = "", sensitive_tags: tuple[str, ...] = (),
                 key_context: str = "", citation: str = "") -> None:
        object.__setattr__(self, "__dict__", {
            "rule_id": rule_id, "category": category, "severity": severity, "evidence": evidence,
            "detail": detail, "confidence": confidence, "term": term, "sensitive_tags": sensitive_tags,
            "key_context": key_context, "citation": citation,
        })

    def but(self, **changes: Any) -> "Match":
        """dataclasses.replace(self, **changes), for the engine's per-finding path: a copy of the
        instance's dict, where replace() goes through fields() and a frozen __init__."""
        if not changes.keys() <= self.__dict__.keys():
            raise TypeError(f"Match has no field {sorted(changes.keys() - self.__dict__.keys())}")
        copy = object.__new__(Match)
        copy.__dict__.update(self.__dict__, **changes)
        return copy


@dataclass(frozen=True)
class Finding:
    rule_id: str
    category: str
    severity: str
    vendor: str  # catalog vendor name, or the request's site for unknown third parties
    vendor_id: str
    method: str
    url: str  # the request URL with query values masked
    host: str
    page_url: str | None
    chain: str
    evidence: str
    detail: str = ""
    confidence: float = 1.0
    term: str = ""
    sensitive_tags: tuple[str, ...] = ()
    source: str = "live"
    index: int = 0
    allowed: bool = False  # vendor has a BAA in the policy: reported, not hidden
    # The raw field value (at most 200 characters), only when the tester asked for it
    # (Engine(reveal_evidence=True), for their own test patient). Never set by default.
    revealed: str = ""
    key_context: str = ""  # payload key that raised or lowered confidence (identifiers)
    citation: str = ""  # the guidance the severity follows (patterns/profiles.toml)

    def to_dict(self) -> dict[str, Any]:
        # Every field is a scalar or a tuple of str: no deep copy (asdict) needed, and the
        # live proxy calls this for every finding. Every way of making a Finding (__init__,
        # build, replace, copy, pickle) leaves its dict holding the fields in field order, so
        # a copy of it is the dict, in the order reports print.
        data = self.__dict__.copy()
        if len(data) != len(_FINDING_FIELDS):  # anything else set on it stays out
            data = {name: data[name] for name in _FINDING_FIELDS}
        data["sensitive_tags"] = list(self.sensitive_tags)
        if not self.revealed:  # absent, not empty: a default report has no place for raw values
            del data["revealed"]
        return data

    @classmethod
    def build(cls, values: dict[str, Any]) -> "Finding":
        """`Finding(**values)` for the engine, which builds dozens per request: a frozen
        dataclass's __init__ assigns its 21 fields one object.__setattr__ at a time, this fills
        the instance's dict in one call. Every field without a default must be given; an
        unknown name is refused, as __init__ would."""
        finding = object.__new__(cls)
        ordered = _FINDING_ORDER.copy()  # the fields in field order, as __init__ sets them
        if values.keys() == _FINDING_NAMES:  # every field given, as the engine does
            ordered.update(values)
            object.__setattr__(finding, "__dict__", ordered)
            return finding
        if not _FINDING_REQUIRED <= values.keys() <= _FINDING_NAMES:
            raise TypeError(f"Finding.build: missing {sorted(_FINDING_REQUIRED - values.keys())}, "
                            f"unknown {sorted(values.keys() - _FINDING_NAMES)}")
        ordered.update(_FINDING_DEFAULTS)
        ordered.update(values)
        object.__setattr__(finding, "__dict__", ordered)
        return finding

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Finding":
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["sensitive_tags"] = tuple(values.get("sensitive_tags", ()))
        return cls(**values)


_FINDING_FIELDS = tuple(f.name for f in dataclasses.fields(Finding))
_FINDING_NAMES = frozenset(_FINDING_FIELDS)
_FINDING_ORDER = dict.fromkeys(_FINDING_FIELDS)
_FINDING_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Finding) if f.default is not dataclasses.MISSING}
_FINDING_REQUIRED = _FINDING_NAMES - _FINDING_DEFAULTS.keys()
