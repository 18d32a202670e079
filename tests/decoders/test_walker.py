"""The walker: registry, order, isolation of decoder failures."""
from __future__ import annotations

from pixelguard_addon.decoders import walker as walker_module
from pixelguard_addon.decoders.base import Child
from pixelguard_addon.decoders.limits import Limits
from pixelguard_addon.decoders.walker import VALUE_DECODERS, Walker

from .helpers import decode


def test_registry_is_an_explicit_tuple_of_named_decoders():
    assert isinstance(VALUE_DECODERS, tuple)
    names = [decoder.name for decoder in VALUE_DECODERS]
    assert names == ["json", "url", "jwt", "tv.1", "form", "base64", "urlencoded"]


def test_fields_come_depth_first_in_document_order():
    walker = Walker(Limits())
    walker.walk(Child(("query.x",), '{"a": {"b": "1"}, "c": "2"}', "x"))
    assert [f.chain for f in walker.fields] == [
        "query.x", "query.x → json → a.b", "query.x → json → c",
    ]


def test_first_applicable_decoder_wins():
    walker = Walker(Limits())
    walker.walk(Child(("query.u",), "https://a.example/x?b=1", "u"))
    assert [f.chain for f in walker.fields] == [
        "query.u", "query.u → url.host", "query.u → url.path", "query.u → url.query.b",
    ]


class Exploding:
    name = "exploding"

    def decode(self, value, key, ctx):
        raise RuntimeError("bug")


def test_a_failing_decoder_costs_one_value_not_the_request(monkeypatch):
    monkeypatch.setattr(walker_module, "VALUE_DECODERS", (Exploding(),) + VALUE_DECODERS)
    decoded = decode("https://t.example/p?a=%7B%22b%22%3A%22c%22%7D&d=e")
    assert "query.a: exploding decoder failed (RuntimeError)" in decoded.undecodable
    chains = [f.chain for f in decoded.fields]
    assert "query.a → json → b" in chains and "query.d" in chains  # later decoders still ran


def test_final_children_are_not_decoded():
    walker = Walker(Limits())
    walker.walk(Child(("x",), '{"a": 1}', "x", final=True))
    assert [(f.chain, f.container) for f in walker.fields] == [("x", False)]
