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


def _bundled_requests():
    """Every request of the bundled captures and fixtures."""
    from pathlib import Path

    from pixelguard_addon.capture import read_capture

    root = Path(__file__).resolve().parents[2]
    for path in sorted(root.glob("tests/data/**/*.har")) + sorted(root.glob("pixelguard_addon/demo/*.har")):
        try:
            requests = list(read_capture(str(path)))
        except Exception:  # captures made to be broken: what they hold is not the point here
            continue
        yield from requests


def _every_value_in_the_captures() -> set[str]:
    """Every value (containers too) the walker meets in the bundled captures and fixtures."""
    from pixelguard_addon.decoders import decode_request

    return {f.value for request in _bundled_requests() for f in decode_request(request).fields}


CRAFTED = [
    " {\"a\": 1} ", "\ufeff[1]", "/conditions/hiv", "https://x.example/a?b=1", " HTTP://X.ORG ",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2ln", "tv.1~em.abc", "a=1&b=2", "a=1",
    "SGVsbG8gd29ybGQsIHRoaXMgaXMgdGV4dA==", "SGVsbG8gd29y bGQsIHRoaXMgaXMgdGV4dA", "H4sIAAAAAAAA/w==",
    "%7B%22a%22%3A1%7D", "100%AB", "bel.7;1,2", "a=1;b=2", "x&y&z&w", "line one\nline two", "",
    "PageView", "1795435374453", "fb.1.1763651000.987654321", "2026-11-23T12:02:55.802Z",
    " \ufeff{\"a\": 1}", "\u00a0https://x.example/a?b=1", "HTTPS://X.EXAMPLE/A?B=1", "\t/conditions/hiv ",
    " tv.1~em.abc", "\n eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2ln", "  SGVsbG8gd29ybGQsIHRoaXMgaXMgdGV4dA== ",
]


def test_every_decoder_that_unpacks_a_value_finds_its_candidate_in_it():
    # The walker skips every decoder of a value in which no candidate is found: a candidate
    # that missed a value its decoder reads would silently lose fields.
    from pixelguard_addon.decoders.body import SNIFF
    from pixelguard_addon.decoders.limits import Budget, Context
    from pixelguard_addon.decoders.ndjson import LINE_DECODERS
    from pixelguard_addon.decoders.registry import DECODERS

    decoders = {id(d): d for d in (*VALUE_DECODERS, *SNIFF, *LINE_DECODERS,
                                   *(entry.decoder for entry in DECODERS.values() if not entry.is_body_decoder))}
    values = _every_value_in_the_captures() | set(CRAFTED)
    unpacked = 0
    for decoder in decoders.values():
        assert decoder.candidate is not None, decoder.name
        for value in values:
            for key in ("x", "dl", "data"):
                children = decoder.decode(value, key, Context(("query.x",), Budget(Limits())))
                if children is not None:
                    unpacked += 1
                    assert decoder.candidate.search(value), (decoder.name, value[:80])
    assert unpacked > 200  # the corpus does exercise the decoders


def test_a_value_no_decoder_can_read_is_yielded_as_a_leaf_without_asking_them(monkeypatch):
    asked = []
    for decoder in VALUE_DECODERS:
        original = decoder.decode
        monkeypatch.setattr(decoder, "decode", lambda value, key, ctx, d=original: asked.append(value) or d(value, key, ctx))
    walker = Walker(Limits())
    walker.walk(Child(("query.ev",), "PageView", "ev"))
    walker.walk(Child(("query.dl",), "https://a.example/x", "dl"))
    assert [f.value for f in walker.fields][:2] == ["PageView", "https://a.example/x"]
    assert "PageView" not in asked and "https://a.example/x" in asked


def test_joined_candidates_need_every_decoder_to_have_one():
    class Opaque:
        name = "opaque"
        candidate = None

    standard = walker_module.joined_candidates(VALUE_DECODERS)
    assert standard.found_in("a=1") and standard.found_in(" https://x.example") and standard.found_in("%7B")
    assert not standard.found_in("PageView") and not standard.found_in("see https://x.example")
    assert walker_module.joined_candidates((*VALUE_DECODERS, Opaque())) is None


def test_walk_all_yields_what_walking_each_root_yields():
    from pixelguard_addon.decoders.query import pair_children, parse_pairs

    query = ("id=1&ev=PageView&dl=https%3A%2F%2Fportal.example%2Fconditions%2Fhiv"
             "&cd[x]=%7B%22a%22%3A%22b%22%7D&flag&ud[em]=abc")
    roots = pair_children(parse_pairs(query), "query.")
    for limit in (1000, 6, 3):  # the field limit cuts both at the same place
        one_by_one, together = Walker(Limits(max_fields=limit)), Walker(Limits(max_fields=limit))
        for root in roots:
            one_by_one.walk(root)
        together.walk_all(roots)
        assert together.fields == one_by_one.fields
        assert together.budget.decoded.partial == one_by_one.budget.decoded.partial
    assert len(Walker(Limits()).fields) == 0 and len(one_by_one.fields) == 3


def test_a_container_under_a_huge_key_is_walked_but_not_remembered():
    from pixelguard_addon.memo import MEMO_MAX_KEY

    for key, remembered in (("x", 1), ("k" * (MEMO_MAX_KEY + 1), 0)):
        seen = RecentMap()
        walker = Walker(Limits(), seen=seen)
        walker.walk(Child(("query." + key,), "a=1&b=2", key))
        assert [f.value for f in walker.fields] == ["a=1&b=2", "1", "2"]
        assert len(seen) == remembered
    seen = RecentMap()
    Walker(Limits(), seen=seen).walk(Child(("body", "json", "k" * 3000), "a=1&b=2", "b"))  # huge steps above it
    assert len(seen) == 0


def _bundled_queries():
    return sorted({request.url.partition("#")[0].partition("?")[2] for request in _bundled_requests()})


def test_walk_pairs_yields_what_walking_the_parsed_pairs_yields_first_time_and_remembered():
    from pixelguard_addon.decoders.query import pair_children, parse_pairs

    queries = _bundled_queries() + ["a=1&&b=&c&d=%7B%22e%22%3A%22f%22%7D&a=1&g+h=i+j&k=%ZZ&l=https%3A%2F%2Fx.example%2Fy"]
    assert len(queries) > 50
    for vendor in ((), (Counting(),)):  # a vendor decoder without a candidate: nothing is a leaf
        for limits in (Limits(), Limits(max_fields=7)):
            seen = RecentMap()
            for query in queries + queries:  # the second time, from what was remembered
                expected = Walker(limits, vendor, seen=RecentMap())
                expected.walk_all(pair_children(parse_pairs(query), "query."))
                walker = Walker(limits, vendor, seen=seen)
                walker.walk_pairs(query, "query.")
                assert walker.fields == expected.fields, query
                assert walker.budget.decoded.partial == expected.budget.decoded.partial
                assert walker.budget.decoded.undecodable == expected.budget.decoded.undecodable
            if not vendor:
                assert any(len(key) == 3 and key[1] == "query." for key in seen._items)  # pairs were remembered


def test_a_remembered_pair_is_not_parsed_again_leaf_or_to_unpack(monkeypatch):
    from pixelguard_addon.decoders import query as query_module

    page = "dl=https%3A%2F%2Fclinic.example%2Fconditions%2Fhiv%3Fq%3Dprep"
    seen = RecentMap()
    first = Walker(Limits(), seen=seen)
    first.walk_pairs(f"ev=PageView&id=1&{page}", "query.")
    parsed = []
    monkeypatch.setattr(walker_module, "read_pair", lambda piece: parsed.append(piece) or query_module.read_pair(piece))
    walker = Walker(Limits(), seen=seen)
    walker.walk_pairs(f"ev=PageView&id=2&{page}", "query.")
    assert parsed == ["id=2"]
    assert [(f.chain, f.value) for f in walker.fields][:2] == [("query.ev", "PageView"), ("query.id", "2")]
    assert walker.fields[2:] == first.fields[2:]  # the page URL, unpacked again from its parsed pair
    assert ("query.dl → url.query.q", "prep") in [(f.chain, f.value) for f in walker.fields]
