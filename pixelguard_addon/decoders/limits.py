"""How much work the decoders may do on one request, and the record of what they gave up.

A tracker request is attacker-shaped input (a page can make the browser send anything), so
every decoder runs inside one `Budget` per request: nesting depth, bytes produced by
decompression and base64, fields yielded. When a limit is hit the walker stops that branch
and says so in `Decoded.partial`; it never raises.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from ..model import Decoded, render_chain

# One runaway branch (say, a depth limit hit on every element of a large array) must not
# drown the report: past this many notes in a list, one "… more" line stands for the rest.
MAX_NOTES = 50


@dataclass(frozen=True)
class Limits:
    max_depth: int = 8  # nested decoding steps below a request root
    max_decoded_bytes: int = 8 * 1024 * 1024  # total bytes produced by decompression/base64 per request
    max_ratio: int = 100  # decompressed/compressed size; above it: stop, record partial
    max_fields: int = 20000


@dataclass
class Budget:
    """What is left of the limits for one request, plus the notes about what was skipped."""

    limits: Limits
    decoded: Decoded = field(default_factory=Decoded)
    decoded_bytes: int = 0
    exhausted: bool = False  # the field limit was hit: nothing more is yielded

    @property
    def fields_left(self) -> int:
        return self.limits.max_fields - len(self.decoded.fields)

    @property
    def bytes_left(self) -> int:
        return max(0, self.limits.max_decoded_bytes - self.decoded_bytes)

    def take_bytes(self, count: int, steps: tuple[str, ...]) -> bool:
        """Account for `count` freshly decoded bytes; False (and a note) when over budget."""
        if count > self.bytes_left:
            self.partial("decoded size limit", steps)
            return False
        self.decoded_bytes += count
        return True

    def partial(self, what: str, steps: tuple[str, ...] = ()) -> None:
        """A limit stopped decoding: "depth limit at body → json → a.b"."""
        _note(self.decoded.partial, f"{what} at {render_chain(steps)}" if steps else what)

    def undecodable(self, what: str, steps: tuple[str, ...] = ()) -> None:
        """Nothing could read a value that should be readable: "body(gzip): corrupt gzip data"."""
        _note(self.decoded.undecodable, f"{render_chain(steps)}: {what}" if steps else what)


class Context(NamedTuple):
    """Where a decoder is working (for its notes) and the request's budget. A NamedTuple:
    immutable, and built for every value a decoder is asked to read."""

    steps: tuple[str, ...]
    budget: Budget

    def take_bytes(self, count: int, extra: tuple[str, ...] = ()) -> bool:
        return self.budget.take_bytes(count, self.steps + extra)

    def partial(self, what: str, extra: tuple[str, ...] = ()) -> None:
        self.budget.partial(what, self.steps + extra)

    def undecodable(self, what: str, extra: tuple[str, ...] = ()) -> None:
        self.budget.undecodable(what, self.steps + extra)


def _note(notes: list[str], message: str) -> None:
    if message in notes:
        return
    if len(notes) < MAX_NOTES:
        notes.append(message)
    elif len(notes) == MAX_NOTES:
        notes.append("… more notes of this kind left out")
