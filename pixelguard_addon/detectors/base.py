"""What every detector receives and returns.

A field detector looks at one decoded value at a time; a request detector looks at the
request as a whole (page context). Both return `Match`es; the engine adds the request,
vendor and decode chain to make `Finding`s. A field detector's answer must depend only on
the value, its key and its `FieldContext` (of that, only on its `context_key`): the engine
remembers it for values it sees again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable, Iterable, NamedTuple, Protocol

from ..model import CapturedRequest, Decoded, Field, Match


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_DIGITS = "0123456789"
_DIGIT_BYTES = _DIGITS.encode()


def ascii_lower(text: str) -> str:
    """A-Z lower-cased, nothing else, so offsets in the copy are offsets in the original
    (str.lower turns "İ" into two characters). ASCII text, nearly all of it, takes str.lower:
    a translate table costs a dict lookup per character."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


def count_digits(text: str) -> int:
    """How many ASCII digits `text` holds (bytes.translate deletes in one C loop)."""
    if text.isascii():
        return len(text) - len(text.encode("ascii").translate(None, _DIGIT_BYTES))
    return sum(map(text.count, _DIGITS))


class FieldContext(NamedTuple):
    """What a detector may know about the field beyond its value. A NamedTuple (immutable, and
    half the cost of a frozen dataclass): one is built for every value not seen before."""

    role: str = ""  # page_url | referrer | title | event | user_text | user_id | hashed_id | device_id | ""
    vendor_id: str = ""


@dataclass
class RequestContext:
    """What a request detector may know about the request as a whole."""

    request: CapturedRequest
    decoded: Decoded
    vendor_id: str = ""
    vendor_known: bool = False  # in the catalog, by host or by endpoint signature
    vendor_name: str = ""  # as findings name it ("Meta Pixel (via first-party gateway …)")
    is_known_tracker: bool = False
    page_urls: list[tuple[Field | None, str]] = field(default_factory=list)  # (where, url)
    titles: list[tuple[Field, str]] = field(default_factory=list)
    # host → session cookie name, for hosts seen signed in (first-party request with the cookie)
    session_hosts: dict[str, str] = field(default_factory=dict)


class FieldDetector(Protocol):
    name: str

    def detect(self, item: Field, context: FieldContext) -> Iterable[Match]: ...

    def context_key(self, context: FieldContext) -> Hashable:
        """What of `context` the answer depends on: a value and key under contexts with equal
        keys get the same answer, so the engine asks once (the same host as a page URL, a
        referrer and a plain field). Optional: without it, all of the context counts."""
        ...


def context_key_of(detector: FieldDetector, context: FieldContext) -> Hashable:
    method = getattr(detector, "context_key", None)
    return context if method is None else method(context)


class RequestDetector(Protocol):
    name: str

    def detect_request(self, context: RequestContext) -> Iterable[tuple[Field | None, Match]]: ...
