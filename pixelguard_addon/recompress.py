"""Compress a body again after redaction, with the encoding it arrived in.

The vendor must get a body its Content-Encoding still describes: gzip, zlib-wrapped or raw
("deflate-raw") deflate, brotli or zstd. An encoding we cannot write raises ValueError; the
caller then blocks the request rather than forward it in another encoding.
"""
from __future__ import annotations

import gzip
import importlib
import zlib

RAW_DEFLATE_WBITS = -15


def compress(data: bytes, encoding: str) -> bytes:
    writer = _WRITERS.get(encoding)
    if writer is None:
        raise ValueError(f"cannot write {encoding!r} bodies")
    return writer(data)


def _raw_deflate(data: bytes) -> bytes:
    writer = zlib.compressobj(wbits=RAW_DEFLATE_WBITS)
    return writer.compress(data) + writer.flush()


def _brotli(data: bytes) -> bytes:
    import brotli

    return brotli.compress(data)


def _zstd(data: bytes) -> bytes:
    # Same modules the decoder accepts (compression.zstd on 3.14, its backport, zstandard).
    for name in ("compression.zstd", "backports.zstd", "zstandard"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.compress(data)
    raise ValueError("no zstd module installed")


_WRITERS = {
    "gzip": lambda data: gzip.compress(data, mtime=0),
    "deflate": zlib.compress,
    "deflate-raw": _raw_deflate,
    "br": _brotli,
    "zstd": _zstd,
}
