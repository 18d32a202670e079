"""`&`-joined device strings (X / Snap `dv`)."""
from __future__ import annotations

from urllib.parse import quote

from .helpers import decode, values

DV = "America/New_York&en-US&Google Inc.&Linux x86_64&255&1280&720"


def test_device_string_is_split_into_parts():
    decoded = decode("https://analytics.twitter.com/i/adsct?dv=" + quote(DV, safe=""), decoders=["device_string"])
    assert values(decoded, "query.dv → [0]") == ["America/New_York"]
    assert values(decoded, "query.dv → [3]") == ["Linux x86_64"]


def test_short_or_form_shaped_values_are_not_device_strings():
    decoded = decode("https://analytics.twitter.com/i/adsct?dv=" + quote("a&b", safe=""), decoders=["device_string"])
    assert not values(decoded, "query.dv → [0]")
