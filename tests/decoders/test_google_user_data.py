"""Google user-provided data: `tv.1~em.<hash>~pc0.<zip>…`."""
from __future__ import annotations

from .helpers import decode, field, values

EM = "Xw9sN3vq2Lk8Pz0aRt5YbQ1eUm7cHj4fGd6iOoWnSxA"


def test_user_data_string_is_split_per_part():
    decoded = decode(f"https://www.google.com/ccm/collect?en=page_view&em=tv.1~em.{EM}~em.{EM[::-1]}~pc0.10001~co0.us")
    assert values(decoded, "query.em → tv.1 → em") == [EM, EM[::-1]]
    assert values(decoded, "query.em → tv.1 → pc0") == ["10001"]
    assert field(decoded, "query.em → tv.1 → co0").key == "co0"
    # Each hash stays a leaf for the hash matcher.
    assert not field(decoded, "query.em → tv.1 → em").container


def test_other_values_starting_with_tv_are_left_alone():
    assert not field(decode("https://t.example/p?q=tv.1%20remote"), "query.q").container
