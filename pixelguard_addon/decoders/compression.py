"""Bounded decompression: gzip, deflate (zlib or raw), brotli, zstd.

Every decompressor is driven in steps with a cap on its output, so a zip bomb (10 MB of
zeros in 10 KB of gzip, or in 27 bytes of brotli) stops at the cap instead of filling
memory. The cap is the smaller of `max_ratio` × input size and what is left of the
request's decoded-bytes budget.
"""
from __future__ import annotations

import functools
import importlib
import io
import zlib
from dataclasses import dataclass
from types import ModuleType

from .limits import Context

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# zlib header: CMF 0x78 (deflate, 32K window) then one of the four standard FLG bytes.
ZLIB_FLAGS = frozenset({0x01, 0x5E, 0x9C, 0xDA})

ENCODING_ALIASES = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate", "br": "br", "zstd": "zstd"}
GZIP_WBITS = 31  # zlib's way of saying "gzip header and trailer"
ZLIB_WBITS = 15
RAW_DEFLATE_WBITS = -15
ZSTD_READ_SIZE = 64 * 1024


@dataclass
class Inflated:
    """What one decompression produced, and why it stopped if it did not reach the end."""

    encoding: str
    data: bytes
    error: str | None = None  # corrupt stream, unknown encoding, missing module
    truncated: bool = False  # the stream ended before its end marker
    limit: str | None = None  # the ratio or size limit stopped it

    def report(self, ctx: Context, extra: tuple[str, ...] = ()) -> None:
        if self.limit:
            ctx.partial(self.limit, extra)
        if self.truncated:
            ctx.partial("compressed stream ends early", extra)
        if self.error:
            ctx.undecodable(self.error, extra)


def normalize_encoding(name: str) -> str | None:
    """Content-Encoding token → our name ("x-gzip" → "gzip"); None for identity/empty."""
    name = name.strip().lower()
    if name in ("", "identity"):
        return None
    return ENCODING_ALIASES.get(name, name)


def sniff_encoding(data: bytes) -> str | None:
    """Compression visible from magic bytes. Brotli has none, so it is only ever declared."""
    if data.startswith(GZIP_MAGIC):
        return "gzip"
    if data.startswith(ZSTD_MAGIC):
        return "zstd"
    if len(data) >= 2 and data[0] == 0x78 and data[1] in ZLIB_FLAGS and (data[0] << 8 | data[1]) % 31 == 0:
        return "deflate"
    return None


def decompress_bounded(data: bytes, encoding: str, max_ratio: int, max_output: int) -> Inflated:
    ratio_cap = len(data) * max_ratio
    cap = min(ratio_cap, max_output)
    inflate = _INFLATERS.get(encoding)
    if inflate is None:
        return Inflated(encoding, b"", error=f"unsupported Content-Encoding {encoding!r}")
    out, ended, error = inflate(data, cap)
    result = Inflated(encoding, bytes(out[:cap]), error=error)
    if len(out) > cap:
        result.limit = "decompression ratio limit" if ratio_cap <= max_output else "decoded size limit"
    elif not ended and not error:
        result.truncated = True
    return result


# Each inflater returns (output, possibly cap + 1 bytes long; reached end of stream; error).
Outcome = tuple[bytearray, bool, "str | None"]


def _inflate_zlib(data: bytes, cap: int, wbits: int, name: str) -> Outcome:
    out = bytearray()
    inflater = zlib.decompressobj(wbits)
    pending = data
    try:
        while True:
            out += inflater.decompress(pending, cap + 1 - len(out))
            if len(out) > cap:
                return out, False, None
            if inflater.eof:
                pending = inflater.unused_data
                if wbits == GZIP_WBITS and pending.startswith(GZIP_MAGIC):  # multi-member gzip
                    inflater = zlib.decompressobj(wbits)
                    continue
                return out, True, None
            pending = inflater.unconsumed_tail
            if not pending:
                return out, False, None
    except zlib.error as exc:
        return out, False, f"corrupt {name} data ({exc})"


def _inflate_gzip(data: bytes, cap: int) -> Outcome:
    return _inflate_zlib(data, cap, GZIP_WBITS, "gzip")


def _inflate_deflate(data: bytes, cap: int) -> Outcome:
    # HTTP "deflate" should be zlib-wrapped, but some senders use raw deflate.
    out, ended, error = _inflate_zlib(data, cap, ZLIB_WBITS, "deflate")
    if error and not out:
        return _inflate_zlib(data, cap, RAW_DEFLATE_WBITS, "deflate")
    return out, ended, error


def _inflate_brotli(data: bytes, cap: int) -> Outcome:
    try:
        import brotli
    except ImportError:
        return bytearray(), False, "brotli module not installed"
    inflater = brotli.Decompressor()
    try:
        if hasattr(inflater, "can_accept_more_data"):
            try:
                return _brotli_with_output_limit(inflater, data, cap)
            except TypeError:  # a build whose process() has no output limit argument
                inflater = brotli.Decompressor()
        return _brotli_bytewise(inflater, data, cap)
    except brotli.error as exc:
        return bytearray(), False, f"corrupt br data ({exc})"


def _brotli_with_output_limit(inflater, data: bytes, cap: int) -> Outcome:
    """brotli >= 1.2: process() caps its own output; drain with empty input until it can take more."""
    out = bytearray()
    pending = data
    while True:
        chunk, pending = (pending, b"") if inflater.can_accept_more_data() else (b"", pending)
        produced = inflater.process(chunk, output_buffer_limit=cap + 1 - len(out))
        out += produced
        if len(out) > cap:
            return out, False, None
        if inflater.is_finished():
            return out, True, None
        if not pending and (not produced or inflater.can_accept_more_data()):
            return out, False, None


def _brotli_bytewise(inflater, data: bytes, cap: int) -> Outcome:
    """Older brotli cannot cap one call's output. One input byte per call completes at most
    about one meta-block (<= 16 MiB), so a bomb is caught after at most that much."""
    out = bytearray()
    view = memoryview(data)
    for offset in range(len(data)):
        out += inflater.process(view[offset:offset + 1])
        if len(out) > cap:
            return out, False, None
    return out, inflater.is_finished(), None


@functools.cache
def _zstd_module() -> ModuleType | None:
    # Python 3.14 ships compression.zstd; backports.zstd is its backport; zstandard is the
    # long-standing third-party binding. Any of them will do; none installed is not a crash.
    for name in ("compression.zstd", "backports.zstd", "zstandard"):
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


def _inflate_zstd(data: bytes, cap: int) -> Outcome:
    module = _zstd_module()
    if module is None:
        return bytearray(), False, "no zstd module installed (zstandard or backports.zstd)"
    try:
        if hasattr(module.ZstdDecompressor, "stream_reader"):
            return _zstd_stream_reader(module, data, cap)
        return _zstd_decompressor(module, data, cap)
    except module.ZstdError as exc:
        return bytearray(), False, f"corrupt zstd data ({exc})"


def _zstd_stream_reader(module: ModuleType, data: bytes, cap: int) -> Outcome:
    """The `zstandard` package: a stream reader returns at most what we ask for."""
    out = bytearray()
    reader = module.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True)
    while len(out) <= cap:
        chunk = reader.read(min(ZSTD_READ_SIZE, cap + 1 - len(out)))
        if not chunk:
            # The reader does not say whether the frame was complete; a cut frame usually
            # yields nothing at all, which is the case worth reporting.
            return out, bool(out), None
        out += chunk
    return out, False, None


def _zstd_decompressor(module: ModuleType, data: bytes, cap: int) -> Outcome:
    """compression.zstd / backports.zstd: the zlib-style decompress(data, max_length) API."""
    out = bytearray()
    inflater = module.ZstdDecompressor()
    out += inflater.decompress(data, cap + 1)
    while not inflater.eof and not inflater.needs_input and len(out) <= cap:
        out += inflater.decompress(b"", cap + 1 - len(out))
    return out, inflater.eof, None


_INFLATERS = {
    "gzip": _inflate_gzip,
    "deflate": _inflate_deflate,
    "br": _inflate_brotli,
    "zstd": _inflate_zstd,
}
