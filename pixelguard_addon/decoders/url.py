"""URLs: the request's own URL (path, matrix params, query, fragment) and URL-valued fields.

A page URL is the most common health leak (`dl=https://clinic.example/conditions/hiv`), so
any value that is a URL is split into `url.host`, `url.path`, `url.query.<k>` and
`url.fragment`; the whole URL stays available as the container field.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from .base import Child
from .limits import Context
from .query import Pair, pair_children, parse_pairs, unquote_text

# Scheme and host without whitespace, then anything but a line break: a decoded URL may hold
# a space (`?q=hiv test`), but "https://x.org is great" is a sentence, not a URL.
ABSOLUTE_URL = re.compile(r"^https?://[^\s/?#]+(?:[/?#][^\r\n]*)?$", re.IGNORECASE)
RELATIVE_URL = re.compile(r"^/[^\s]*$")

# Keys whose value is a page URL even when it is relative (`dl=/conditions/hiv?x=1`). Keys
# holding only a path (`$pathname`) are left out: splitting them would only repeat the value.
# "fragment" is here for single-page apps' hash routes (`#/search?q=hiv`).
PAGE_URL_KEYS = frozenset({
    "dl", "dr", "dp", "rl", "url", "uri", "href", "ref", "referrer", "referer", "~oref",
    "page_location", "page_referrer", "page_url", "pageurl", "page", "loc", "location",
    "$current_url", "$referrer", "$initial_referrer", "tw_document_href", "event_source_url",
    "landing_page", "source_url", "fragment",
})


class UrlValue:
    name = "url"
    candidate = re.compile(r"\A\s*(?:/|(?i:https?)://)")  # where the stripped value starts

    def decode(self, value: str, key: str, ctx: Context) -> list[Child] | None:
        text = value.strip()
        if not (ABSOLUTE_URL.match(text) or (key.lower() in PAGE_URL_KEYS and RELATIVE_URL.match(text))):
            return None
        parts = _split(text)
        if parts is None:
            return None
        children = url_children(parts)
        # A bare relative path would only come back as an identical `url.path`.
        if len(children) == 1 and children[0].steps == ("url.path",) and children[0].value == text:
            return None
        return children


def url_children(parts: SplitResult) -> list[Child]:
    children = []
    if parts.hostname:
        children.append(Child(("url.host",), parts.hostname, "host"))
    path = unquote_text(parts.path)
    if path not in ("", "/"):
        children.append(Child(("url.path",), path, "path"))
    children += pair_children(parse_pairs(parts.query), prefix="url.query.")
    if parts.fragment:
        children.append(Child(("url.fragment",), unquote_text(parts.fragment), "fragment"))
    return children


@dataclass(frozen=True)
class RequestUrl:
    """The request URL's own fields.

    `path` is the whole path, percent-decoded; it is a container when it held matrix params
    (Floodlight `/activity;src=1;~oref=https%3A…`), so a page URL in `~oref` is reported once,
    from `path;~oref`. Then come `matrix` (`path;<k>`), the pairs of the raw `query`
    (`query.<k>`, walked by `Walker.walk_pairs`) and `fragment`, in that order.
    """

    path: str
    path_is_container: bool
    matrix: list[Child]
    query: str
    fragment: list[Child]


QUERY_PREFIX = "query."
# Split by hand, not with urlsplit: this never raises, whatever the capture holds.
_SCHEME_AND_HOST = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")


def request_url(url: str) -> RequestUrl:
    rest, _, fragment = url.partition("#")
    rest, _, query = rest.partition("?")
    raw_path = _SCHEME_AND_HOST.sub("", rest, count=1) or "/"
    _, matrix = split_matrix(raw_path)
    fragment_root = [Child(("fragment",), unquote_text(fragment), "fragment")] if fragment else []
    return RequestUrl(unquote_text(raw_path), bool(matrix), pair_children(matrix, prefix="path;"), query, fragment_root)


def split_matrix(path: str) -> tuple[str, list[Pair]]:
    """`/activity;src=1;type=x` → ("/activity", [src=1, type=x]); no `;` → (path, [])."""
    if ";" not in path:
        return path, []
    head, *params = path.split(";")
    # Floodlight also writes `/ddm/activity/src=1;type=x`: the first param ends the path.
    base, slash, last = head.rpartition("/")
    if "=" in last:
        params.insert(0, last)
        head = base + slash
    pairs = []
    for param in params:
        key, has_value, value = param.partition("=")
        if key:
            pairs.append(Pair(unquote_text(key), unquote_text(value), bool(has_value)))
    return head, pairs


def _split(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url)
        parts.hostname  # raises ValueError for a broken IPv6 literal
    except ValueError:
        return None
    return parts
