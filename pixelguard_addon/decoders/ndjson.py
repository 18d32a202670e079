"""Newline-delimited bodies: GA4 batches (one url-encoded event per line, `text/plain`),
Sentry envelopes and Datadog intake (one JSON document per line).

Each line becomes `ndjson[i]` (0-based, counting blank lines, so Sentry's event item is
`ndjson[2]` after the envelope header and the item header) and is then read as JSON or as
a form.
"""
from __future__ import annotations

import re

from .base import Child
from .form import FormValue, looks_like_form
from .json_value import JsonValue
from .limits import Context
from .query import split_lazily

LINE_DECODERS = (JsonValue(), FormValue(strict=False))


class NdjsonValue:
    """`strict` (for sniffed bodies) wants every line to look like JSON or a form; a declared
    ndjson/envelope body keeps odd lines (attachments, truncated tails) as plain leaves."""

    name = "ndjson"
    candidate = re.compile("\n")

    def __init__(self, strict: bool = True):
        self.strict = strict

    def decode(self, value: str, key: str, ctx: Context) -> list[Child] | None:
        if "\n" not in value:
            return None
        numbered, truncated = _numbered_lines(value, limit=max(ctx.budget.fields_left, 2))
        if len(numbered) < 2:
            return None
        if self.strict and not all(_looks_like_record(line) for _, line in numbered):
            return None
        if truncated:
            ctx.partial("field limit")
        return [Child((f"ndjson[{index}]",), line, key, decoders=LINE_DECODERS) for index, line in numbered]


def _numbered_lines(value: str, limit: int) -> tuple[list[tuple[int, str]], bool]:
    """Non-blank lines with their 0-based numbers, at most `limit` of them (and whether more were left)."""
    numbered = []
    for index, line in enumerate(split_lazily(value, "\n")):
        if not line.strip():
            continue
        if len(numbered) >= limit:
            return numbered, True
        numbered.append((index, line.rstrip("\r")))
    return numbered, False


def _looks_like_record(line: str) -> bool:
    text = line.strip()
    return text[:1] in ("{", "[") or looks_like_form(text, strict=False)
