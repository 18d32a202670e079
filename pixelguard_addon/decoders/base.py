"""What a value decoder is, and the small text tests several decoders share."""
from __future__ import annotations

import re
from typing import NamedTuple, Protocol

from .limits import Context


class Child(NamedTuple):
    """A value a decoder found inside another one.

    `steps` are appended to the parent's steps: ("json", "properties.reason"), ("(base64)",),
    ("url.query.q",). `final` children are yielded as they are and never decoded further
    (JSON numbers and booleans, object keys). `decoders`, when set, replaces the walker's
    usual value decoders for this one value: a body or an ndjson line is read by format
    (JSON, then a loose form), not as an arbitrary string. A NamedTuple for the same reason
    as `model.Field`.
    """

    steps: tuple[str, ...]
    value: str
    key: str
    final: bool = False
    decoders: tuple["ValueDecoder", ...] | None = None


class ValueDecoder(Protocol):
    """Reads one string value. Returns None when the value is not its format, else the children
    (an empty list is fine: `{}` is JSON, it just carries nothing).

    `candidate`: a regex (standard `re`) that finds something in every value `decode` could
    unpack, or None. Most payload values (event names, ids, timestamps, flags) are found in no
    decoder's candidate: one search of them all joined says so, and none is called."""

    name: str
    candidate: re.Pattern[str] | None

    def decode(self, value: str, key: str, ctx: Context) -> list[Child] | None: ...


# Control characters (C0 except tab/newlines, DEL, C1) and the replacement character that a
# failed UTF-8 decode leaves behind: text has almost none, binary data has many.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def printable_share(text: str) -> float:
    """Share of characters that read as text."""
    if not text or _NOT_TEXT.search(text) is None:  # text, nearly always: nothing to count
        return 1.0
    # Counted by substitution: findall would build a list as long as a binary body.
    return len(_NOT_TEXT.sub("", text)) / len(text)


def looks_textual(text: str, threshold: float = 0.9) -> bool:
    """Whether decoded bytes read as text rather than binary data (protobuf, images)."""
    return "\x00" not in text and printable_share(text) >= threshold
