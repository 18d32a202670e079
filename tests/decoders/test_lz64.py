"""PostHog `compression=lz64` values, read only for vendors whose catalog entry names `lz64`."""
from __future__ import annotations

import json
from pathlib import Path

from .helpers import chains, decode

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "data" / "decoders" / "lzstring_vectors.json").read_text())
EVENT = next(v for v in VECTORS if v["text"].startswith("[{"))  # a PostHog-shaped event batch
BODY = "data=" + EVENT["base64"].replace("+", "%2B").replace("=", "%3D")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_lz64_form_value_is_decompressed_for_the_vendor():
    decoded = decode("https://us.i.posthog.com/e/?compression=lz64", method="POST", body=BODY, headers=FORM,
                     decoders=["lz64"])
    found = chains(decoded)
    assert found["body → form → data(lz64) → json → [0].properties.reason"] == "HIV PrEP"


def test_without_the_vendor_decoder_the_value_stays_opaque():
    decoded = decode("https://collector.example/e/", method="POST", body=BODY, headers=FORM)
    assert not any("(lz64)" in chain for chain in chains(decoded))


def test_base64_ids_are_not_taken_for_lz64():
    decoded = decode("https://us.i.posthog.com/e/?token=QUJDREVGR0hJSktMTU5PUFFSU1RVVldY", decoders=["lz64"])
    assert not any("(lz64)" in chain for chain in chains(decoded))
