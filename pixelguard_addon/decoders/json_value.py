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

from ..model import tuple_maker
from .base import Child
from .limits import Context

# Keys like `id`, `ev`, `a` are schema, never data; longer ones may be (`hiv_status`).
SHORT_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]?")
# Keys that would misread in a dotted path (or as a "(qualifier)" step) are quoted: ["a.b"].
_NEEDS_QUOTES = re.compile(r"[.\[\]\"]|^\(|^$")

PathPart = str | int
_new_child = tuple_maker(Child)  # one per value of a JSON document


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
    """Depth-first, in document order, without recursion (nesting depth is the sender's choice).
    Each node on the stack carries its path already rendered and the innermost key above it."""
    children: list[Child] = []
    # (rendered path, the key or index that reached the node, innermost key above it, node)
    stack: list[tuple[str, PathPart | None, str, Any]] = [("", None, parent_key, document)]
    while stack and len(children) < limit:
        rendered, part, outer, node = stack.pop()
        inner = part if isinstance(part, str) else outer  # the innermost key at this node
        if isinstance(part, str) and part != "" and not SHORT_IDENTIFIER.fullmatch(part):
            children.append(_new_child((("json", rendered, "(key)"), part, outer, True, None)))
        if isinstance(node, dict):
            stack.extend((_joined(rendered, name), name, inner, item) for name, item in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((f"{rendered}[{index}]", index, inner, item) for index, item in reversed(list(enumerate(node))))
        elif isinstance(node, str):
            if node:
                children.append(_new_child((("json", rendered), node, inner, False, None)))
        elif node is not None:
            # json.dumps spells booleans the way the sender did: true/false, not True/False.
            children.append(_new_child((("json", rendered), json.dumps(node), inner, True, None)))
    return children


def _joined(rendered: str, key: str) -> str:
    """`rendered` with one more key: dotted, or quoted in brackets when awkward (`cd["Schema.org"]`)."""
    if _NEEDS_QUOTES.search(key):
        return rendered + "[" + json.dumps(key, ensure_ascii=False) + "]"
    return f"{rendered}.{key}" if rendered else key
