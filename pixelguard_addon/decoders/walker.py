"""Applies the value decoders recursively, inside the request's budget.

Every value is tried against `VALUE_DECODERS` in order; the first that recognises it unpacks
it into children, which are walked in turn. The value itself is yielded first (as a
container when it was unpacked), so page-context code can read a whole `dl` URL while
detectors scan its parts. The walk uses an explicit stack: nesting depth is chosen by the
sender, Python's recursion limit is not a budget.
"""
from __future__ import annotations

from ..memo import MEMO_MAX_TEXT, RecentSet
from ..model import Field
from .base import Child, ValueDecoder
from .base64_value import Base64Value
from .form import FormValue
from .google_user_data import GoogleUserDataValue
from .json_value import JsonValue
from .jwt import JwtValue
from .limits import Budget, Context, Limits
from .percent import PercentEncodedValue
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


class Walker:
    """`vendor_values` are tried before the standard decoders on every value; `vendor_bodies`
    on bodies that are not text (see registry.py)."""

    def __init__(self, limits: Limits, vendor_values: tuple[ValueDecoder, ...] = (),
                 vendor_bodies: tuple = (), known_leaves: RecentSet | None = None):
        self.budget = Budget(limits)
        self.vendor_values = vendor_values
        self.vendor_bodies = vendor_bodies
        # Values no decoder unpacked, without a note or a decoded byte, in earlier requests:
        # tracker payloads repeat their plain values (ids, event names) in every beacon.
        self.known_leaves = known_leaves

    @property
    def fields(self) -> list[Field]:
        return self.budget.decoded.fields

    def emit(self, steps: tuple[str, ...], value: str, key: str, container: bool = False) -> bool:
        """Yield one field; False once the field limit has been reached."""
        if self.budget.exhausted:
            return False
        if len(self.fields) >= self.budget.limits.max_fields:
            self.budget.partial("field limit", steps)
            self.budget.exhausted = True
            return False
        self.fields.append(Field(steps, value, key, container))
        return True

    def walk(self, root: Child, depth: int = 0) -> bool:
        """Yield `root` (steps taken as absolute) and everything inside it.

        Returns whether the root itself was unpacked (callers use it to tell "a JSON body"
        from "a body that claimed to be JSON but is not").
        """
        stack: list[tuple[tuple[str, ...], Child, int]] = [(root.steps, root, depth)]
        root_unpacked = False
        while stack:
            steps, node, level = stack.pop()
            children = None if node.final else self._decode(steps, node, level)
            if not self.emit(steps, node.value, node.key, container=children is not None):
                return root_unpacked
            if node is root:
                root_unpacked = children is not None
            for child in reversed(children or ()):
                stack.append((steps + child.steps, child, level + 1))
        return root_unpacked

    def _decode(self, steps: tuple[str, ...], node: Child, level: int) -> list[Child] | None:
        leaf = None
        if self.known_leaves is not None and len(node.value) <= MEMO_MAX_TEXT:
            leaf = (node.value, node.key, node.decoders, self.vendor_values)
            if leaf in self.known_leaves:
                return None
            before = self._side_effects()
        children = self._unpack(steps, node, level)
        if children is None and leaf is not None and self._side_effects() == before:
            self.known_leaves.add(leaf)
        return children

    def _side_effects(self) -> tuple[int, int, int]:
        budget = self.budget
        return len(budget.decoded.partial), len(budget.decoded.undecodable), budget.decoded_bytes

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
