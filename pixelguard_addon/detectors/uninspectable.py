"""PG-UNINSPECTABLE: a known tracker was sent a payload nothing could read.

An encrypted AppsFlyer-style body or an unknown binary format may carry anything; pixelguard
cannot say it is clean, so it says it could not look. Block mode can then fail closed on it.
The evidence is the body's size and byte entropy (about 8 bits per byte means encrypted or
compressed), never its content.
"""
from __future__ import annotations

import math
from collections import Counter

from ..model import Field, Match
from .base import RequestContext

ENTROPY_SAMPLE = 64 * 1024
BODY_FIELD = Field(("body",), "", "body", container=True)


class UninspectableDetector:
    name = "uninspectable"

    def detect_request(self, context: RequestContext) -> list[tuple[Field | None, Match]]:
        if not context.vendor_known or not context.decoded.undecodable:
            return []
        body = context.request.body
        vendor = context.vendor_name or context.vendor_id
        notes = "; ".join(context.decoded.undecodable[:3])
        return [(BODY_FIELD, Match(
            rule_id="PG-UNINSPECTABLE",
            category="uninspectable",
            severity="high",
            evidence=f"{len(body)} bytes, entropy {byte_entropy(body):.2f} bits/byte",
            detail=f"uninspectable payload to {vendor}: {notes}",
            confidence=1.0,
            term="uninspectable payload",
        ))]


def byte_entropy(data: bytes) -> float:
    """Shannon entropy of the bytes (of the first 64 KiB), 0.0 to 8.0 bits per byte."""
    sample = data[:ENTROPY_SAMPLE]
    if not sample:
        return 0.0
    total = len(sample)
    return -sum(n / total * math.log2(n / total) for n in Counter(sample).values())
