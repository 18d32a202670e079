"""url-encoded forms: `application/x-www-form-urlencoded` bodies, GA4 batch lines, and string
values that are themselves `a=b&c=d` (URL fragments, nested params)."""
from __future__ import annotations

import re
from itertools import islice

from .base import Child
from .limits import Context
from .query import pair_children, read_pairs, split_lazily

# How many pieces decide whether a text is a form: enough to reject prose, few enough that a
# huge body is judged without reading it all.
SAMPLE_PIECES = 256

# A raw (still percent-encoded) form key: tracker keys look like `en`, `ep.search_term`,
# `cd[buttonFeatures]`, `$current_url`, `_et`. A raw space means prose, not a form.
FORM_KEY = re.compile(r"^[\w.\[\]$~:@%+*!-]{1,128}$")


class FormValue:
    """`key=value&key=value` → children `form → key`.

    `strict` (the default, for arbitrary string values) wants at least two pairs so that a
    lone "a=b" in prose is left alone; bodies and ndjson lines are read with strict=False.
    """

    name = "form"
    candidate = re.compile("=")

    def __init__(self, strict: bool = True):
        self.strict = strict

    def decode(self, value: str, key: str, ctx: Context) -> list[Child] | None:
        if not looks_like_form(value, self.strict):
            return None
        pairs, truncated = read_pairs(value.strip(), limit=max(ctx.budget.fields_left, 0))
        if truncated:
            ctx.partial("field limit")
        return pair_children(pairs, head=("form",))


def looks_like_form(text: str, strict: bool = True) -> bool:
    text = text.strip()
    if "=" not in text or "\n" in text or "\r" in text:
        return False
    pieces = [piece for piece in islice(split_lazily(text, "&"), SAMPLE_PIECES) if piece]
    if strict and len(pieces) < 2:
        return False
    for piece in pieces:
        raw_key, has_value, _ = piece.partition("=")
        if (strict and not has_value) or not FORM_KEY.match(raw_key):
            return False
    return True
