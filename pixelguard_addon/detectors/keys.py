"""Key-name matching for key-context scoring.

Only the innermost key counts: `ud[em]` → `em`, `user_data.em` → `em`, `$email` → `email`.
It is split into lower-case words at punctuation and camelCase: `sha256_email_address` →
(sha256, email, address), `phoneNumber` → (phone, number). A hint, split the same way, matches
when its words appear consecutively among the key's words: `em` matches `u_em` but not `item`,
`patientId` matches `patient_id`.
"""
from __future__ import annotations

import functools
import re
from typing import Iterable

from ..memo import MEMO_MAX_KEY

_SEGMENT = re.compile(r"[\[\].:/]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")


def innermost(key: str) -> str:
    segments = [s for s in _SEGMENT.split(key or "") if s]
    return segments[-1] if segments else ""


def key_words(key: str) -> tuple[str, ...]:
    return _remembered_words(key) if len(key) <= MEMO_MAX_KEY else _words(key)


def _words(key: str) -> tuple[str, ...]:
    last = innermost(key)[:128]
    return tuple(w for w in _WORD_SPLIT.split(_CAMEL.sub("_", last).lower()) if w)


_remembered_words = functools.lru_cache(maxsize=8192)(_words)  # payload keys repeat endlessly


class KeyHints:
    """A set of hints, compiled once; `match(key)` returns the first hint that applies or ""."""

    def __init__(self, hints: Iterable[str]):
        # (hint, its words joined and padded with spaces): words hold no spaces, so the padded
        # hint occurs in the padded key exactly where its words run consecutively
        self.hints: list[tuple[str, str]] = []
        self._cache: dict[str, str] = {}
        for hint in hints:
            words = key_words(hint)
            if words:
                self.hints.append((hint, _padded(words)))

    def match(self, key: str) -> str:
        if key in self._cache:
            return self._cache[key]
        hint = self._match(key)
        if len(self._cache) < 8192 and len(key) <= MEMO_MAX_KEY:
            self._cache[key] = hint
        return hint

    def _match(self, key: str) -> str:
        words = key_words(key)
        if not words:
            return ""
        padded = _padded(words)
        for hint, needle in self.hints:
            if needle in padded:
                return hint
        return ""

    def __bool__(self) -> bool:
        return bool(self.hints)


def _padded(words: tuple[str, ...]) -> str:
    return f" {' '.join(words)} "
