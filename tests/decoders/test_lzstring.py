"""lz-string decompressFromBase64, against vectors made by the real npm package
(scripts/sdk-fixtures/lzstring_vectors.js → tests/data/decoders/lzstring_vectors.json)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pixelguard_addon.decoders.lzstring import LzStringError, decompress_from_base64

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "data" / "decoders" / "lzstring_vectors.json").read_text())


@pytest.mark.parametrize("vector", VECTORS, ids=[v["text"][:20] for v in VECTORS])
def test_decompresses_what_the_npm_package_compressed(vector):
    result = decompress_from_base64(vector["base64"])
    assert result.complete and result.text == vector["text"]


def test_surrogate_pairs_become_one_character():
    emoji = next(v for v in VECTORS if "🩺" in v["text"])
    assert "🩺💊" in decompress_from_base64(emoji["base64"]).text


def test_output_cap_stops_a_long_expansion():
    long_one = max(VECTORS, key=lambda v: len(v["text"]))
    result = decompress_from_base64(long_one["base64"], max_chars=100)
    assert not result.complete and result.text == long_one["text"][:100]


@pytest.mark.parametrize("text", ["", "not base64!", "BISQagBACgTgol", "////////////////"])
def test_invalid_input_raises(text):
    with pytest.raises(LzStringError):
        decompress_from_base64(text)
