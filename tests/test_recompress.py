import gzip
import zlib

import pytest

from pixelguard_addon.decoders.compression import decompress_bounded
from pixelguard_addon.recompress import compress

DATA = b'{"event":"x","n":1}' * 20


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd"])
def test_round_trip_through_the_decoder(encoding):
    result = decompress_bounded(compress(DATA, encoding), encoding, 100, 1 << 20)
    assert result.data == DATA and not result.error and not result.truncated


def test_gzip_is_deterministic_and_plain_gzip():
    assert compress(DATA, "gzip") == compress(DATA, "gzip")
    assert gzip.decompress(compress(DATA, "gzip")) == DATA


def test_raw_deflate_has_no_zlib_header():
    packed = compress(DATA, "deflate-raw")
    assert zlib.decompress(packed, -15) == DATA
    with pytest.raises(zlib.error):
        zlib.decompress(packed)


def test_unknown_encoding_is_an_error():
    with pytest.raises(ValueError, match="cannot write 'compress'"):
        compress(DATA, "compress")
