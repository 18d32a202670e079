"""Health vocabulary in tracker payloads: PG-PHI-CONDITION, and `find_terms` for page context.

The vocabulary is data (patterns/lexicons/*.toml, format in patterns/lexicons/README.md). Text
and terms go through the same normalisation, so a term matches however a site spells it:

* percent-escapes decoded, `+` is a space (`Breast+Cancer`, `bipolar%20disorder`);
* split into words at every non-letter/digit (`hiv-prep`, `ob_gyn`, `/conditions/copd.html`),
  at camelCase (`bipolarDisorder`, `HIVTesting`) and between letters and digits (`covid19`);
* lower-cased, apostrophes dropped (`Crohn's` = `crohns`);
* plurals: a term also matches with `s`, `es` or `y`→`ies` on its last word.

Matching is one pyahocorasick pass over " word word word " with keys " term words ", so terms
only match whole words ("hiv" is not in "archive"). Ambiguous terms ("cold", "stroke", "MS")
count only with health context: the field's key names a health thing, or a context word or an
unambiguous term is within a few words. Stoplist phrases ("cold brew") silence any term inside.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick
import regex

from ..memo import MEMO_MAX_KEY, Memo
from ..model import Field, Match
from .base import FieldContext
from . import lexicon_cache
from .keys import KeyHints
from .loading import DataError, TomlFile

MAX_SCAN = 64 * 1024
CONTEXT_WINDOW = 8  # words either side of an ambiguous term that may give it health context
MAX_MATCHES = 12  # distinct terms reported per field
MAX_HITS = 4096  # automaton hits looked at per value
MAX_TERM_WORDS = 16  # longest phrase (term, context word, stop phrase) in words
CATEGORIES = ("condition", "symptom", "medication", "procedure", "specialty", "status")
SENSITIVE_TAGS = ("mental-health", "substance-use", "reproductive", "hiv-sti", "genetic",
                  "gender-affirming", "oncology")
TERM_KEYS = {"text", "category", "tags", "ambiguous", "match_case", "aliases", "source_id"}
GENERATED_DIR = "generated"  # the layer scripts/build_lexicon.py writes; the curated files win
SKIP_ROLES = frozenset({"page_url", "referrer", "title", "user_id", "hashed_id", "device_id"})

_TOKEN = regex.compile(
    r"\p{Lu}{2,}s(?!\p{L})"  # acronym plural: STDs, IUDs
    r"|\p{Lu}+(?=\p{Lu}\p{Ll})"  # acronym before a capitalised word: HIV|Testing
    r"|\p{Lu}?\p{Ll}+(?:['’]\p{Ll}+)*"  # word, Word, crohn's
    r"|\p{Lu}+(?:['’]\p{Lu}+)*"  # WORD, CROHN'S
    r"|\p{N}+"
    r"|[\p{L}\p{M}]+"
)
APOSTROPHE, CURLY_APOSTROPHE = "'", "’"  # dropped from words: `Crohn's` = `crohns`
# _TOKEN for ASCII text, in `re`: the same tokens (tests/detectors/test_lexicon.py checks it) at
# half the cost per call, and most values are short ASCII strings
_ASCII_TOKEN = re.compile(r"[A-Z]{2,}s(?![A-Za-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+(?:'[a-z]+)*"
                          r"|[A-Z]+(?:'[A-Z]+)*|[0-9]+|[A-Za-z]+")
_ASCII_LETTER = re.compile("[A-Za-z]")
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+|\+")
_ASCII_LOWER_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|[0-9]+")
_OPAQUE = re.compile(r"[A-Za-z0-9+/_=.-]{24,}")


class TermHit(NamedTuple):
    term: str  # the lexicon term (canonical spelling)
    category: str
    tags: tuple[str, ...]
    start: int  # offsets into the text given to find_terms
    end: int
    matched: str = ""  # the text as written (a health word, not patient data)
    ambiguous: bool = False
    context: str = ""  # for ambiguous terms: what gave them health context
    source: str = ""  # lexicon file name
    source_id: str = ""  # where a generated term comes from ("ICD-10-CM F41.1")


@dataclass(frozen=True)
class Term:
    text: str  # canonical spelling, reported as the finding's term
    spelling: str  # what is matched: the text itself or one of its aliases
    category: str
    tags: tuple[str, ...]
    ambiguous: bool
    match_case: bool
    source: str
    source_id: str = ""


class _Text:
    """A text decoded and split into lower-case words, with the way back to original offsets."""

    def __init__(self, text: str):
        self.original = text
        self.decoded, self.segments = _decode(text)
        self.segment_starts = [segment[0] for segment in self.segments]
        decoded = self.decoded
        if decoded.isascii():  # as below, with no empty word to drop and one lower() for all
            spans = [found.span() for found in _ASCII_TOKEN.finditer(decoded)]
            line = " ".join([decoded[start:end] for start, end in spans]).lower().replace(APOSTROPHE, "")
            words = line.split(" ") if spans else []
        else:
            words, spans = [], []
            for found in _TOKEN.finditer(decoded):
                word = found.group(0).lower().replace(APOSTROPHE, "").replace(CURLY_APOSTROPHE, "")
                if word:
                    words.append(word)
                    spans.append(found.span())
            line = " ".join(words)
        self.words = words
        self.spans = spans  # in decoded text
        # word starts in the normalised string: after the leading space and each earlier word
        self.starts = list(itertools.accumulate([len(word) + 1 for word in words[:-1]], initial=1)) if words else []
        self.normalised = f" {line} "

    def word_range(self, end: int, key_length: int) -> tuple[int, int]:
        """First and last word index of an automaton hit ending (inclusive) at `end`."""
        first = bisect.bisect_left(self.starts, end - key_length + 2)
        last = bisect.bisect_right(self.starts, end - 1) - 1
        return first, last

    def glued_to_digits(self, first: int, last: int) -> bool:
        """`9HIV3k` is an opaque id, not a word: reject terms stuck to digits they do not include."""
        def glued(a: int, b: int) -> bool:
            if a < 0 or b >= len(self.words) or self.spans[a][1] != self.spans[b][0]:
                return False
            return self.words[a].isdigit() != self.words[b].isdigit()
        return glued(first - 1, first) or glued(last, last + 1)

    def original_span(self, first: int, last: int) -> tuple[int, int]:
        return self._to_original(self.spans[first][0], True), self._to_original(self.spans[last][1], False)

    def _to_original(self, index: int, is_start: bool) -> int:
        if not self.segments:
            return index
        position = bisect.bisect_right(self.segment_starts, index) - 1
        if position < 0:
            return index
        decoded_start, original_start, decoded_length, original_length, verbatim = self.segments[position]
        if verbatim:
            return original_start + min(index - decoded_start, original_length)
        return original_start if (is_start or index == decoded_start) else original_start + original_length


def _decode(text: str) -> tuple[str, list[tuple[int, int, int, int, bool]]]:
    """Percent-escapes and `+` decoded; segments map decoded offsets back to the original."""
    if "%" not in text and "+" not in text:
        return text, []
    pieces: list[str] = []
    segments: list[tuple[int, int, int, int, bool]] = []
    decoded_at = original_at = 0
    for found in _ESCAPES.finditer(text):
        if found.start() > original_at:
            chunk = text[original_at:found.start()]
            segments.append((decoded_at, original_at, len(chunk), len(chunk), True))
            pieces.append(chunk)
            decoded_at += len(chunk)
        raw = found.group(0)
        if raw == "+":
            chunk = " "
        else:
            chunk = bytes.fromhex(raw.replace("%", "")).decode("utf-8", "replace")
        segments.append((decoded_at, found.start(), len(chunk), len(raw), False))
        pieces.append(chunk)
        decoded_at += len(chunk)
        original_at = found.end()
    if original_at < len(text):
        chunk = text[original_at:]
        segments.append((decoded_at, original_at, len(chunk), len(chunk), True))
        pieces.append(chunk)
    return "".join(pieces), segments


def normalise(text: str) -> str:
    """The words a text is matched as: `bipolarDisorder` → `bipolar disorder`."""
    return words_line(text).strip()


def words_line(text: str) -> str:
    """`_Text(text).normalised` (" word word "), without the offsets that only a text with a
    hit needs: most texts have none, and tokenizing word by word is most of their cost. Joined
    words lower-case as they do one by one: a space ends a word for Unicode's casing rules too."""
    decoded = _decode(text)[0]
    words = (_ASCII_TOKEN if decoded.isascii() else _TOKEN).findall(decoded)
    return f" {' '.join(words).lower().replace(APOSTROPHE, '').replace(CURLY_APOSTROPHE, '')} " if words else "  "


@functools.lru_cache(maxsize=None)  # only lexicon data comes here: bounded by the lexicon's size
def _data_words(text: str) -> tuple[str, ...]:
    """`_Text(text).words` for lexicon data, which has no percent-escapes: 5x cheaper, and a
    large lexicon has tens of thousands of spellings to split at start-up."""
    if "%" in text or "+" in text:
        return tuple(_Text(text).words)
    if text.isascii() and text.islower():  # no capitals, no camelCase: _TOKEN reduces to this
        return tuple(word.replace("'", "") for word in _ASCII_LOWER_TOKEN.findall(text))
    words = (found.group(0).lower().replace("'", "").replace("’", "") for found in _TOKEN.finditer(text))
    return tuple(word for word in words if word)


def _data_normal(text: str) -> str:
    return " ".join(_data_words(text))


def _variants(text: str, plurals: bool) -> set[str]:
    """Automaton keys for a term: as written (camelCase split) and lower-cased, plus plurals."""
    keys = set()
    for form in dict.fromkeys((text, text.lower())):  # most spellings are lower-case already
        words = _data_words(form)
        if not words:
            continue
        keys.add(" " + " ".join(words) + " ")
        last = words[-1]
        if plurals and len(last) > 2 and not last.isdigit():
            stems = [last + "s", last + "es"]
            if last.endswith("y"):
                stems.append(last[:-1] + "ies")
            written_last = text.split()[-1] if text.split() else ""
            if len(last) >= 5 and last.endswith("s") and not last.endswith(("ss", "us", "is")) \
                    and not written_last.isupper():
                stems.append(last[:-1])  # "kidney stones" also matches "kidney stone"
            for stem in stems:
                keys.add(" " + " ".join([*words[:-1], stem]) + " ")
    return keys


def spelling_forms(text: str) -> set[str]:
    """Every word sequence a spelling matches, plurals included: "kidney stones" →
    {"kidney stones", "kidney stone", "kidney stoneses"…}. A generated term whose spelling is
    one of a curated term's forms is the curated term."""
    return {key.strip() for key in _variants(text, plurals=True)}


class Lexicon:
    """All lexicon files of a directory, compiled into one Aho-Corasick automaton."""

    def __init__(self, terms: list[Term], context_words: tuple[str, ...], key_words: tuple[str, ...],
                 stop_phrases: tuple[str, ...], sources: tuple[str, ...] = ()):
        self.terms = terms
        self.context_words = context_words
        self.stop_phrases = stop_phrases
        self.sources = sources
        self.key_hints = KeyHints(key_words)
        self.automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[str, int]]] = {}
        for index, term in enumerate(terms):
            for key in _variants(term.spelling, plurals=True):
                entries.setdefault(key, []).append(("term", index))
        for index, word in enumerate(context_words):
            for key in _variants(word, plurals=True):
                entries.setdefault(key, []).append(("context", index))
        for index, phrase in enumerate(stop_phrases):
            for key in _variants(phrase, plurals=False):
                entries.setdefault(key, []).append(("stop", index))
        for key, payload in entries.items():
            self.automaton.add_word(key, (len(key), tuple(payload)))
        if entries:
            self.automaton.make_automaton()
        self._empty = not entries
        # With no all-digit entry, a text without letters can hold nothing: skipped unread
        self._letters_needed = not any(key.replace(" ", "").isdigit() for key in entries)
        self._memo = Memo()  # (text, key) → hits, for texts with an ambiguous word
        self._text_memo = Memo()  # text → hits, for the others

    def find_terms(self, text: str, key: str = "") -> list[TermHit]:
        """Lexicon terms in `text`, longest match first at each place, ambiguity resolved."""
        if self._letters_needed and text.isascii() and "%" not in text and _ASCII_LETTER.search(text) is None:
            return []  # ids, timestamps, counters: no word to find (an escape may hide a letter)
        # The key decides only whether an ambiguous word counts: the answer for a text without
        # one is remembered for every key (the same slug as `service`, `content_category`…).
        found = self._text_memo.lookup(text)
        if found is not None:
            return list(found)
        if len(key) > MEMO_MAX_KEY:  # keys are the sender's: a huge one is not kept
            return self._find_safely(text, key)[0]
        found = self._memo.lookup((text, key))
        if found is not None:
            return list(found)
        hits, key_read = self._find_safely(text, key)
        if key_read:
            self._memo.store((text, key), text, hits)
        else:
            self._text_memo.store(text, text, hits)
        return hits

    def _find_safely(self, text: str, key: str) -> tuple[list[TermHit], bool]:
        """The hits, and whether the key was read to find them."""
        try:
            return self._find(text, key)
        except Exception:  # pragma: no cover - never let one odd value stop the scan
            return [], False

    def _find(self, text: str, key: str) -> tuple[list[TermHit], bool]:
        if self._empty or not text:
            return [], False
        text = text[:MAX_SCAN]
        if " " not in text and _OPAQUE.fullmatch(text) and _looks_opaque(text):
            return [], False
        if not self._has_term(words_line(text)):
            return [], False  # most texts: no word offsets needed to say so
        parsed = _Text(text)
        terms, contexts, stops = [], [], []
        for count, (end, (length, payload)) in enumerate(self.automaton.iter(parsed.normalised)):
            if count >= MAX_HITS:
                break  # a value that is nothing but health words has said enough
            first, last = parsed.word_range(end, length)
            if first > last or parsed.glued_to_digits(first, last):
                continue
            for kind, index in payload:
                (terms if kind == "term" else contexts if kind == "context" else stops).append((first, last, index))
        if not terms:
            return [], False
        terms = _outside(terms, stops)
        contexts = _outside(contexts, stops)
        kept = [t for t in _longest(terms) if self._case_ok(t, parsed)]
        key_read = any(self.terms[index].ambiguous for _, _, index in kept)
        key_hint = self.key_hints.match(key) if key and key_read else ""
        certain = [t for t in kept if not self.terms[t[2]].ambiguous]
        hits, placed = [], set()
        for first, last, index in kept:
            term = self.terms[index]
            if (term.text, first, last) in placed:
                continue  # "PrEP" as written and its any-case twin: one hit
            why = ""
            if term.ambiguous:
                why = self._context(first, last, key, key_hint, contexts, certain)
                if not why:
                    continue
            placed.add((term.text, first, last))
            start, end = parsed.original_span(first, last)
            hits.append(TermHit(term.text, term.category, term.tags, start, end, text[start:end],
                                term.ambiguous, why, term.source, term.source_id))
        return hits, key_read

    def _has_term(self, line: str) -> bool:
        """Whether the automaton finds a term (not only context words or stop phrases) in
        " word word ": the loop below would find one there or nowhere."""
        return any(kind == "term" for _, (_, payload) in self.automaton.iter(line) for kind, _ in payload)

    def _case_ok(self, hit: tuple[int, int, int], parsed: _Text) -> bool:
        """A match_case term ("AIDS", "PrEP") only counts written with the same capitals."""
        term = self.terms[hit[2]]
        if not term.match_case:
            return True
        written = [parsed.decoded[s:e].replace("'", "").replace("’", "") for s, e in parsed.spans[hit[0]:hit[1] + 1]]
        wanted = _case_words(term.spelling)
        if written[:-1] != wanted[:-1] or not written:
            return False
        return written[-1] in (wanted[-1], wanted[-1] + "s", wanted[-1] + "es")

    def _context(self, first: int, last: int, key: str, key_hint: str, contexts: list, certain: list) -> str:
        if key_hint:
            return f"key '{key}'"
        low, high = first - CONTEXT_WINDOW, last + CONTEXT_WINDOW
        for c_first, c_last, index in _near(contexts, low, high):
            if not (c_first <= first and last <= c_last):
                return f"near '{self.context_words[index]}'"
        for t_first, t_last, index in _near(certain, low, high):
            if (t_first, t_last) != (first, last):
                return f"near '{self.terms[index].text}'"
        return ""


Span = tuple[int, int, int]  # (first word, last word, index)


def _outside(spans: list[Span], covers: list[Span]) -> list[Span]:
    """Spans not inside any cover (stoplist phrases), in order of first word. O(n log n)."""
    spans = sorted(spans)
    if not covers:
        return spans
    covers = sorted(covers)
    kept, reach, position = [], -1, 0
    for span in spans:
        while position < len(covers) and covers[position][0] <= span[0]:
            reach = max(reach, covers[position][1])
            position += 1
        if reach < span[1]:
            kept.append(span)
    return kept


def _longest(spans: list[Span]) -> list[Span]:
    """Drop spans strictly inside another ("cancer" in "breast cancer"); equal spans all stay."""
    spans = sorted(spans, key=lambda s: (s[0], -s[1]))
    kept, reach, index = [], -1, 0
    while index < len(spans):
        group_end = index
        while group_end < len(spans) and spans[group_end][:2] == spans[index][:2]:
            group_end += 1
        if reach < spans[index][1]:
            kept.extend(spans[index:group_end])
        reach = max(reach, spans[index][1])
        index = group_end
    return kept


def _near(spans: list[Span], low: int, high: int) -> list[Span]:
    """Spans (sorted by first word, each at most MAX_TERM_WORDS long) overlapping [low, high]."""
    start = bisect.bisect_left(spans, (low - MAX_TERM_WORDS, -1, -1))
    end = bisect.bisect_right(spans, (high, 1 << 30, 1 << 30))
    return [s for s in spans[start:end] if s[1] >= low]


def _case_words(text: str) -> list[str]:
    return [m.group(0).replace("'", "").replace("’", "") for m in _TOKEN.finditer(text)]


def _looks_opaque(text: str) -> bool:
    """A token, id or base64 blob has no words to find: random text switches between upper case,
    lower case and digits at most characters, camelCase words (`BipolarDisorderCare2024`) rarely."""
    if text.isascii():  # as below, in C: each character's kind as a byte, then its runs
        kinds = text.encode("ascii").translate(_ASCII_KINDS)
        digits, switches = kinds.count(b"0"), len(_KIND_RUNS.findall(kinds)) - 1
    else:
        def kind(c: str) -> int:
            return 0 if c.isdigit() else 1 if c.isupper() else 2 if c.islower() else 3
        kind_list = [kind(c) for c in text]
        digits, switches = kind_list.count(0), sum(a != b for a, b in zip(kind_list, kind_list[1:]))
    return digits >= 2 and switches >= 0.3 * len(text)


# An ASCII character's kind, as _looks_opaque's `kind` gives it: digit 0, upper 1, lower 2, else 3.
_ASCII_KINDS = bytes(ord("0") if chr(c).isdigit() else ord("1") if chr(c).isupper() else ord("2") if chr(c).islower()
                     else ord("3") for c in range(256))
_KIND_RUNS = re.compile(rb"0+|1+|2+|3+")


def load_lexicon(directory: Path) -> Lexicon:
    """Every *.toml in the directory (sorted), then every *.toml in its generated/ folder, merged.

    A spelling that repeats within a category is kept once (first wins). A generated term never
    takes a spelling the curated layer already has, in any category: the curated entry's tags,
    ambiguity and stoplist decide."""
    return _load_lexicon(Path(directory).resolve())


@functools.lru_cache(maxsize=8)
def _load_lexicon(directory: Path) -> Lexicon:
    if not directory.is_dir():
        raise DataError(str(directory), None, "", "lexicon directory not found")
    return lexicon_cache.load_or_build(directory, _build_lexicon)


def _build_lexicon(directory: Path) -> Lexicon:
    if not directory.is_dir():
        raise DataError(str(directory), None, "", "lexicon directory not found")
    terms: list[Term] = []
    seen: set[tuple[str, str, bool]] = set()
    curated: set[str] = set()  # spellings of the curated layer, any category
    context_words: list[str] = []
    key_words: list[str] = []
    stops: list[str] = []
    sources = []
    curated_files = sorted(directory.glob("*.toml"))
    for path in [*curated_files, *sorted((directory / GENERATED_DIR).glob("*.json"))]:
        generated = path.parent.name == GENERATED_DIR
        toml = TomlFile(path)
        sources.append(f"{GENERATED_DIR}/{path.name}" if generated else path.name)
        toml.check_keys(toml.data, {"schema_version", "source", "term", "stop", "context", "left_out"}, [])
        _check_source(toml)
        for index, table in enumerate(toml.tables("term")):
            for term in _terms(toml, index, table):
                spelling = _data_normal(term.spelling)
                # a match_case spelling ("STD") and its ambiguous any-case twin ("std") differ
                key = (spelling, term.category, term.match_case)
                if key in seen or (generated and spelling in curated):
                    continue
                seen.add(key)
                if not generated:
                    curated.update(spelling_forms(term.spelling))
                terms.append(term)
        for index, table in enumerate(toml.tables("stop")):
            toml.check_keys(table, {"text"}, ["stop", index])
            stops.append(toml.string(table, "text", ["stop", index]))
        context = toml.data.get("context", {})
        if not isinstance(context, dict):
            raise toml.fail(["context"], "must be a table: [context]")
        toml.check_keys(context, {"words", "key_words"}, ["context"])
        context_words.extend(toml.strings(context, "words", ["context"]))
        key_words.extend(toml.strings(context, "key_words", ["context"]))
    return Lexicon(terms, tuple(context_words), tuple(key_words), tuple(stops), tuple(sources))


def _check_source(toml: TomlFile) -> None:
    source = toml.data.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("licence"), str):
        raise toml.fail(["source"], "every lexicon file needs [source] with name and licence")
    toml.check_keys(source, {"name", "licence", "url", "notes"}, ["source"])


def _terms(toml: TomlFile, index: int, table: dict[str, Any]) -> list[Term]:
    where: list[str | int] = ["term", index]
    toml.check_keys(table, TERM_KEYS, where)
    text = toml.string(table, "text", where).strip()
    if not _data_words(text):
        raise toml.fail([*where, "text"], "has no letters or digits")
    if len(_data_words(text)) > MAX_TERM_WORDS:
        raise toml.fail([*where, "text"], f"longer than {MAX_TERM_WORDS} words")
    category = toml.string(table, "category", where)
    if category not in CATEGORIES:
        raise toml.fail([*where, "category"], f"must be one of {', '.join(CATEGORIES)}")
    tags = toml.strings(table, "tags", where)
    for tag in tags:
        if tag not in SENSITIVE_TAGS:
            raise toml.fail([*where, "tags"], f"unknown tag {tag!r} (known: {', '.join(SENSITIVE_TAGS)})")
    ambiguous = toml.boolean(table, "ambiguous", where)
    match_case = toml.boolean(table, "match_case", where)
    source_id = toml.string(table, "source_id", where, "")
    made = [Term(text, text, category, tags, ambiguous, match_case, toml.path.name, source_id)]
    for alias in toml.strings(table, "aliases", where):
        if not _data_words(alias):
            raise toml.fail([*where, "aliases"], f"alias {alias!r} has no letters or digits")
        made.append(Term(text, alias.strip(), category, tags, ambiguous, match_case, toml.path.name, source_id))
    return made


def default_lexicon() -> Lexicon:
    from ..catalog import patterns_dir  # late: catalog loads the tracker data, not needed here

    return load_lexicon(Path(patterns_dir()) / "lexicons")


def find_terms(text: str, key: str = "", lexicon: Lexicon | None = None) -> list[TermHit]:
    """Lexicon terms in a text (page path, title, search query), with original offsets."""
    return (lexicon or default_lexicon()).find_terms(text, key)


def _evidence(hit: TermHit, text: str) -> str:
    """The term as written, never its surroundings (they may hold a name)."""
    matched = hit.matched if len(hit.matched) <= 60 else hit.matched[:57] + "…"
    return ("…" if hit.start > 0 else "") + matched + ("…" if hit.end < len(text) else "")


class ConditionDetector:
    """PG-PHI-CONDITION: a condition, symptom, medication, procedure, specialty or status in a field."""

    name = "condition"
    rule_id = "PG-PHI-CONDITION"

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def context_key(self, context: FieldContext) -> bool:
        return context.role in SKIP_ROLES

    def detect(self, item: Field, context: FieldContext) -> list[Match]:
        if item.container or context.role in SKIP_ROLES:
            return []
        matches, seen = [], set()
        for hit in self.lexicon.find_terms(item.value, item.key):
            if hit.term in seen:
                continue
            seen.add(hit.term)
            detail = f"{hit.category} '{hit.term}' from lexicon {hit.source}"
            if hit.source_id:
                detail += f" ({hit.source_id})"
            if hit.matched.lower() != hit.term.lower():
                detail += f", written '{_evidence(hit, hit.matched)}'"
            if hit.ambiguous:
                detail += f"; ambiguous word, health context: {hit.context}"
            if hit.tags:
                detail += f"; sensitive: {', '.join(hit.tags)}"
            matches.append(Match(
                rule_id=self.rule_id,
                category="condition",
                severity="high",
                evidence=_evidence(hit, item.value),
                detail=detail,
                confidence=_confidence(hit),
                term=hit.term,
                sensitive_tags=hit.tags,
            ))
            if len(matches) >= MAX_MATCHES:
                break
        return matches


def _confidence(hit: TermHit) -> float:
    if hit.ambiguous:
        return 0.6
    if hit.category == "specialty":
        return 0.7
    return 0.9
