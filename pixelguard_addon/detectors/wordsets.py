"""A set of words as one regex shaped like a prefix tree.

`re` tries the branches of an alternation one after another at every position: a plain
`word|word|…` of a hundred context words costs a hundred attempts per character of every
value. Nested by shared prefixes (`s(?:ocial\\ security|oc\\ sec)|…`), it tries one branch per
character and matches exactly the same strings.
"""
from __future__ import annotations

import re
from typing import Iterable

_END = ""  # marks a node where a word ends (no character is the empty string)


def trie_pattern(words: Iterable[str]) -> str:
    """Regex source matching exactly the given words (none: a pattern that never matches)."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _source(root) if root else "(?!)"


def _source(node: dict) -> str:
    branches = [re.escape(char) + _source(child) for char, child in sorted(node.items()) if char != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END not in node:
        return body
    return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
