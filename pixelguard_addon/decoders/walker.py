"""Applies the value decoders recursively, inside the request's budget.

Every value is tried against `VALUE_DECODERS` in order; the first that recognises it unpacks
it into children, which are walked in turn. The value itself is yielded first (as a
container when it was unpacked), so page-context code can read a whole `dl` URL while
detectors scan its parts. The walk uses an explicit stack: nesting depth is chosen by the
sender, Python's recursion limit is not a budget.
"""
from __future__ import annotations

import functools
import re

from ..memo import MEMO_MAX_KEY, MEMO_MAX_TEXT, RecentMap
from ..model import Field, tuple_maker
from .base import Child, ValueDecoder
from .base64_value import Base64Value
from .form import FormValue
from .google_user_data import GoogleUserDataValue
from .json_value import JsonValue
from .jwt import JwtValue
from .limits import Budget, Context, Limits
from .percent import PercentEncodedValue
from .query import EAGER_SPLIT, pair_children, parse_pairs, read_pair, split_lazily
from .url import UrlValue

# Order matters: the most specific formats first. JWT before base64 (a JWT is base64url
# with dots); form before base64 (`data=…` padding has "="); percent-decoding last, since
# the formats above read their own escapes.
VALUE_DECODERS: tuple[ValueDecoder, ...] = (
    JsonValue(),
    UrlValue(),
    JwtValue(),
    GoogleUserDataValue(),
    FormValue(),
    Base64Value(),
    PercentEncodedValue(),
)


_new_field = tuple_maker(Field)


class Walker:
    """`vendor_values` are tried before the standard decoders on every value; `vendor_bodies`
    on bodies that are not text (see registry.py)."""

    def __init__(self, limits: Limits, vendor_values: tuple[ValueDecoder, ...] = (),
                 vendor_bodies: tuple = (), seen: RecentMap | None = None):
        self.budget = Budget(limits)
        self.vendor_values = vendor_values
        self.vendor_bodies = vendor_bodies
        # What values walked in earlier requests decoded to, by (value, key, decoders, depth):
        # tracker payloads repeat the same page URL, ids and event names in every beacon.
        # Only walks that left no note are kept, so a replay is exactly what a walk would do.
        self.seen = seen
        self._standard_candidates = joined_candidates(vendor_values + VALUE_DECODERS)
        self._standard_found_in = _always if self._standard_candidates is None else self._standard_candidates.found_in
        self._fields = self.budget.decoded.fields
        self._max_fields = limits.max_fields

    @property
    def fields(self) -> list[Field]:
        return self._fields

    def emit(self, steps: tuple[str, ...], value: str, key: str, container: bool = False) -> bool:
        """Yield one field; False once the field limit has been reached."""
        return self.emit_field(_new_field((steps, value, key, container)))

    def emit_field(self, item: Field) -> bool:
        """`emit` of a field already built (a remembered one)."""
        fields = self._fields
        if len(fields) < self._max_fields and not self.budget.exhausted:
            fields.append(item)
            return True
        if not self.budget.exhausted:  # the limit is hit just now: say where
            self.budget.partial("field limit", item.steps)
            self.budget.exhausted = True
        return False

    def walk(self, root: Child, depth: int = 0) -> bool:
        """Yield `root` (steps taken as absolute) and everything inside it.

        Returns whether the root itself was unpacked (callers use it to tell "a JSON body"
        from "a body that claimed to be JSON but is not").
        """
        return self._walk([(root.steps, root, depth)], root)

    def walk_all(self, roots: list[Child]) -> None:
        """`walk` each root in turn (a query's pairs), on one stack: the same fields in the
        same order, without a walk per pair."""
        self._walk([(root.steps, root, 0) for root in reversed(roots)], None)

    def walk_pairs(self, text: str, prefix: str) -> None:
        """`walk_all(pair_children(parse_pairs(text), prefix))`: a query's pairs. A beacon's
        query repeats most of its pairs byte for byte. A pair seen before is not parsed again:
        one that yielded only leaves yields the same fields again without being tried against
        the decoders; one to unpack (a page URL, a JSON `cd[…]`) is walked from its parsed
        children, where the value memo takes over."""
        seen, candidates = self.seen, self._standard_candidates
        fields, max_fields = self._fields, self._max_fields
        if seen is None or candidates is None:
            self.walk_all(pair_children(parse_pairs(text), prefix))
            return
        for piece in (text.split("&") if len(text) <= EAGER_SPLIT else split_lazily(text, "&")):
            if not piece:
                continue
            if self.budget.exhausted:
                return
            memo_key = (piece, prefix, candidates)
            remembered = seen.get(memo_key)
            if remembered is None:
                roots = pair_children([read_pair(piece)], prefix)
                if any(map(self._may_unpack, roots)):
                    remembered = (True, tuple(roots))
                else:
                    remembered = (False, tuple(_new_field((root.steps, root.value, root.key, False)) for root in roots))
                if len(piece) <= MEMO_MAX_TEXT:  # the sender's text: only short pieces are kept
                    seen.put(memo_key, remembered)
            to_unpack, items = remembered
            if to_unpack:
                self._walk([(root.steps, root, 0) for root in reversed(items)], None)
                continue
            if len(fields) + len(items) <= max_fields:  # the usual case: no limit in reach
                fields.extend(items)
                continue
            for item in items:
                if not self.emit_field(item):
                    return

    def _walk(self, stack: list[tuple], root: Child | None) -> bool:
        root_unpacked = False
        fields, max_fields, budget = self._fields, self._max_fields, self.budget
        while stack:
            entry = stack.pop()
            if len(entry) == 4:  # every field below a remembered value has been yielded
                self._remember(*entry)
                continue
            steps, node, level = entry
            if not self._may_unpack(node):  # a leaf, the usual case: nothing to try or remember
                if len(fields) < max_fields and not budget.exhausted:  # `emit`, without its call
                    fields.append(_new_field((steps, node.value, node.key, False)))
                elif not self.emit(steps, node.value, node.key):
                    return root_unpacked
                continue
            memo_key = self._memo_key(node, steps, level)
            if memo_key is not None:
                replayed = self._replay(memo_key, steps)
                if replayed is not None:
                    root_unpacked = replayed if node is root else root_unpacked
                    continue
                mark = (memo_key, steps, len(self.fields), self._notes())
            children = self._unpack(steps, node, level)
            if not self.emit(steps, node.value, node.key, container=children is not None):
                return root_unpacked
            if node is root:
                root_unpacked = children is not None
            if memo_key is not None:
                stack.append(mark)
            for child in reversed(children or ()):
                stack.append((steps + child.steps, child, level + 1))
        return root_unpacked

    def _may_unpack(self, node: Child) -> bool:
        if node.final:
            return False
        if not node.decoders:
            return self._standard_found_in(node.value)
        candidates = joined_candidates(self.vendor_values + node.decoders)
        return candidates is None or candidates.found_in(node.value)

    def _memo_key(self, node: Child, steps: tuple[str, ...], level: int) -> tuple | None:
        # Keys and steps are the sender's too: an entry stays small or is not made.
        if self.seen is None or len(node.value) > MEMO_MAX_TEXT or len(node.key) > MEMO_MAX_KEY \
                or sum(map(len, steps)) > MEMO_MAX_TEXT:
            return None
        return node.value, node.key, node.decoders, self.vendor_values, level

    def _notes(self) -> tuple[int, int, int]:
        decoded = self.budget.decoded
        return len(decoded.partial), len(decoded.undecodable), self.budget.decoded_bytes

    def _remember(self, memo_key: tuple, steps: tuple[str, ...], start: int, before: tuple[int, int, int]) -> None:
        after = self._notes()
        if after[:2] != before[:2] or self.budget.exhausted:
            return  # a walk that left a note must leave it again: never replayed
        # Kept as the fields themselves (immutable), with the steps they were found under: the
        # same value usually comes back under the same steps, and then they are reused as they are.
        self.seen.put(memo_key, (steps, tuple(self.fields[start:]), after[2] - before[2]))

    def _replay(self, memo_key: tuple, steps: tuple[str, ...]) -> bool | None:
        """Yield what the value decoded to last time; None when it is not known (or would not
        fit in what is left of the budget: then the walk itself says what was cut)."""
        found = self.seen.get(memo_key)
        if found is None:
            return None
        first_steps, fields, decoded_bytes = found
        budget = self.budget
        if len(fields) >= budget.fields_left or decoded_bytes > budget.bytes_left:
            return None
        budget.decoded_bytes += decoded_bytes
        if steps == first_steps:
            self.fields.extend(fields)
        else:
            cut = len(first_steps)
            self.fields.extend(Field(steps + item.steps[cut:], item.value, item.key, item.container) for item in fields)
        return fields[0].container

    def _unpack(self, steps: tuple[str, ...], node: Child, level: int) -> list[Child] | None:
        ctx = Context(steps, self.budget)
        for decoder in self.vendor_values + (node.decoders or VALUE_DECODERS):
            try:
                children = decoder.decode(node.value, node.key, ctx)
            except Exception as exc:  # a decoder bug must cost one value, not the request
                ctx.undecodable(f"{decoder.name} decoder failed ({type(exc).__name__})")
                continue
            if children is None:
                continue
            if level >= self.budget.limits.max_depth:
                ctx.partial("depth limit")
                return None
            return children
        return None


def _always(value: str) -> bool:
    return True


ANCHOR = "\\A"  # a candidate starting so is tried at the start of the value only


class Candidates:
    """Every decoder's candidate, as two patterns: those anchored at the start of the value
    (`\\A…`), joined and tried there once, and the others, joined and searched for. One
    alternation of both would try every anchored branch again at every position."""

    def __init__(self, patterns: list[re.Pattern[str]]):
        anchored = [p.pattern[len(ANCHOR):] for p in patterns if p.pattern.startswith(ANCHOR)]
        floating = [p.pattern for p in patterns if not p.pattern.startswith(ANCHOR)]
        self.at_start = re.compile(_alternation(anchored)) if anchored else None
        self.anywhere = re.compile(_alternation(floating)) if floating else None
        # Asked of nearly every value: the compiled methods themselves, "never" standing in
        # for a missing pattern
        self._match_start = self.at_start.match if self.at_start is not None else _NEVER.match
        self._search_anywhere = self.anywhere.search if self.anywhere is not None else _NEVER.search

    def found_in(self, value: str) -> bool:
        return self._match_start(value) is not None or self._search_anywhere(value) is not None


_NEVER = re.compile("(?!)")


def _alternation(sources: list[str]) -> str:
    return "|".join(f"(?:{source})" for source in sources)


@functools.lru_cache(maxsize=64)  # a handful of decoder chains exist: the standard one, bodies', lines'
def joined_candidates(decoders: tuple[ValueDecoder, ...]) -> Candidates | None:
    """Every decoder's candidate (see `ValueDecoder`) joined; None when one of them has no
    candidate and so must always be tried."""
    patterns = [getattr(decoder, "candidate", None) for decoder in decoders]
    if not patterns or any(pattern is None or pattern.flags != re.UNICODE for pattern in patterns):
        return None
    return Candidates(patterns)
