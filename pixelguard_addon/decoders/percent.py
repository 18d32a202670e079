"""Values percent-encoded once more than their container needed (`%7B%22title%22…`,
`https%3A%2F%2F…` inside an already-decoded query value, cookies holding URL-encoded JSON)."""
from __future__ import annotations

import re
from urllib.parse import unquote

from .base import Child
from .limits import Context

PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


class PercentEncodedValue:
    name = "urlencoded"

    def decode(self, value: str, key: str, ctx: Context) -> list[Child] | None:
        if not PERCENT_ESCAPE.search(value):
            return None
        try:
            # strict: escapes that are not UTF-8 ("100%AB") mean this is not percent-encoding.
            text = unquote(value, errors="strict")
        except UnicodeDecodeError:
            return None
        if text == value:
            return None
        return [Child(("(urlencoded)",), text, key)]
