"""Values percent-encoded once more than their container needed."""
from __future__ import annotations

from pixelguard_addon.decoders.limits import Budget, Context, Limits
from pixelguard_addon.decoders.percent import PercentEncodedValue

from .helpers import chains, decode


def ctx() -> Context:
    return Context(("query.x",), Budget(Limits()))


def test_double_encoded_json_in_query():
    decoded = decode("https://t.example/p?cd%5BpageFeatures%5D=%257B%2522title%2522%253A%2522HIV%2520care%2522%257D")
    assert chains(decoded)["query.cd[pageFeatures](urlencoded) → json → title"] == "HIV care"


def test_double_encoded_text_is_made_readable():
    children = PercentEncodedValue().decode("Book%20HIV%20test", "cd[buttonText]", ctx())
    assert [(c.steps, c.value) for c in children] == [(("(urlencoded)",), "Book HIV test")]


def test_not_percent_encoding():
    assert PercentEncodedValue().decode("50% off", "x", ctx()) is None
    assert PercentEncodedValue().decode("100%AB", "x", ctx()) is None  # not UTF-8 once decoded
