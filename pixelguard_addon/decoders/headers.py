"""Request headers that carry page data: `Referer` and `Origin` (decoded as URLs by the
walker) and every cookie in `Cookie` headers (`cookie.<name>`).

Other headers (User-Agent, Accept…) describe the browser, not the patient, and are left out.
"""
from __future__ import annotations

from ..memo import MEMO_MAX_TEXT, RecentMap
from ..model import CapturedRequest
from .base import Child

URL_HEADERS = ("referer", "origin")
ROOT_HEADERS = frozenset((*URL_HEADERS, "cookie"))
COOKIES = object()  # (COOKIES, a Cookie header) → its roots, in the walker's memo of values seen


def header_roots(request: CapturedRequest, seen: RecentMap | None = None) -> list[Child]:
    """Referer values, then Origin values, then every cookie, each in the order sent. `seen`:
    the walker's memo, where a Cookie header's roots are kept (a browser sends the same cookies
    with every request to a host)."""
    found: dict[str, list[str]] = {}
    for name, value in request.headers:  # one pass: three names out of a dozen or more
        name = name.lower()
        if name in ROOT_HEADERS:
            found.setdefault(name, []).append(value)
    roots = []
    for name in URL_HEADERS:
        for value in found.get(name, ()):
            value = value.strip()
            if value and value != "null":  # sandboxed frames send "Origin: null"
                roots.append(Child((f"header.{name}",), value, name))
    for header in found.get("cookie", ()):
        cookies = seen.get((COOKIES, header)) if seen is not None else None
        if cookies is None:
            cookies = tuple(cookie_roots(header))
            if seen is not None and len(header) <= MEMO_MAX_TEXT:  # the sender's text: short ones only
                seen.put((COOKIES, header), cookies)
        roots += cookies
    return roots


def cookie_roots(header: str) -> list[Child]:
    """`a=1; b="x y"` → cookie.a, cookie.b. Parsed by hand: `http.cookies` rejects (and drops)
    many real-world cookies."""
    roots = []
    for piece in header.split(";"):
        name, has_value, value = piece.partition("=")
        name, value = name.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        if name and has_value and value:
            roots.append(Child((f"cookie.{name}",), value, name))
    return roots
