"""What every detector receives and returns.

A field detector looks at one decoded value at a time; a request detector looks at the
request as a whole (page context). Both return `Match`es; the engine adds the request,
vendor and decode chain to make `Finding`s. A field detector's answer must depend only on
the value, its key and its `FieldContext`: the engine remembers it for values it sees again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Protocol

from ..model import CapturedRequest, Decoded, Field, Match


@dataclass(frozen=True)
class FieldContext:
    """What a detector may know about the field beyond its value."""

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


class RequestDetector(Protocol):
    name: str

    def detect_request(self, context: RequestContext) -> Iterable[tuple[Field | None, Match]]: ...
