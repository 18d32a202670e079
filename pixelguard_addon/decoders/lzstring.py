"""lz-string's `decompressFromBase64`, ported from the npm `lz-string` package (1.5.0).

PostHog's `compression=lz64` bodies are `data=<LZString.compressToBase64(json)>`. The port
follows the JavaScript line by line in spirit: an LZW variant over a bit stream read six bits
per base64 character, least significant bit first. JavaScript strings are UTF-16, so the
output is built from 16-bit code units and surrogate pairs are joined at the end.

Differences from the original, both on purpose: a character outside the base64 alphabet is an
error (the JavaScript reads it as 0 and returns garbage), and the output is capped, since the
dictionary lets a short input expand a long way.
"""
from __future__ import annotations

from dataclasses import dataclass

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_VALUES = {char: index for index, char in enumerate(ALPHABET)}
BITS_PER_CHAR = 6
_END_OF_STREAM = 2


class LzStringError(ValueError):
    """The input is not lz-string base64 (bad character, impossible code, cut stream)."""


@dataclass(frozen=True)
class Decompressed:
    text: str
    complete: bool  # False when the output cap stopped decompression


class _Bits:
    """Reads little-endian bit groups from the base64 characters, as `_decompress` does."""

    def __init__(self, text: str):
        try:
            self.values = [_VALUES[char] for char in text]
        except KeyError as exc:
            raise LzStringError(f"character {exc.args[0]!r} is not base64") from None
        self.index = 0  # next character to load
        self.value = self._load()
        self.position = 1 << (BITS_PER_CHAR - 1)

    def _load(self) -> int:
        value = self.values[self.index] if self.index < len(self.values) else 0
        self.index += 1
        return value

    def read(self, count: int) -> int:
        bits = 0
        for power in range(count):
            if self.value & self.position:
                bits |= 1 << power
            self.position >>= 1
            if self.position == 0:
                self.position = 1 << (BITS_PER_CHAR - 1)
                self.value = self._load()
        return bits

    @property
    def exhausted(self) -> bool:
        return self.index > len(self.values)


def decompress_from_base64(text: str, max_chars: int = 8 * 1024 * 1024) -> Decompressed:
    """Decompress `text`; raises LzStringError when it is not a valid lz-string stream."""
    if not text:
        raise LzStringError("empty input")
    bits = _Bits(text)
    first = bits.read(2)
    if first == _END_OF_STREAM:
        return Decompressed("", True)
    if first > 1:
        raise LzStringError("stream starts with an impossible code")
    dictionary: list[str] = ["", "", "", chr(bits.read(8 if first == 0 else 16))]
    previous = dictionary[3]
    parts = [previous]
    size = len(previous)
    enlarge_in, num_bits = 4, 3
    while True:
        if bits.exhausted:
            raise LzStringError("stream ends without its end marker")
        code = bits.read(num_bits)
        if code == _END_OF_STREAM:
            return Decompressed(_join_utf16(parts), True)
        if code in (0, 1):  # a literal: 8- or 16-bit character code
            dictionary.append(chr(bits.read(8 if code == 0 else 16)))
            code = len(dictionary) - 1
            enlarge_in -= 1
        if enlarge_in == 0:
            enlarge_in = 1 << num_bits
            num_bits += 1
        if code < len(dictionary) and code > _END_OF_STREAM:
            entry = dictionary[code]
        elif code == len(dictionary):
            entry = previous + previous[0]
        else:
            raise LzStringError(f"code {code} is not in the dictionary")
        parts.append(entry)
        size += len(entry)
        if size > max_chars:
            return Decompressed(_join_utf16(parts)[:max_chars], False)
        dictionary.append(previous + entry[0])
        enlarge_in -= 1
        previous = entry
        if enlarge_in == 0:
            enlarge_in = 1 << num_bits
            num_bits += 1


def _join_utf16(parts: list[str]) -> str:
    """Code units → text: surrogate pairs become one character, a lone surrogate U+FFFD."""
    joined = "".join(parts)
    return joined.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
