"""JSON documents and JSON-valued strings, flattened to one field per scalar.

Objects give dotted paths (`properties.reason`), arrays `[i]` (`events[0].name`, a top-level
array `[0].name`). Strings go back to the walker (they may be URLs, base64, JSON again);
numbers and booleans are yielded as text; null and "" carry nothing and are skipped.
Object keys are yielded too (`{"diabetes": true}` leaks through its key): `<path>(key)`.
"""
from __future__ import annotations

import json
import re
from typing import Any

from .base import Child
from .limits import Context

# Keys like `id`, `ev`, `a` are schema, never data; longer ones may be (`hiv_status`).
SHORT_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]?")
# Keys that would misread in a dotted path (or as a "(qualifier)" step) are quoted: ["a.b"].
_NEEDS_QUOTES = re.compile(r"[.\[\]\"]|^\(|^$")

PathPart = str | int


class JsonValue:
    name = "json"
    candidate = re.compile(r"\A\s*\ufeff*[{\[]")  # where the value starts, as decode strips it

    def decode(self, value: str, key: str, ctx: Context) -> list[Child] | None:
        text = value.strip().lstrip("\ufeff")
        if len(text) < 2 or (text[0], text[-1]) not in (("{", "}"), ("[", "]")):
            return None
        document = parse_json(text, ctx)
        if not isinstance(document, (dict, list)):
            return None
        # One more than allowed, so the walker notices and records the field limit.
        return flatten(document, key, limit=ctx.budget.fields_left + 1)


def parse_json(text: str, ctx: Context) -> Any:
    """json.loads, or None. Very deep nesting makes json.loads itself raise RecursionError."""
    try:
        return json.loads(text)
    except RecursionError:
        ctx.partial("JSON nesting limit")
    except ValueError:  # JSONDecodeError, and int strings over the 4300-digit limit
        pass
    return None


def flatten(document: dict | list, parent_key: str, limit: int) -> list[Child]:
    """Depth-first, in document order, without recursion (nesting depth is the sender's choice)."""
    children: list[Child] = []
    stack: list[tuple[tuple[PathPart, ...], Any]] = [((), document)]
    while stack and len(children) < limit:
        path, node = stack.pop()
        if path and _key_may_carry_data(path[-1]):
            children.append(_key_child(path, parent_key))
        if isinstance(node, dict):
            stack.extend((path + (name,), item) for name, item in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((path + (index,), item) for index, item in reversed(list(enumerate(node))))
        elif node is not None and node != "":
            children.append(_scalar_child(path, node, parent_key))
    return children


def _key_may_carry_data(part: PathPart) -> bool:
    return isinstance(part, str) and part != "" and not SHORT_IDENTIFIER.fullmatch(part)


def render_path(path: tuple[PathPart, ...]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _NEEDS_QUOTES.search(part):
            out += "[" + json.dumps(part, ensure_ascii=False) + "]"
        else:
            out += ("." if out else "") + part
    return out


def _scalar_child(path: tuple[PathPart, ...], node: Any, parent_key: str) -> Child:
    steps = ("json", render_path(path))
    if isinstance(node, str):
        return Child(steps, node, _innermost_key(path, parent_key))
    # json.dumps spells booleans the way the sender did: true/false, not True/False.
    return Child(steps, json.dumps(node), _innermost_key(path, parent_key), final=True)


def _key_child(path: tuple[PathPart, ...], parent_key: str) -> Child:
    return Child(("json", render_path(path), "(key)"), str(path[-1]), _innermost_key(path[:-1], parent_key), final=True)


def _innermost_key(path: tuple[PathPart, ...], parent_key: str) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return parent_key
