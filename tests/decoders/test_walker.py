"""The walker: registry, order, isolation of decoder failures."""
from __future__ import annotations

from pixelguard_addon.decoders import walker as walker_module
from pixelguard_addon.decoders.base import Child
from pixelguard_addon.decoders.limits import Limits
from pixelguard_addon.decoders.walker import VALUE_DECODERS, Walker
from pixelguard_addon.memo import RecentMap

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


class Counting:
    """A vendor decoder that unpacks nothing and counts the values offered to it."""

    name = "counting"

    def __init__(self):
        self.seen = []

    def decode(self, value, key, ctx):
        self.seen.append(value)
        return None


def walk_all(children, known, vendor=(), limits=Limits(), depth=0):
    walker = Walker(limits, vendor, seen=known)
    for child in children:
        walker.walk(child, depth)
    return walker


def test_values_seen_before_are_replayed_not_decoded_again():
    counting, known = Counting(), RecentMap()
    roots = [Child(("query.ev",), "PageView", "ev"), Child(("query.u",), "https://a.example/x?b=1", "u"),
             Child(("query.cd",), '{"title": "Home", "n": {"u": "https://b.example/y"}}', "cd")]
    first = walk_all(roots, known, (counting,))
    offered = len(counting.seen)
    second = walk_all(roots, known, (counting,))
    assert second.fields == first.fields
    assert counting.seen[offered:] == []  # the URL, the JSON and everything inside them were remembered
    # under other steps, the same value yields the same fields under those steps
    moved = walk_all([Child(("body", "json", "u"), "https://a.example/x?b=1", "u")], known, (counting,))
    assert [f.chain for f in moved.fields] == ["body → json → u", "body → json → u → url.host",
                                               "body → json → u → url.path", "body → json → u → url.query.b"]
    assert counting.seen[offered:] == []


def test_a_replay_keeps_the_depth_limit():
    known, url = RecentMap(), Child(("query.u",), "https://a.example/x?b=1", "u")
    walk_all([url], known)  # remembered at depth 0, where the URL may be unpacked
    deep = walk_all([url], known, limits=Limits(max_depth=3), depth=3)
    assert [f.container for f in deep.fields] == [False] and deep.budget.decoded.partial


def test_a_replay_keeps_the_field_limit():
    known = RecentMap()
    value = Child(("query.cd",), '{"a": "1", "b": "2", "c": "3"}', "cd")
    walk_all([value], known)
    cut = walk_all([value], known, limits=Limits(max_fields=2))
    assert len(cut.fields) == 2 and cut.budget.decoded.partial == ["field limit at query.cd → json → b"]


def test_a_leaf_is_known_only_with_the_same_decoders():
    counting, known = Counting(), RecentMap()
    walk_all([Child(("query.ev",), "PageView", "ev")], known)
    walk_all([Child(("query.ev",), "PageView", "ev")], known, (counting,))
    assert counting.seen == ["PageView"]  # a vendor decoder was not asked before: it is now


def test_a_value_that_left_a_note_is_never_skipped(monkeypatch):
    monkeypatch.setattr(walker_module, "VALUE_DECODERS", (Exploding(),) + VALUE_DECODERS)
    known = RecentMap()
    for _ in range(2):  # the note comes back on every request, not only the first
        walker = walk_all([Child(("query.a",), "plain", "a")], known)
        assert walker.budget.decoded.undecodable == ["query.a: exploding decoder failed (RuntimeError)"]
