#!/usr/bin/env python3
"""What hostile or oversized inputs cost: the cases the unit tests check for behaviour (a
limit is hit, a note is left, nothing is missed), timed here instead of asserted there.

Each figure is the best of a few runs: noise on a shared machine only ever adds time.
"""
from __future__ import annotations

import gzip
import json
import time

from pixelguard_addon.decoders import Limits, decode_request
from pixelguard_addon.detectors.base import FieldContext
from pixelguard_addon.detectors.identifiers import IdentifierDetector, load_identifiers
from pixelguard_addon.detectors.lexicon import ConditionDetector, default_lexicon
from pixelguard_addon.catalog import patterns_dir
from pixelguard_addon.model import CapturedRequest, Field

RUNS = 5


def best_ms(work) -> float:
    best = float("inf")
    for _ in range(RUNS):
        began = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - began)
    return best * 1000


def post(body: bytes, **headers: str) -> CapturedRequest:
    return CapturedRequest("POST", "https://collector.example/e", headers=tuple(headers.items()), body=body)


def main() -> None:
    bomb = post(gzip.compress(b"\0" * (10 * 1024 * 1024), mtime=0), **{"Content-Encoding": "gzip"})
    array = post(json.dumps(list(range(200_000))).encode(), **{"Content-Type": "application/json"})
    text = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit; "
            "patients with diabetes may call. " * 900)[: 64 * 1024]
    numbers = ("item 1234 price 19.99 ts=1700000000 id=1234567890123456 " * 1200)[: 64 * 1024]
    conditions = ConditionDetector(default_lexicon())
    identifiers = IdentifierDetector(load_identifiers(patterns_dir() / "identifiers.toml"))
    cases = [
        (f"gzip bomb ({len(bomb.body)} bytes → 10 MiB), stopped at the ratio limit",
         lambda: decode_request(bomb)),
        ("JSON array of 200,000 numbers, cut at a 100-field limit",
         lambda: decode_request(array, Limits(max_fields=100))),
        ("64 KiB of prose through the condition lexicon",
         lambda: conditions.detect(Field(("body",), text, "body"), FieldContext())),
        ("64 KiB of numbers through the identifier patterns",
         lambda: identifiers.detect(Field(("body",), numbers, "body"), FieldContext())),
    ]
    for label, work in cases:
        print(f"{label:<64} {best_ms(work):8.1f} ms")


if __name__ == "__main__":
    main()
