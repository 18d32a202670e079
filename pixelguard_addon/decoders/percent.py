"""Values percent-encoded once more than their container needed (`%7B%22title%22…`,
`https%3A%2F%2F…` inside an already-decoded query value, cookies holding URL-encoded JSON)."""
from __future__ import annotations

import codecs
import re

from .base import Child
from .limits import Context

PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_ESCAPE_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def percent_decode(text: str, errors: str = "replace") -> str:
    """`urllib.parse.unquote(text, errors=errors)`, faster where escapes are many (a page URL
    in a pixel's `dl`, JSON in Meta's `cd[…]`): the standard library decodes escape by escape
    in Python, this decodes the whole text at once, in C. The standard library decodes each run
    of escapes alone and keeps other characters as they are; decoding them all together with
    those characters' UTF-8 bytes is the same, since every character written out starts with a
    byte that ends any unfinished UTF-8 sequence and cannot continue one."""
    if "%" not in text:
        return text
    if "\\" not in text:
        try:  # `%XX` spelled `\\xXX` is a bytes escape; a `%` without two hex digits fails it
            escaped = codecs.escape_decode(text.replace("%", "\\x"))[0]
        except ValueError:  # a stray `%`, or a lone surrogate that has no UTF-8 bytes
            pass
        else:
            return escaped.decode("utf-8", errors)
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
