"""Read saved captures (HAR, mitmproxy flow files) as `CapturedRequest`s.

    stats = CaptureStats()
    try:
        for request in read_capture("session.har", stats):
            ...
    except CaptureError as exc:   # whole file unusable; raised while iterating
        ...
    stats.skipped                 # entries that yielded nothing, one line each

The format is sniffed from the content, never the file name: `{` after an optional
BOM and whitespace is HAR; gzip (`.har.gz`) and zlib (`.zhar`, mitmproxy's save.har)
are unpacked and sniffed again; anything else is read as a mitmproxy flow file
(mitmproxy is imported only then).
"""
from __future__ import annotations

import io
import zlib
from pathlib import Path
from typing import Iterator

from ..model import CapturedRequest
from . import sniff as _sniff
from .base import CaptureError, CaptureStats

__all__ = ["CaptureError", "CaptureStats", "read_capture"]


def read_capture(path: str | Path, stats: CaptureStats | None = None) -> Iterator[CapturedRequest]:
    """Yield every request in the capture at `path`, in file order.

    `source` on each request is `str(path)`; `index` is the HAR entry / flow position
    (0-based; a WebSocket message carries its entry's index). `stats`, when given, is
    filled in as the iterator is consumed.

    Raises `CaptureError` (during iteration, like every other error of a generator) when
    the file is missing, unreadable, empty, not a capture, or corrupt before its first
    request. A flow file damaged later keeps the flows before the damage and notes the
    stop in `stats.skipped`.
    """
    if stats is None:
        stats = CaptureStats()
    source = str(path)
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        raise CaptureError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise CaptureError(f"{source}: is a directory, not a capture file") from None
    except OSError as exc:
        raise CaptureError(f"{source}: cannot open ({exc.strerror or exc})") from None
    with fh:
        try:
            head = fh.read(_sniff.SNIFF_BYTES)
            kind = _sniff.sniff(head)
            if kind in (_sniff.GZIP, _sniff.ZLIB):
                data = _decompress(head + fh.read(), kind, source)
                kind = _sniff.sniff(data[:_sniff.SNIFF_BYTES])
                if kind in (_sniff.GZIP, _sniff.ZLIB):
                    raise CaptureError(f"{source}: compressed twice; unpack it first")
                stream: io.BufferedIOBase | None = io.BytesIO(data)
            else:
                stream = None
            if kind == _sniff.EMPTY:
                raise CaptureError(f"{source}: empty file, not a capture")
            if kind == _sniff.HAR:
                data = stream.read() if stream is not None else head + fh.read()
        except OSError as exc:
            raise CaptureError(f"{source}: cannot read ({exc.strerror or exc})") from None

        if kind == _sniff.HAR:
            from .har import read_har

            yield from read_har(data, source, stats)
            return
        if stream is None:
            if fh.seekable():
                fh.seek(0)
                stream = fh
            else:  # a pipe, e.g. <(zcat capture.mitm.gz): put the sniffed bytes back
                stream = io.BytesIO(head + fh.read())
        from .flows import read_flows

        yield from read_flows(stream, source, stats)


def _decompress(data: bytes, kind: str, source: str) -> bytes:
    try:
        return _sniff.decompress(data, kind)
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        raise CaptureError(f"{source}: corrupt {kind} data ({exc})") from None
