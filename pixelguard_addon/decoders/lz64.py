"""PostHog `compression=lz64`: `data=<LZString.compressToBase64(JSON)>` (posthog-js up to 1.61).

lz-string base64 uses the base64 alphabet but not base64's meaning, so the generic base64
decoder sees only binary noise. Any long base64-looking value of a vendor that names this
decoder is tried, and kept only when it decompresses to JSON: most base64-alphabet values
(ids, digests) are not lz-string at all and fail fast.
"""
from __future__ import annotations

import re

from .base import Child, looks_textual
from .limits import Context
from .lzstring import LzStringError, decompress_from_base64

LZ64 = re.compile(r"^[A-Za-z0-9+/]{16,}={0,3}$")


class Lz64Value:
    name = "lz64"
    candidate = re.compile(r"\A\s*[A-Za-z0-9+/ ]{16}")  # spaces: "+" after form decoding

    def decode(self, value: str, key: str, ctx: Context) -> list[Child] | None:
        text = value.strip().replace(" ", "+")  # form decoding turned "+" into spaces
        if not LZ64.match(text):
            return None
        budget = ctx.budget
        limit = min(budget.bytes_left, len(text) * budget.limits.max_ratio)
        try:
            result = decompress_from_base64(text, max_chars=limit)
        except LzStringError:
            return None
        document = result.text.lstrip()
        if not document.startswith(("{", "[")) or not looks_textual(document):
            return None
        if not result.complete:
            ctx.partial("decompression ratio limit", ("(lz64)",))
        if not ctx.take_bytes(len(result.text), ("(lz64)",)):
            return None
        return [Child(("(lz64)",), result.text, key)]
