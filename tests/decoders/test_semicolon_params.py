"""Floodlight / Google Ads `data=event=…;k=v` values."""
from __future__ import annotations

from urllib.parse import quote

from .helpers import chains, decode

URL = "https://googleads.g.doubleclick.net/pagead/viewthroughconversion/1/?data="


def test_semicolon_pairs_are_split_for_the_vendor():
    found = chains(decode(URL + quote("event=conversion;reason=HIV%20PrEP;u1=x"), decoders=["floodlight_params"]))
    assert found["query.data → ;reason"] == "HIV PrEP"
    assert found["query.data → ;event"] == "conversion"


def test_prose_with_semicolons_is_left_alone():
    found = chains(decode(URL + quote("see you soon; bring id"), decoders=["floodlight_params"]))
    assert not any("→ ;" in chain for chain in found)
