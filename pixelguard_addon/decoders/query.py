"""`key=value&key=value` text: URL query strings and url-encoded form bodies.

Written by hand rather than with `urllib.parse.parse_qsl` because trackers need every pair
kept: repeated keys (`ep.item=a&ep.item=b`), empty values, keys without `=`, and broken
percent escapes must all survive without an exception or a `max_num_fields` error.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple

from ..model import tuple_maker
from .base import Child
from .percent import percent_decode


class Pair(NamedTuple):
    key: str
    value: str
    has_value: bool  # False for a bare `?flag`: the key itself is the data


EAGER_SPLIT = 64 * 1024  # characters
_new_pair, _new_child = tuple_maker(Pair), tuple_maker(Child)  # one per pair of a query or form


def parse_pairs(text: str) -> list[Pair]:
    """Split on `&`, then on the first `=`; `+` means space (form encoding)."""
    return read_pairs(text)[0]


def read_pairs(text: str, limit: int | None = None) -> tuple[list[Pair], bool]:
    """Like parse_pairs, stopping after `limit` pairs; the flag says whether more were left.

    A 50 MB `a=b&a=b…` body holds millions of pairs: splitting all of them before the field
    limit applies would stall the proxy for a minute, so pieces are taken one at a time.
    """
    pairs: list[Pair] = []
    # Split at once when short (a URL's query): the lazy split is for bodies of millions of pairs.
    for piece in (text.split("&") if len(text) <= EAGER_SPLIT else split_lazily(text, "&")):
        if not piece:
            continue
        if limit is not None and len(pairs) >= limit:
            return pairs, True
        pairs.append(read_pair(piece))
    return pairs, False


def read_pair(piece: str) -> Pair:
    """One `key=value` piece (no `&`), decoded."""
    raw_key, has_value, raw_value = piece.partition("=")
    return _new_pair((form_unquote(raw_key), form_unquote(raw_value), bool(has_value)))


def form_unquote(text: str) -> str:
    """unquote_plus, never raising; most keys and values have nothing to decode."""
    return percent_decode(text.replace("+", " ") if "+" in text else text)


def split_lazily(text: str, separator: str) -> Iterator[str]:
    """str.split without building the whole list first."""
    start = 0
    while True:
        end = text.find(separator, start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + len(separator)


def pair_children(pairs: list[Pair], prefix: str = "", head: tuple[str, ...] = ()) -> list[Child]:
    """One child per pair, steps `head + (prefix + key,)`: `query.dl`, `url.query.q`, `form → en`.

    Empty values carry nothing and are skipped; a bare key is yielded as `<key>(key)` with the
    key as its value, since `?hiv-test` says as much as `?topic=hiv-test`.
    """
    children = []
    for pair in pairs:
        if pair.value:
            children.append(_new_child((head + (prefix + pair.key,), pair.value, pair.key, False, None)))
        elif not pair.has_value:
            children.append(Child(head + (prefix + pair.key, "(key)"), pair.key, pair.key, final=True))
    return children


def unquote_text(text: str) -> str:
    """Percent-decode a path or fragment (no `+` rule there), never raising."""
    return percent_decode(text)
