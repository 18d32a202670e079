"""The decoder registry the catalog's `decoders = [...]` names resolve against."""
from __future__ import annotations

from pixelguard_addon.catalog import load_catalog
from pixelguard_addon.decoders.registry import DECODERS, vendor_decoders
from pixelguard_addon.decoders.walker import VALUE_DECODERS


def test_every_catalog_decoder_name_is_registered():
    names = {name for vendor in load_catalog().vendors for name in vendor.decoders}
    assert names and names <= set(DECODERS)


def test_always_entries_are_read_for_every_request_anyway():
    standard = {type(decoder) for decoder in VALUE_DECODERS}
    for name, entry in DECODERS.items():
        if entry.always and not name == "ndjson_batch":  # ndjson is read by body sniffing
            assert type(entry.decoder) in standard, name


def test_vendor_decoders_split_value_and_body_decoders():
    values, bodies = vendor_decoders(["lz64", "protobuf", "json_strings", "no_such_decoder"])
    assert [d.name for d in values] == ["lz64"]
    assert [d.name for d in bodies] == ["protobuf"]


def test_every_entry_says_what_it_reads():
    assert all(entry.reads for entry in DECODERS.values())
