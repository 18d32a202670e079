"""key=value splitting for queries and forms."""
from __future__ import annotations

from pixelguard_addon.decoders.query import pair_children, parse_pairs

from .helpers import chains, decode


def test_repeated_empty_and_bare_keys_survive():
    pairs = parse_pairs("a=1&a=2&empty=&bare&&=x")
    assert [(p.key, p.value, p.has_value) for p in pairs] == [
        ("a", "1", True), ("a", "2", True), ("empty", "", True), ("bare", "", False), ("", "x", True),
    ]


def test_plus_is_space_and_broken_escapes_do_not_raise():
    pairs = parse_pairs("q=hiv+test&bad=%zz%E0%A4&half=%4")
    assert [p.value for p in pairs] == ["hiv test", "%zz\ufffd", "%4"]


def test_empty_values_are_skipped_but_bare_keys_are_kept_as_their_own_value():
    children = pair_children(parse_pairs("empty=&hiv-test&x=1"), prefix="query.")
    assert [(c.steps, c.value) for c in children] == [
        (("query.hiv-test", "(key)"), "hiv-test"),
        (("query.x",), "1"),
    ]


def test_bare_key_renders_as_a_qualified_step():
    assert chains(decode("https://t.example/p?diabetes-screening"))["query.diabetes-screening(key)"] == (
        "diabetes-screening")


def test_many_params_do_not_hit_a_parser_limit():
    decoded = decode("https://t.example/p?" + "&".join(f"k{i}=v{i}" for i in range(5000)))
    assert chains(decoded)["query.k4999"] == "v4999"
