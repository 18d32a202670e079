"""Tell a capture's format from its first bytes, never from its file name.

HAR is JSON: `{` after an optional BOM and whitespace. mitmproxy flow files are
tnetstring records and start with a decimal length. mitmproxy's `save.har` writes
`.zhar` as zlib; `.har.gz` is gzip. Compressed input is unpacked and sniffed again.
"""
from __future__ import annotations

import gzip
import zlib

HAR = "har"
FLOWS = "flows"
GZIP = "gzip"
ZLIB = "zlib"
EMPTY = "empty"

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_WHITESPACE = b" \t\r\n"
SNIFF_BYTES = 4096


def sniff(head: bytes) -> str:
    """The format of a capture whose first bytes (up to `SNIFF_BYTES`) are `head`.

    EMPTY means nothing but a BOM and whitespace: no capture at all.
    """
    if not head:
        return EMPTY
    if head[:2] == b"\x1f\x8b":
        return GZIP
    if _is_zlib(head):
        return ZLIB
    if head[:2] in UTF16_BOMS:
        codec = "utf-16-le" if head[:2] == b"\xff\xfe" else "utf-16-be"
        body = head[2:]
        text = body[: len(body) // 2 * 2].decode(codec, "replace").lstrip()
        if not text:
            return EMPTY
        return HAR if text.startswith("{") else FLOWS
    stripped = head[len(UTF8_BOM):] if head.startswith(UTF8_BOM) else head
    stripped = stripped.lstrip(_WHITESPACE)
    if not stripped:
        return EMPTY
    return HAR if stripped[:1] == b"{" else FLOWS


def _is_zlib(head: bytes) -> bool:
    # RFC 1950 header with a 32 KiB window (what zlib.compress, and so save.har, writes):
    # first byte 0x78 ("x"), and the two header bytes are a multiple of 31. Other window
    # sizes start with "8", "H", "X", "h", … and would collide with a flow file's length
    # prefix ("80…:" passes the checksum), so they are not sniffed.
    return len(head) >= 2 and head[0] == 0x78 and ((head[0] << 8) | head[1]) % 31 == 0


def decompress(data: bytes, kind: str) -> bytes:
    """Unpack gzip or zlib data; raises ValueError/EOFError/zlib.error/OSError when corrupt."""
    if kind == GZIP:
        return gzip.decompress(data)
    return zlib.decompress(data)
