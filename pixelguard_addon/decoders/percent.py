"""Values percent-encoded once more than their container needed (`%7B%22title%22…`,
`https%3A%2F%2F…` inside an already-decoded query value, cookies holding URL-encoded JSON)."""
from __future__ import annotations

import re

from .base import Child
from .limits import Context

PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_ESCAPE_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def percent_decode(text: str, errors: str = "replace") -> str:
    """`urllib.parse.unquote(text, errors=errors)`, faster where escapes are many (a page URL
    in a pixel's `dl`, JSON in Meta's `cd[…]`): the standard library decodes escape by escape
    in Python, this decodes run by run. An unescaped character ends a run in both: the standard
    library decodes ASCII stretches alone and keeps other characters as they are, and an ASCII
    byte ends any UTF-8 sequence, so each run decodes alone exactly as it does there."""
    if "%" not in text:
        return text
    return _ESCAPE_RUN.sub(lambda run: bytes.fromhex(run.group().replace("%", "")).decode("utf-8", errors), text)


class PercentEncodedValue:
    name = "urlencoded"
    candidate = PERCENT_ESCAPE

    def decode(self, value: str, key: str, ctx: Context) -> list[Child] | None:
        if not PERCENT_ESCAPE.search(value):
            return None
        try:
            # strict: escapes that are not UTF-8 ("100%AB") mean this is not percent-encoding.
            text = percent_decode(value, errors="strict")
        except UnicodeDecodeError:
            return None
        if text == value:
            return None
        return [Child(("(urlencoded)",), text, key)]
