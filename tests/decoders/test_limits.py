"""The per-request budget: depth, decoded bytes, fields, and the notes about them."""
from __future__ import annotations

import json

from pixelguard_addon.decoders import Limits
from pixelguard_addon.decoders.limits import MAX_NOTES, Budget

from .helpers import chains, decode, field


def nested_json_strings(levels: int) -> str:
    value = "hiv"
    for _ in range(levels):
        value = json.dumps({"a": value})
    return value


def test_depth_limit_names_the_chain_and_keeps_the_value_as_a_leaf():
    decoded = decode(method="POST", body=nested_json_strings(6), limits=Limits(max_depth=3))
    assert decoded.partial == ["depth limit at body → json → a → json → a → json → a"]
    stopped = field(decoded, "body → json → a → json → a → json → a")
    assert not stopped.container and "hiv" in stopped.value  # still scanned as text


def test_default_depth_reaches_eight_steps():
    decoded = decode(method="POST", body=nested_json_strings(7))
    assert decoded.partial == []
    assert chains(decoded)["body" + " → json → a" * 7] == "hiv"


def test_field_limit_stops_everything_after_it():
    decoded = decode("https://t.example/p?" + "&".join(f"k{i}=v" for i in range(50)),
                     headers={"Referer": "https://portal.example.org/hiv"}, limits=Limits(max_fields=10))
    assert len(decoded.fields) == 10
    assert decoded.partial == ["field limit at query.k9"]
    assert not any(item.root == "header" for item in decoded.fields)


def test_huge_json_array_is_cut_at_the_field_limit():
    # how long this takes is measured by scripts/bench_limits.py
    body = json.dumps(list(range(200_000)))
    decoded = decode(method="POST", body=body, limits=Limits(max_fields=100))
    assert len(decoded.fields) == 100
    assert decoded.partial == ["field limit at body → json → [98]"]


def test_decoded_bytes_are_shared_across_the_request():
    budget = Budget(Limits(max_decoded_bytes=100))
    assert budget.take_bytes(60, ("a",))
    assert not budget.take_bytes(60, ("b",))
    assert budget.take_bytes(40, ("c",))
    assert budget.decoded.partial == ["decoded size limit at b"]


def test_notes_are_deduplicated_and_capped():
    budget = Budget(Limits())
    for i in range(MAX_NOTES + 20):
        budget.partial("depth limit", (f"query.k{i}",))
        budget.partial("depth limit", (f"query.k{i}",))
    assert len(budget.decoded.partial) == MAX_NOTES + 1
    assert budget.decoded.partial[-1] == "… more notes of this kind left out"
