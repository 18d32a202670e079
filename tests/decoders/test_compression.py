"""Compressed bodies: declared, sniffed, mislabelled, broken, and bombs."""
from __future__ import annotations

import gzip
import json
import sys
import zlib

import brotli
import pytest
import zstandard

from pixelguard_addon.decoders import Limits, compression
from pixelguard_addon.decoders.compression import decompress_bounded, sniff_encoding

from .helpers import chains, decode, field

EVENT = json.dumps({"event": "form_submit", "properties": {"reason": "HIV PrEP refill"}}).encode()
TEXT = {"Content-Type": "text/plain"}


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-15)
    return packer.compress(data) + packer.flush()


def gzip_compress(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)  # fixed header: the same bytes on every run


COMPRESSORS = {
    "gzip": gzip_compress,
    "deflate": zlib.compress,
    "br": brotli.compress,
    "zstd": lambda data: zstandard.ZstdCompressor().compress(data),
}


@pytest.mark.parametrize("encoding", sorted(COMPRESSORS))
def test_declared_encoding_is_undone(encoding):
    decoded = decode(method="POST", headers={"Content-Encoding": encoding, **TEXT}, body=COMPRESSORS[encoding](EVENT))
    assert chains(decoded)[f"body({encoding}) → json → properties.reason"] == "HIV PrEP refill"
    assert decoded.partial == [] and decoded.undecodable == []


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "zstd"])
def test_undeclared_compression_is_sniffed_from_magic_bytes(encoding):
    decoded = decode(method="POST", headers=TEXT, body=COMPRESSORS[encoding](EVENT))
    assert chains(decoded)[f"body({encoding}) → json → properties.reason"] == "HIV PrEP refill"


def test_brotli_has_no_magic_so_undeclared_brotli_is_binary():
    decoded = decode(method="POST", body=brotli.compress(EVENT * 3))
    assert not any("reason" in item.chain for item in decoded.fields)
    assert decoded.undecodable and "binary data not decodable" in decoded.undecodable[0]


def test_wrong_header_still_decodes_by_sniffing():
    decoded = decode(method="POST", headers={"Content-Encoding": "br"}, body=gzip_compress(EVENT))
    assert chains(decoded)["body(gzip) → json → properties.reason"] == "HIV PrEP refill"
    assert decoded.undecodable == []


def test_header_kept_on_an_already_decoded_body_reads_it_as_is():
    # HAR exports store the decoded body but keep Content-Encoding.
    decoded = decode(method="POST", headers={"Content-Encoding": "gzip", **TEXT}, body=EVENT)
    assert chains(decoded)["body → json → properties.reason"] == "HIV PrEP refill"
    assert decoded.undecodable == []


def test_raw_deflate_under_deflate_header():
    decoded = decode(method="POST", headers={"Content-Encoding": "deflate"}, body=raw_deflate(EVENT))
    assert chains(decoded)["body(deflate) → json → properties.reason"] == "HIV PrEP refill"


def test_stacked_encodings_are_undone_last_first():
    body = brotli.compress(gzip_compress(EVENT))
    decoded = decode(method="POST", headers={"Content-Encoding": "gzip, br"}, body=body)
    assert chains(decoded)["body(br)(gzip) → json → properties.reason"] == "HIV PrEP refill"


def test_text_that_looks_like_a_zlib_header_is_left_as_text():
    assert sniff_encoding(b"x^2 + y^2") == "deflate"
    decoded = decode(method="POST", body=b"x^2 + y^2 = diabetes risk")
    assert field(decoded, "body").value == "x^2 + y^2 = diabetes risk"
    assert decoded.undecodable == []


def test_gzip_bomb_stops_at_ratio_limit():
    # how long this takes is measured by scripts/bench_limits.py
    bomb = gzip_compress(b"\0" * (10 * 1024 * 1024))
    decoded = decode(method="POST", headers={"Content-Encoding": "gzip"}, body=bomb)
    assert "decompression ratio limit at body(gzip)" in decoded.partial
    inflated = sum(len(item.value) for item in decoded.fields if item.chain.startswith("body(gzip)"))
    assert inflated <= Limits().max_ratio * len(bomb)  # stopped near the limit, not at 10 MiB


def test_brotli_bomb_stops_at_ratio_limit():
    bomb = brotli.compress(b"a" * (10 * 1024 * 1024))
    assert len(bomb) < 100
    result = decompress_bounded(bomb, "br", max_ratio=100, max_output=8 * 1024 * 1024)
    assert result.limit == "decompression ratio limit"
    assert len(result.data) == len(bomb) * 100


def test_size_limit_is_per_request_and_named():
    text = json.dumps({"notes": "diabetes " * 2000}).encode()
    decoded = decode(method="POST", headers={"Content-Encoding": "gzip"}, body=gzip_compress(text),
                     limits=Limits(max_decoded_bytes=1000, max_ratio=10_000))
    assert "decoded size limit at body(gzip)" in decoded.partial
    # What was read is still scanned, as text.
    assert field(decoded, "body(gzip)").value.startswith('{"notes": "diabetes diabetes')


def test_corrupt_gzip_is_undecodable_and_named():
    decoded = decode(method="POST", headers={"Content-Encoding": "gzip"}, body=b"\x1f\x8b\x08\x00garbagegarbage")
    assert len(decoded.undecodable) == 1
    assert decoded.undecodable[0].startswith("body(gzip): corrupt gzip data")


def test_truncated_gzip_yields_what_it_has_and_says_so():
    full = gzip_compress(json.dumps({"reason": " ".join(f"HIV visit {i}" for i in range(500))}).encode())
    decoded = decode(method="POST", headers={"Content-Encoding": "gzip"}, body=full[: len(full) // 2],
                     body_complete=False)
    assert "body incomplete in capture" in decoded.partial
    assert "compressed stream ends early at body(gzip)" in decoded.partial
    assert field(decoded, "body(gzip)").value.startswith('{"reason": "HIV visit 0 HIV visit 1')
    assert decoded.undecodable == []  # a cut JSON body is partial, not unreadable


def test_multi_member_gzip_is_read_whole():
    body = gzip_compress(b'{"a": "first", ') + gzip_compress(b'"b": "second"}')
    assert chains(decode(method="POST", body=body))["body(gzip) → json → b"] == "second"


def test_missing_zstd_module_is_undecodable_not_a_crash(monkeypatch):
    monkeypatch.setattr(compression, "_zstd_module", lambda: None)
    decoded = decode(method="POST", headers={"Content-Encoding": "zstd"}, body=COMPRESSORS["zstd"](EVENT))
    assert decoded.undecodable == ["body(zstd): no zstd module installed (zstandard or backports.zstd)"]


def test_missing_brotli_module_is_undecodable_not_a_crash(monkeypatch):
    monkeypatch.setitem(sys.modules, "brotli", None)  # makes `import brotli` raise ImportError
    decoded = decode(method="POST", headers={"Content-Encoding": "br"}, body=COMPRESSORS["br"](EVENT))
    assert decoded.undecodable == ["body(br): brotli module not installed"]


def test_unknown_content_encoding_on_binary_body():
    decoded = decode(method="POST", headers={"Content-Encoding": "compress"}, body=bytes(range(256)))
    assert decoded.undecodable == ["body(compress): unsupported Content-Encoding 'compress'"]


class LimitedBrotli:
    """Stands in for brotli >= 1.2 (process(…, output_buffer_limit) + can_accept_more_data),
    built on zlib so the loop can be tested with the brotli version installed here."""

    def __init__(self):
        self._inflater = zlib.decompressobj()
        self._tail = b""

    def can_accept_more_data(self) -> bool:
        return not self._tail

    def process(self, data: bytes, output_buffer_limit: int) -> bytes:
        out = self._inflater.decompress(self._tail + data, output_buffer_limit)
        self._tail = self._inflater.unconsumed_tail
        return out

    def is_finished(self) -> bool:
        return self._inflater.eof and not self._tail


def test_brotli_output_limit_loop_caps_and_finishes():
    bomb = zlib.compress(b"\0" * 1_000_000)
    out, ended, error = compression._brotli_with_output_limit(LimitedBrotli(), bomb, cap=5000)
    assert len(out) == 5001 and not ended and error is None
    out, ended, error = compression._brotli_with_output_limit(LimitedBrotli(), zlib.compress(EVENT), cap=10**6)
    assert bytes(out) == EVENT and ended
