"""Request decoders: turn one captured request into every value a tracker could carry.

    decoded = decode_request(request)          # never raises
    for field in decoded.fields: field.chain   # "body(gzip) → json → properties.reason"

The request is read in three parts, each listed in `REQUEST_PARTS`: its URL (path, matrix
params, query, fragment), its headers (Referer, Origin, cookies) and its body. Values found
there are unpacked recursively by the walker (`walker.VALUE_DECODERS`).
"""
from __future__ import annotations

from typing import Callable, Iterable

from ..memo import RecentMap
from ..model import CapturedRequest, Decoded
from .body import walk_body
from .headers import header_roots
from .limits import Limits
from .registry import DECODERS, vendor_decoders
from .url import QUERY_PREFIX, request_url
from .walker import VALUE_DECODERS, Walker

__all__ = ["DECODERS", "Limits", "decode_request", "VALUE_DECODERS"]


def walk_url(request: CapturedRequest, walker: Walker) -> None:
    url = request_url(request.url)
    walker.emit(("path",), url.path, "path", container=url.path_is_container)
    walker.walk_all(url.matrix)
    walker.walk_pairs(url.query, QUERY_PREFIX)
    walker.walk_all(url.fragment)


def walk_headers(request: CapturedRequest, walker: Walker) -> None:
    walker.walk_all(header_roots(request, walker.seen))


REQUEST_PARTS: tuple[tuple[str, Callable[[CapturedRequest, Walker], None]], ...] = (
    ("url", walk_url),
    ("headers", walk_headers),
    ("body", walk_body),
)


def decode_request(request: CapturedRequest, limits: Limits = Limits(), decoders: Iterable[str] = (),
                   seen: RecentMap | None = None) -> Decoded:
    """Every field of `request`, with notes on what was only partly read or not readable.

    `decoders`: the vendor's decoder names from the catalog; vendor-only ones run as well.
    `seen`: kept by the caller across requests, so values seen before are not decoded again
    (see `Walker`)."""
    walker = Walker(limits, *vendor_decoders(decoders), seen=seen)
    if not request.body_complete:
        # Whatever the body shows, the part the capture lost may hold the leak.
        walker.budget.partial("body incomplete in capture")
    for part, walk in REQUEST_PARTS:
        if walker.budget.exhausted:
            break
        try:
            walk(request, walker)
        except Exception as exc:  # a bug or a capture shaped beyond belief: keep the rest
            walker.budget.undecodable(f"{part}: decoder failed ({type(exc).__name__})")
    return walker.budget.decoded
