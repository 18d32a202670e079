"""base64 / base64url strings that hold text: Mixpanel `data=`, PostHog `compression=base64`,
state blobs in cookies. Hashes and ids must stay leaves, so the tests are strict."""
from __future__ import annotations

import base64
import binascii
import re

from .base import Child, looks_textual
from .compression import GZIP_MAGIC, decompress_bounded
from .limits import Context

MIN_LENGTH = 16
STANDARD = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")
URL_SAFE = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")
# Hex digests, UUIDs and numeric ids are in the base64 alphabet too; they must stay leaves.
HEX_OR_DIGITS = re.compile(r"^[0-9A-Fa-f-]+$")


class Base64Value:
    name = "base64"
    # Where the stripped value starts: it is all base64 (spaces count: form decoding turned "+"
    # into them, see decode_base64). Anchored, so the search gives up at once elsewhere.
    candidate = re.compile(r"\A\s*[A-Za-z0-9+/_= -]{%d}" % MIN_LENGTH)

    def decode(self, value: str, key: str, ctx: Context) -> list[Child] | None:
        raw = decode_base64(value)
        if raw is None:
            return None
        if raw.startswith(GZIP_MAGIC):  # PostHog `compression=base64` of gzip, and friends
            return self._gunzip(raw, key, ctx)
        text = _as_text(raw)
        if text is None or not ctx.take_bytes(len(raw), ("(base64)",)):
            return None
        return [Child(("(base64)",), text, key)]

    def _gunzip(self, raw: bytes, key: str, ctx: Context) -> list[Child] | None:
        steps = ("(base64)", "(gzip)")
        if not ctx.take_bytes(len(raw), steps[:1]):
            return None
        result = decompress_bounded(raw, "gzip", ctx.budget.limits.max_ratio, ctx.budget.bytes_left)
        result.report(ctx, steps)
        text = _as_text(result.data, cut=bool(result.limit or result.truncated))
        if text is None or not ctx.take_bytes(len(result.data), steps):
            return None
        return [Child(steps, text, key)]


def decode_base64(value: str) -> bytes | None:
    """The decoded bytes when `value` plausibly is base64/base64url, else None."""
    text = value.strip()
    # Form decoding turns an unescaped "+" into a space; put it back.
    if " " in text and "\n" not in text:
        text = text.replace(" ", "+")
    if len(text) < MIN_LENGTH or HEX_OR_DIGITS.match(text):
        return None
    # Encoded text nearly always mixes cases; a long plain word or CONSTANT does not.
    if text.lower() == text or text.upper() == text:
        return None
    if STANDARD.match(text):
        altchars = None
    elif URL_SAFE.match(text):
        altchars = b"-_"
    else:
        return None
    return b64decode_lenient(text, altchars)


def b64decode_lenient(text: str, altchars: bytes | None) -> bytes | None:
    """Decode with or without `=` padding (base64url usually drops it); None if invalid."""
    body = text.rstrip("=")
    if len(body) % 4 == 1:  # no base64 string has this length
        return None
    try:
        return base64.b64decode(body + "=" * (-len(body) % 4), altchars=altchars, validate=True)
    except (binascii.Error, ValueError):
        return None


def _as_text(raw: bytes, cut: bool = False) -> str | None:
    """The text, if `raw` is UTF-8 text. `cut` output (a limit stopped decompression) may end
    inside a character, so it is decoded leniently."""
    try:
        text = raw.decode("utf-8", errors="replace" if cut else "strict")
    except UnicodeDecodeError:
        return None
    # Random bytes that happen to be UTF-8 still hold control characters; text does not.
    return text if len(text) >= 4 and looks_textual(text, threshold=0.97) else None
