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


def test_percent_decode_is_unquote_run_by_run():
    # Decoding the whole text at once (as bytes escapes) is exact: a character written out
    # starts with a byte that ends any unfinished UTF-8 sequence. Compared on random mixes of the
    # hard cases: backslashes (the bytes-escape path must leave them alone), lone surrogates
    # (no UTF-8 bytes), characters beside escapes.
    import random
    from urllib.parse import unquote

    from pixelguard_addon.decoders.percent import percent_decode

    pieces = ["%", "%2", "%E2", "%82", "%AC", "%C3", "%A9", "%FF", "%00", "%zz", "%41", "a", "+", " ",
              "é", "%F0", "%9F", "%98", "%80", "%%", "%ef%bb%bf", "€", "\\", "\\x41", "%5C",
              "\ud800", "©", "😀", "•"]
    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        for errors in ("replace", "strict"):
            try:
                expected = unquote(text, errors=errors)
            except UnicodeDecodeError:
                expected = UnicodeDecodeError
            try:
                got = percent_decode(text, errors)
            except UnicodeDecodeError:
                got = UnicodeDecodeError
            assert got == expected, (text, errors)
