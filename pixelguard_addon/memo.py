"""A bounded memo of recent results, for detectors whose answer depends only on the value.

Tracker traffic repeats itself: every beacon of a page view carries the same page URL, title,
pixel id and event names, and the live proxy sees them again on every page. Remembering the
answer for a value costs a dict lookup instead of a tokenize-and-scan. Bounded (cleared when
full, so memory stays flat on a long session) and never pickled with the object that holds it.
"""
from __future__ import annotations

from typing import Callable, Hashable, Iterable, TypeVar

T = TypeVar("T")

MEMO_ENTRIES = 4096
MEMO_MAX_TEXT = 2048  # longer values are rarely repeated word for word: not worth holding
# Payload keys are the sender's: only keys up to this long are remembered (as a memo's key or a
# key cache's entry), so a full memo stays small whatever a page sends.
MEMO_MAX_KEY = 256


class Memo:
    def __init__(self, entries: int = MEMO_ENTRIES):
        self.entries = entries
        self._results: dict[Hashable, tuple] = {}
        # lookup(key): the remembered result (a tuple) or None. The dict's own get, so the
        # engine's per-field loop pays no Python call for it.
        self.lookup: Callable[[Hashable], tuple | None] = self._results.get

    def get(self, key: Hashable, text: str, compute: Callable[[], list[T]]) -> list[T]:
        """`compute()`'s result for `key`, remembered when `text` (what the key stands for) is short."""
        found = self.lookup(key)
        if found is None:
            found = self.store(key, text, compute())
        return list(found)  # callers may extend what they get

    def store(self, key: Hashable, text: str, result: Iterable[T]) -> tuple[T, ...]:
        """Remember `result` for `key` when `text` is short; returns it as a tuple either way."""
        found = tuple(result)
        if len(text) <= MEMO_MAX_TEXT:
            if len(self._results) >= self.entries:
                self._results.clear()
            self._results[key] = found
        return found

    def clear(self) -> None:
        self._results.clear()  # the same dict: `lookup` stays bound to it

    def __len__(self) -> int:
        return len(self._results)

    def __getstate__(self) -> dict:
        return {"entries": self.entries}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["entries"])


class RecentMap:
    """A bounded dict (cleared when full), never pickled: "this value decoded to these fields"."""

    def __init__(self, entries: int = MEMO_ENTRIES):
        self.entries = entries
        self._items: dict[Hashable, object] = {}
        self.get: Callable[[Hashable], object | None] = self._items.get  # as Memo.lookup

    def put(self, key: Hashable, item: object) -> None:
        if len(self._items) >= self.entries:
            self._items.clear()
        self._items[key] = item

    def clear(self) -> None:
        self._items.clear()  # the same dict: `get` stays bound to it

    def __len__(self) -> int:
        return len(self._items)

    def __getstate__(self) -> dict:
        return {"entries": self.entries}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["entries"])
