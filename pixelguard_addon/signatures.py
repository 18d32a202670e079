"""Endpoint signatures: a vendor's collection request recognised by its path and parameters,
whatever host it is sent to.

First-party gateways and server-side tag managers relay tracker hits from the site's own
host (`metrics.clinic.org/g/collect?v=2&tid=G-…`, `tracking.clinic.org/tr?id=…&ev=…`). By
host alone they look first party; by shape they are Google Analytics and Meta, and what they
carry ends up with Google and Meta. The catalog declares the shapes:

    [[vendor.signature]]
    path = "**/g/collect"            # endpoint syntax; `**/` lets any prefix path come first
    keys = ["v", "tid"]              # all must be present (query, form body or JSON body)
    match = { v = "^2$", tid = "^G-" }   # optional: regexes a value must match (search)

`request_params` collects what a request offers for matching. No mitmproxy here.
"""
from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Callable

from .decoders.query import parse_pairs
from .model import CapturedRequest

MAX_BODY_FOR_PARAMS = 64 * 1024
_SIGNATURE_KEYS = {"path", "keys", "match"}


@dataclass(frozen=True)
class Signature:
    path: str
    keys: tuple[str, ...]
    match: Mapping[str, str] = field(default_factory=dict, hash=False)
    _path_rx: re.Pattern[str] = field(init=False, repr=False, compare=False, hash=False)
    _value_rx: tuple[tuple[str, re.Pattern[str]], ...] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        from .catalog import _path_regex  # catalog imports this module: import late

        object.__setattr__(self, "_path_rx", _path_regex(self.path))
        object.__setattr__(self, "_value_rx", tuple((k, re.compile(v)) for k, v in self.match.items()))

    def matches(self, path: str, params: Mapping[str, str] | Collection[str]) -> bool:
        """`params`: the request's keys, or keys → first value (needed when `match` is set)."""
        if not self._path_rx.fullmatch(path.split("?", 1)[0] or "/"):
            return False
        if not all(key in params for key in self.keys):
            return False
        if not self._value_rx:
            return True
        if not isinstance(params, Mapping):
            return False
        return all(rx.search(str(params.get(key, ""))) for key, rx in self._value_rx)


def parse_signatures(value: Any, fail: Callable[[list[str | int], str], Exception]) -> tuple[Signature, ...]:
    """Validate `[[vendor.signature]]` tables; `fail(path, message)` builds the located error."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise fail([], "expected [[vendor.signature]] tables")
    return tuple(_parse_one(table, index, fail) for index, table in enumerate(value))


def _parse_one(table: dict, index: int, fail: Callable[[list[str | int], str], Exception]) -> Signature:
    for key in table:
        if key not in _SIGNATURE_KEYS:
            raise fail([index, key], f"unknown key (expected one of: {', '.join(sorted(_SIGNATURE_KEYS))})")
    path = table.get("path")
    if not isinstance(path, str) or not path.startswith(("/", "**/")) or any(c in path for c in "?# "):
        raise fail([index, "path"], "expected a path pattern starting with `/` or `**/` (no host, query or spaces)")
    keys = table.get("keys")
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) and k for k in keys):
        raise fail([index, "keys"], "expected a non-empty list of parameter names")
    match = table.get("match", {})
    if not isinstance(match, dict) or not all(isinstance(v, str) for v in match.values()):
        raise fail([index, "match"], "expected a table of parameter = regex")
    for key, pattern in match.items():
        if key not in keys:
            raise fail([index, "match", key], f"{key!r} is not among the signature's keys")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise fail([index, "match", key], f"invalid regex: {exc}") from None
    return Signature(path=path, keys=tuple(keys), match=dict(match))


def request_params(request: CapturedRequest) -> dict[str, str]:
    """Parameter name → first value: the query, then a small form or JSON-object body."""
    params: dict[str, str] = {}
    _, _, query = request.url.partition("?")
    for pair in parse_pairs(query.partition("#")[0]):
        params.setdefault(pair.key, pair.value)
    body = request.body
    if not body or len(body) > MAX_BODY_FOR_PARAMS:
        return params
    text = body.decode("utf-8", errors="replace").strip()
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except ValueError:
            return params
        for key, value in document.items() if isinstance(document, dict) else ():
            params.setdefault(key, value if isinstance(value, str) else json.dumps(value))
    elif "=" in text and "\n" not in text:
        for pair in parse_pairs(text):
            params.setdefault(pair.key, pair.value)
    return params
