"""Request headers that carry page data: `Referer` and `Origin` (decoded as URLs by the
walker) and every cookie in `Cookie` headers (`cookie.<name>`).

Other headers (User-Agent, Accept…) describe the browser, not the patient, and are left out.
"""
from __future__ import annotations

from ..model import CapturedRequest
from .base import Child

URL_HEADERS = ("referer", "origin")


def header_roots(request: CapturedRequest) -> list[Child]:
    roots = []
    for name in URL_HEADERS:
        for value in request.header_values(name):
            if value.strip() and value.strip() != "null":  # sandboxed frames send "Origin: null"
                roots.append(Child((f"header.{name}",), value.strip(), name))
    for header in request.header_values("cookie"):
        roots += cookie_roots(header)
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
