"""HIPAA identifiers recognised by shape and key: e-mail, phone, SSN, date of birth, ZIP, street
address, record / member / account numbers, Medicare MBI, NPI, DEA, card numbers, IP addresses,
advertising ids, names under name keys, and digests of them.

Everything about a kind (regex, key hints, validator, severity) is data in
patterns/identifiers.toml; this module only runs it. Regexes run on short values whole and on
long values only in windows around a prefilter hit (an `@`, a run of digits, a `:`), so a
64 KiB DOM snapshot costs little more than a `str.find`; "key" patterns run only under a key
that names the identifier. Key names raise confidence (`ud[ph]`) or lower it (`order_id`): the
match says which in `key_context` and in its detail.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import regex

from ..model import Field, Match, SEVERITIES
from .base import FieldContext, ascii_lower, count_digits
from .keys import KeyHints
from ..memo import MEMO_MAX_KEY
from .loading import TomlFile
from ..masking import MASKERS, mask_hash, mask_text
from .validators import VALIDATORS
from .wordsets import trie_pattern

MAX_SCAN = 64 * 1024  # characters of one field that are looked at
WHOLE_SCAN = 2048  # values up to this long are scanned whole; longer ones in windows
WINDOW = 24  # characters kept either side of a prefilter hit
MAX_MIN_DIGITS = 64

KIND_KEYS = {"name", "rule_id", "category", "severity", "validator", "mask", "confidence",
             "key_confidence", "key_hints", "context_words", "pattern", "key_validator_options"}
PATTERN_KEYS = {"name", "regex", "key_required", "prefilter", "min_digits"}
PREFILTERS = ("@", "digits", ":", "key")
HASH_CLASSES = ("email", "phone", "name", "other")

_AT = re.compile(r"%(?:25)?40", re.IGNORECASE)
_DIGIT_RUN = re.compile(r"\d[\d\s().\-/]*")
_HEX_COLON = re.compile(r"[0-9A-Fa-f]:[0-9A-Fa-f:]|::")  # where an IPv6 address can be
# A hex digest (md5, sha1, sha256, sha512): a hash, PG-ID-HASHED's to judge. Digit runs in it
# are chance, and the shape patterns would only try and reject them one by one.
_DIGEST_LENGTHS = frozenset((32, 40, 64, 128))
_HEX_DIGEST = re.compile(r"[0-9a-fA-F]+")


@dataclass(frozen=True)
class PatternSpec:
    name: str
    regex: Any  # compiled `regex` pattern
    key_required: bool
    prefilter: str
    min_digits: int = 0  # a value with fewer digits cannot match: the regex is not run


@dataclass(frozen=True)
class KindSpec:
    name: str
    rule_id: str
    category: str
    severity: str
    validator_name: str
    validator: Callable[[str], str] | None
    mask: str
    confidence: float
    key_confidence: float
    hints: KeyHints
    context: Any  # compiled regex of context words, or None
    patterns: tuple[PatternSpec, ...]
    keyed_validator: Callable[[str], str] | None = None  # used instead when a key hint matched
    context_words: frozenset[str] = frozenset()  # lower-case, as in `context`


@dataclass(frozen=True)
class NegativeKeys:
    """Keys that say a value is not personal data (`order_id`, `price`): confidence × factor,
    and a match below `drop_below` is not reported."""

    hints: KeyHints
    factor: float = 1.0
    drop_below: float = 0.0


@dataclass(frozen=True)
class HashedSpec:
    rule_id: str
    severity: str
    confidence: float
    role_confidence: float
    hints: tuple[tuple[str, KeyHints], ...]  # (class, hints) in precedence order
    tv1_parts: dict[str, str]
    ignored: frozenset[str]  # digests of placeholder values, lower-cased hex / exact base64


@dataclass(frozen=True)
class IdentifierTable:
    kinds: tuple[KindSpec, ...]
    hashed: HashedSpec
    context_chars: int
    negative: NegativeKeys = NegativeKeys(KeyHints(()))


def load_identifiers(path: Path) -> IdentifierTable:
    """patterns/identifiers.toml, compiled. Cached: the field and hashed detectors share it."""
    return _load_identifiers(Path(path).resolve())


@functools.lru_cache(maxsize=8)
def _load_identifiers(path: Path) -> IdentifierTable:
    toml = TomlFile(path)
    toml.check_keys(toml.data, {"schema_version", "context_chars", "kind", "validator", "hashed", "negative_keys"}, [])
    options = toml.data.get("validator", {})
    if not isinstance(options, dict) or not all(isinstance(v, dict) for v in options.values()):
        raise toml.fail(["validator"], "must be tables: [validator.<name>]")
    for name in options:
        if name not in VALIDATORS:
            raise toml.fail(["validator", name], f"unknown validator (known: {', '.join(VALIDATORS)})")
    kinds = tuple(_kind(toml, index, table, options) for index, table in enumerate(toml.tables("kind")))
    names = [kind.name for kind in kinds]
    if len(set(names)) != len(names):
        raise toml.fail(["kind"], "two kinds share a name")
    context_chars = toml.data.get("context_chars", 40)
    if not isinstance(context_chars, int) or not 0 <= context_chars <= 200:
        raise toml.fail(["context_chars"], "must be an integer from 0 to 200")
    return IdentifierTable(kinds, _hashed(toml), context_chars, _negative(toml))


def _negative(toml: TomlFile) -> NegativeKeys:
    table = toml.data.get("negative_keys", {})
    if not isinstance(table, dict):
        raise toml.fail(["negative_keys"], "must be a table: [negative_keys]")
    toml.check_keys(table, {"key_hints", "factor", "drop_below"}, ["negative_keys"])
    return NegativeKeys(KeyHints(toml.strings(table, "key_hints", ["negative_keys"])),
                        toml.number(table, "factor", ["negative_keys"], 1.0),
                        toml.number(table, "drop_below", ["negative_keys"], 0.0))


def _kind(toml: TomlFile, index: int, table: dict[str, Any], options: dict[str, dict]) -> KindSpec:
    where: list[str | int] = ["kind", index]
    toml.check_keys(table, KIND_KEYS, where)
    name = toml.string(table, "name", where)
    severity = toml.string(table, "severity", where)
    if severity not in SEVERITIES:
        raise toml.fail([*where, "severity"], f"must be one of {', '.join(SEVERITIES)}")
    validator_name = toml.string(table, "validator", where, "")
    validator = keyed_validator = None
    if validator_name:
        if validator_name not in VALIDATORS:
            raise toml.fail([*where, "validator"], f"unknown validator (known: {', '.join(VALIDATORS)})")
        function, kwargs = VALIDATORS[validator_name], dict(options.get(validator_name, {}))
        validator = (lambda value, f=function, k=kwargs: f(value, **k))
        keyed = table.get("key_validator_options", {})
        if not isinstance(keyed, dict):
            raise toml.fail([*where, "key_validator_options"], "must be a table of validator options")
        keyed_validator = (lambda value, f=function, k={**kwargs, **keyed}: f(value, **k)) if keyed else validator
    mask = toml.string(table, "mask", where, "text")
    if mask not in MASKERS:
        raise toml.fail([*where, "mask"], f"unknown mask (known: {', '.join(MASKERS)})")
    words = toml.strings(table, "context_words", where)
    context = regex.compile("(?<![a-z])(?:" + "|".join(regex.escape(w.lower()) for w in words) + ")") if words else None
    patterns = []
    raw_patterns = table.get("pattern", [])
    if not isinstance(raw_patterns, list) or not raw_patterns:
        raise toml.fail([*where, "pattern"], "needs at least one [[kind.pattern]]")
    for number, item in enumerate(raw_patterns):
        at: list[str | int] = [*where, "pattern", number]
        if not isinstance(item, dict):
            raise toml.fail(at, "must be a table")
        toml.check_keys(item, PATTERN_KEYS, at)
        prefilter = toml.string(item, "prefilter", at, "digits")
        if prefilter not in PREFILTERS:
            raise toml.fail([*at, "prefilter"], f"must be one of {', '.join(PREFILTERS)}")
        try:
            compiled = regex.compile(toml.string(item, "regex", at))
        except regex.error as exc:
            raise toml.fail([*at, "regex"], f"invalid regex: {exc}") from exc
        min_digits = item.get("min_digits", 0)
        if isinstance(min_digits, bool) or not isinstance(min_digits, int) or not 0 <= min_digits <= MAX_MIN_DIGITS:
            raise toml.fail([*at, "min_digits"], "must be an integer from 0 to 64")
        patterns.append(PatternSpec(toml.string(item, "name", at), compiled,
                                    toml.boolean(item, "key_required", at), prefilter, min_digits))
    return KindSpec(
        name=name,
        rule_id=toml.string(table, "rule_id", where),
        category=toml.string(table, "category", where, f"identifier:{name}"),
        severity=severity,
        validator_name=validator_name,
        validator=validator,
        mask=mask,
        confidence=toml.number(table, "confidence", where, 0.8),
        key_confidence=toml.number(table, "key_confidence", where, 0.95),
        hints=KeyHints(toml.strings(table, "key_hints", where)),
        context=context,
        patterns=tuple(patterns),
        keyed_validator=keyed_validator,
        context_words=frozenset(w.lower() for w in words),
    )


def _hashed(toml: TomlFile) -> HashedSpec:
    table = toml.data.get("hashed")
    where: list[str | int] = ["hashed"]
    if not isinstance(table, dict):
        raise toml.fail(where, "missing [hashed] table")
    toml.check_keys(table, {"rule_id", "severity", "confidence", "role_confidence", "ignore_plaintexts",
                            "key_hints", "tv1_parts"}, where)
    severity = toml.string(table, "severity", where)
    if severity not in SEVERITIES:
        raise toml.fail([*where, "severity"], f"must be one of {', '.join(SEVERITIES)}")
    hints_table = table.get("key_hints", {})
    if not isinstance(hints_table, dict):
        raise toml.fail([*where, "key_hints"], "must be a table of lists")
    toml.check_keys(hints_table, set(HASH_CLASSES), [*where, "key_hints"])
    hints = tuple((cls, KeyHints(toml.strings(hints_table, cls, [*where, "key_hints"])))
                  for cls in HASH_CLASSES if cls in hints_table)
    tv1 = table.get("tv1_parts", {})
    if not isinstance(tv1, dict) or not all(v in HASH_CLASSES for v in tv1.values()):
        raise toml.fail([*where, "tv1_parts"], f"values must be one of {', '.join(HASH_CLASSES)}")
    ignored: set[str] = set()
    for plain in toml.strings(table, "ignore_plaintexts", where):
        for variant in {plain, plain.lower()}:
            for algorithm in ("md5", "sha1", "sha256", "sha512"):
                digest = hashlib.new(algorithm, variant.encode()).digest()
                ignored.add(digest.hex())
                ignored.add(base64.b64encode(digest).decode())
                ignored.add(base64.urlsafe_b64encode(digest).decode().rstrip("="))
    return HashedSpec(
        rule_id=toml.string(table, "rule_id", where),
        severity=severity,
        confidence=toml.number(table, "confidence", where, 0.9),
        role_confidence=toml.number(table, "role_confidence", where, 0.75),
        hints=hints,
        tv1_parts=dict(tv1),
        ignored=frozenset(ignored),
    )


def _any_of(patterns: Any) -> Any:
    """One regex matching wherever any of `patterns` would (one matching nothing when there are
    none; None if they cannot be joined).

    Compiled with the standard `re` when it accepts the sources without a warning: its
    alternation is about twice as fast as `regex`'s here. Syntax only `regex` reads (variable
    lookbehind, Unicode property classes) fails to compile in `re` and falls back to `regex`."""
    joined = "|".join(f"(?:{pattern.regex.pattern})" for pattern in patterns) or "(?!)"
    compiled = _faster_compiled(joined)
    if compiled is not None:
        return compiled
    try:
        return regex.compile(joined)
    except regex.error:  # a pattern with a global flag cannot sit inside a group: no shortcut
        return None


def _faster_compiled(source: str) -> Any:
    """`source` compiled with the standard `re` if it reads it without a warning, else None."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return re.compile(source)
        except (re.error, Warning):
            return None


def _windows(text: str, prefilter: str) -> list[tuple[int, int]]:
    """Where a pattern with this prefilter can match; the whole text when it is short."""
    if prefilter == "key":
        return [(0, min(len(text), WHOLE_SCAN))]  # only asked for under a matching key
    if prefilter == ":":
        # IPv6: windows around hex:hex only ("https:" and JSON's '":' are not addresses)
        spans = [(m.start() - 48, m.end() + 48) for m in _HEX_COLON.finditer(text)]
        if not spans:
            return []
    elif prefilter == "@":
        if "@" not in text:
            return []
        if len(text) <= WHOLE_SCAN:
            return [(0, len(text))]
        # local part ≤ 64, domain ≤ 253 (+ room for lookaround)
        spans, at = [], text.find("@")
        while at != -1:
            spans.append((at - 80, at + 270))
            at = text.find("@", at + 1)
    else:
        first = _DIGIT_RUN.search(text)
        if first is None:
            return []
        if len(text) <= WHOLE_SCAN:
            return [(0, len(text))]
        spans = [(m.start(), m.end()) for m in _DIGIT_RUN.finditer(text, first.start())]
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        start, end = max(0, start - WINDOW), min(len(text), end + WINDOW)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class _Scan:
    """What the patterns of one value share, each computed once and only when a pattern needs it."""

    def __init__(self, text: str, context_words: Any, context_probe: Any):
        self.text = text
        self.at_text = _AT.sub("@", text) if "%" in text else text
        self._windows: dict[str, list[tuple[int, int]]] = {}
        self._lower: dict[int, str] = {}
        self._context_words = context_words  # one regex of every kind's context words
        self._context_probe = context_probe  # the same, in `re`: is there any at all?
        self._found: dict[int, set[str]] = {}

    def windows(self, prefilter: str) -> list[tuple[int, int]]:
        if prefilter not in self._windows:
            self._windows[prefilter] = _windows(self.at_text if prefilter == "@" else self.text, prefilter)
        return self._windows[prefilter]

    def lower(self, scanned: str) -> str:
        lowered = self._lower.get(id(scanned))
        if lowered is None:
            lowered = self._lower[id(scanned)] = ascii_lower(scanned)
        return lowered

    def has_context(self, kind: "KindSpec", lower: str) -> bool:
        """Does any of the kind's context words occur? One overlapped pass finds every kind's."""
        return not self._context_found(lower).isdisjoint(kind.context_words)

    def any_context(self, lower: str) -> bool:
        return bool(self._context_found(lower))

    def _context_found(self, lower: str) -> set[str]:
        found = self._found.get(id(lower))
        if found is None:
            # Most values hold no context word: one plain search says so, no overlapped pass.
            if self._context_probe.search(lower) is None:
                found = self._found[id(lower)] = set()
            else:
                found = self._found[id(lower)] = set(self._context_words.findall(lower, overlapped=True))
        return found


class IdentifierDetector:
    """PG-ID-* (one rule per kind in identifiers.toml): one match per kind per field."""

    name = "identifiers"

    def __init__(self, table: IdentifierTable):
        self.table = table
        self._keys: dict[str, tuple[tuple[str, ...], str]] = {}
        # (kind index, kind, pattern) in table order, for each count of digits in a value: most
        # values have few digits, and most patterns need many
        plan = [(index, kind, pattern) for index, kind in enumerate(table.kinds) for pattern in kind.patterns]
        self._eligible = [[step for step in plan if step[2].min_digits <= count]
                          for count in range(MAX_MIN_DIGITS + 1)]
        words = sorted({w for kind in table.kinds for w in kind.context_words}, key=len, reverse=True)
        self._context_words = regex.compile("(?<![a-z])(?:" + "|".join(regex.escape(w) for w in words) + ")") \
            if words else regex.compile("(?!)")
        # Asked of every value: shaped as a prefix tree, one branch per character is tried
        self._context_probe = re.compile("(?<![a-z])(?:" + trie_pattern(words) + ")")
        # per count of digits: one regex for every pattern that runs on digits without a key hint
        unkeyed = [[pattern for _, _, pattern in steps if not pattern.key_required and pattern.prefilter == "digits"]
                   for steps in self._eligible]
        joined: dict[tuple[int, ...], Any] = {}  # few distinct sets: each compiled once
        for patterns in unkeyed:
            key = tuple(map(id, patterns))
            if key not in joined:
                joined[key] = _any_of(patterns)
        self._any_unkeyed = [joined[tuple(map(id, patterns))] for patterns in unkeyed]
        self._keyed_plans: dict[tuple[tuple[str, ...], int], list] = {}
        self._context_free_plans: dict[tuple[tuple[str, ...], int, bool], list] = {}

    def context_key(self, context: FieldContext) -> None:
        return None  # the value and its key say it all

    def detect(self, item: Field, context: FieldContext) -> list[Match]:
        try:
            return self._detect(item)
        except Exception:  # pragma: no cover - a detector never takes the request down
            return []

    def _detect(self, item: Field) -> list[Match]:
        text = item.value[:MAX_SCAN]
        if len(text) < (2 if item.key else 5):  # a first name can be short; it needs its key
            return []
        digits = count_digits(text)
        has_at, has_colon = "@" in text or "%" in text, ":" in text
        if not (has_at or digits or has_colon or item.key):
            return []
        if len(text) in _DIGEST_LENGTHS and digits < len(text) and _HEX_DIGEST.fullmatch(text):
            return []
        hints, negative = self._key_context(item.key)
        if not (has_at or digits or has_colon or any(hints)) and text.isascii():
            return []  # every pattern needs an @, a digit, a colon or a key naming its kind
        scan = _Scan(text, self._context_words, self._context_probe)
        count = min(digits, MAX_MIN_DIGITS)
        plan = self._eligible[count]
        if self._only_keyed_can_match(text, count, has_at or has_colon, scan):
            plan = self._keyed_plan(hints, count)
        elif not self._has_context_word(scan):
            # Values with an @ or a colon: the joined search below was not made yet
            digits_may_match = not (has_at or has_colon) or self._unkeyed_digits_may_match(text, count)
            plan = self._plan_without_context(hints, count, digits_may_match)
        matches, done = [], set()
        for index, kind, pattern in plan:
            hint = hints[index]
            if index in done or (pattern.prefilter == "key" and not hint):
                continue
            if (pattern.prefilter == "@" and not has_at) or (pattern.prefilter == ":" and not has_colon):
                continue
            needs_context = pattern.key_required and not hint
            if needs_context and kind.context is None:
                continue
            windows = scan.windows(pattern.prefilter)
            if not windows:
                continue
            scanned = scan.at_text if pattern.prefilter == "@" else text
            if needs_context and not scan.has_context(kind, scan.lower(scanned)):
                continue  # no key hint and no context word anywhere: nothing to find
            found = self._first(kind, pattern, scanned, windows, scan, hint)
            if found:
                done.add(index)  # one match per kind: the first pattern that finds one
                match = self._match(kind, pattern, found[0], item.key, hint, found[1], negative)
                if match is not None:
                    matches.append(match)
        return matches

    def _only_keyed_can_match(self, text: str, digit_count: int, has_at_or_colon: bool, scan: "_Scan") -> bool:
        """Whether no pattern that runs without a key hint can match: then only the kinds the
        key names need their patterns run. One search of every such pattern at once settles it
        for most payload values (timestamps, ids, titles), instead of one search each.

        Exact where the loop below would scan the whole text, as the same text: short values,
        no `@`/`%` (e-mail patterns read a %40-decoded copy, and need an @), no `:` (IPv6
        patterns run only near one), no context word (which lets key-required patterns run
        without a hint). What is left are the "digits" patterns, joined per digit count."""
        if has_at_or_colon or len(text) > WHOLE_SCAN or scan.any_context(scan.lower(text)):
            return False
        if not digit_count:
            return True  # "digits" patterns run only where there is a digit
        joined = self._any_unkeyed[digit_count]  # None: the patterns could not be joined
        return joined is not None and joined.search(text) is None

    @staticmethod
    def _has_context_word(scan: "_Scan") -> bool:
        """Whether a context word lets a key-required pattern run without a hint, in the text
        or in its %40-decoded copy (what e-mail patterns read)."""
        return scan.any_context(scan.lower(scan.text)) or \
            (scan.at_text is not scan.text and scan.any_context(scan.lower(scan.at_text)))

    def _unkeyed_digits_may_match(self, text: str, digit_count: int) -> bool:
        """Whether a "digits" pattern that runs without a key hint may match: one search of
        them all at once (as in `_only_keyed_can_match`), exact on short text."""
        if len(text) > WHOLE_SCAN or not digit_count:
            return True  # long text is scanned in windows; without digits they find no window
        joined = self._any_unkeyed[digit_count]
        return joined is None or joined.search(text) is not None

    def _plan_without_context(self, hints: tuple[str, ...], digits: int, digits_may_match: bool) -> list:
        """The steps the loop would not skip in a value without a context word: those the key
        hints, and those that need neither a hint nor a context word, less the "digits" ones
        when none of them may match (an ISO timestamp has digits and colons: of 22 steps, the
        IPv6 one is left)."""
        plan = self._context_free_plans.get((hints, digits, digits_may_match))
        if plan is None:
            plan = [step for step in self._eligible[digits]
                    if hints[step[0]] or not (step[2].key_required or step[2].prefilter == "key"
                                              or (step[2].prefilter == "digits" and not digits_may_match))]
            if len(self._context_free_plans) < 8192:
                self._context_free_plans[(hints, digits, digits_may_match)] = plan
        return plan

    def _keyed_plan(self, hints: tuple[str, ...], digits: int) -> list:
        plan = self._keyed_plans.get((hints, digits))
        if plan is None:
            plan = [step for step in self._eligible[digits] if hints[step[0]]]
            if len(self._keyed_plans) < 8192:
                self._keyed_plans[(hints, digits)] = plan
        return plan

    def _key_context(self, key: str) -> tuple[tuple[str, ...], str]:
        """Per kind, the hint the key matches ("" for none), and the negative hint: computed once
        per key name (payload keys repeat endlessly)."""
        cached = self._keys.get(key)
        if cached is None:
            hints = tuple(kind.hints.match(key) if key and kind.hints else "" for kind in self.table.kinds)
            negative = self.table.negative.hints.match(key) if key and self.table.negative.hints else ""
            cached = (hints, negative)
            if len(self._keys) < 8192 and len(key) <= MEMO_MAX_KEY:
                self._keys[key] = cached
        return cached

    def _first(self, kind: KindSpec, pattern: PatternSpec, text: str, windows: list[tuple[int, int]],
               scan: "_Scan", hint: str) -> tuple[str, str] | None:
        """The first candidate that passes the validator and, when it needs one, has context."""
        validator = kind.keyed_validator if hint else kind.validator
        for start, end in windows:
            for candidate in pattern.regex.finditer(text, start, end):
                if validator and validator(candidate.group(0)):
                    continue
                context_word = ""
                if not hint and kind.context is not None:  # the words just before, for the detail
                    lower = scan.lower(text)
                    before = max(0, candidate.start() - self.table.context_chars)
                    word = kind.context.search(lower, before, candidate.start())
                    context_word = word.group(0) if word else ""
                if pattern.key_required and not hint and not context_word:
                    continue
                return candidate.group(0), context_word
        return None

    def _match(self, kind: KindSpec, pattern: PatternSpec, value: str, key: str, hint: str,
               context_word: str, negative: str = "") -> Match | None:
        parts = [f"{kind.name}: {pattern.name}"]
        if kind.validator:
            parts.append(f"passed {kind.validator_name} validator")
        confidence, key_context = (kind.key_confidence if hint else kind.confidence), ""
        if hint:
            parts.append(f"key context: {key}")
            key_context = f"{key} (an identifier key: raises confidence)"
        elif negative:
            confidence *= self.table.negative.factor
            if confidence < self.table.negative.drop_below:
                return None  # a phone-shaped order number is an order number
            parts.append(f"key '{key}' suggests an ordinary value: lower confidence")
            key_context = f"{key} (an ordinary-value key: lowers confidence)"
        if context_word and not hint:
            parts.append(f"text context: '{context_word}'")
        return Match(
            rule_id=kind.rule_id,
            category=kind.category,
            severity=kind.severity,
            evidence=MASKERS.get(kind.mask, mask_text)(value),
            detail="; ".join(parts),
            confidence=round(confidence, 3),
            term=kind.name,
            key_context=key_context,
        )


_DIGEST = re.compile(
    r"[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|[0-9a-fA-F]{128}"
    r"|[A-Za-z0-9_-]{43}|[A-Za-z0-9+/]{43}="
)
_HEX = re.compile(r"[0-9a-fA-F]+")
_WHAT = {"email": "an e-mail address", "phone": "a phone number", "name": "a name", "other": "user data"}
_LIST_SPLIT = re.compile(r"[\s,;|]+")


def describe_digest(value: str) -> tuple[str, str]:
    """(algorithm, encoding) of a digest-shaped string."""
    if _HEX.fullmatch(value):
        return {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}[len(value)], "hex"
    return "sha256", ("base64url" if re.search(r"[_-]", value) or not value.endswith("=") else "base64")


class HashedIdentifierDetector:
    """PG-ID-HASHED: a digest where trackers put hashed e-mail, phone, name or other user data."""

    name = "hashed-identifiers"

    def __init__(self, table: IdentifierTable):
        self.spec = table.hashed

    def context_key(self, context: FieldContext) -> bool:
        return context.role == "hashed_id"

    def detect(self, item: Field, context: FieldContext) -> list[Match]:
        try:
            return self._detect(item, context)
        except Exception:  # pragma: no cover
            return []

    def _class_of(self, key: str) -> str:
        for cls, hints in self.spec.hints:
            if hints.match(key):
                return cls
        return ""

    def _detect(self, item: Field, context: FieldContext) -> list[Match]:
        value = item.value.strip()
        if len(value) < 32 or len(value) > 4096:
            return []
        if value.startswith("tv.1~"):
            return self._tv1(value, item.key)
        cls = self._class_of(item.key)
        if not cls and context.role != "hashed_id":
            return []
        for part in _LIST_SPLIT.split(value)[:32]:
            if self._is_digest(part):
                return [self._match(part, cls or "other", item.key, bool(cls))]
        return []

    def _tv1(self, value: str, key: str) -> list[Match]:
        matches, seen = [], set()
        for part in value.split("~")[1:64]:
            name, _, digest = part.partition(".")
            cls = self.spec.tv1_parts.get(name)
            if cls and cls not in seen and self._is_digest(digest):
                seen.add(cls)
                matches.append(self._match(digest, cls, f"{key or 'em'} (tv.1~{name}.)", True))
        return matches

    def _is_digest(self, value: str) -> bool:
        if not _DIGEST.fullmatch(value) or len(set(value.rstrip("="))) < 4:
            return False
        return value.lower() not in self.spec.ignored and value not in self.spec.ignored

    def _match(self, digest: str, cls: str, key: str, by_key: bool) -> Match:
        algorithm, encoding = describe_digest(digest)
        how = f"key context: {key}" if by_key else f"field role hashed_id (key {key or '?'})"
        return Match(
            rule_id=self.spec.rule_id,
            category=f"identifier:hashed-{cls}",
            severity=self.spec.severity,
            evidence=mask_hash(digest, algorithm),
            detail=f"{algorithm.upper()} {encoding} digest of {_WHAT[cls]}; {how}",
            confidence=self.spec.confidence if by_key else self.spec.role_confidence,
            term=f"hashed-{cls}",
        )
