"""Where a finding sits in its capture file, for formats that point at lines (SARIF).

A HAR is JSON, and `json` keeps no positions, so `har_entry_lines` re-scans the text for the
start of each `log.entries[i]` object. It is a token scan, not a parser: it relies on the file
having parsed already (the capture reader did that). Anything else — a compressed HAR, a
mitmproxy flow file, a file too big to re-read cheaply — points at line 1.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

MAX_SCAN_BYTES = 64 * 1024 * 1024
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]')


def entry_line(source: str, index: int) -> int:
    """1-based line of entry `index` in the capture `source`, or 1 when it cannot be told cheaply."""
    lines = _lines_of(source)
    return lines[index] if 0 <= index < len(lines) else 1


@functools.lru_cache(maxsize=32)
def _lines_of(source: str) -> tuple[int, ...]:
    path = Path(source)
    try:
        if not path.is_file() or path.stat().st_size > MAX_SCAN_BYTES:
            return ()
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # compressed or binary: not a plain HAR
        return ()
    return tuple(har_entry_lines(text)) if text.lstrip().startswith("{") else ()


def har_entry_lines(text: str) -> list[int]:
    """Line numbers (1-based) where each object of the top-level `log.entries` array starts."""
    stack: list[tuple[str, str | None]] = []  # (bracket, key the container sits under)
    key = last_string = None
    lines: list[int] = []
    line, counted = 1, 0
    for token in _TOKEN.finditer(text):
        char = token.group()[0]
        if char == '"':
            last_string = token.group()
        elif char == ":":
            key = last_string
        elif char == ",":
            key = None
        elif char in "{[":
            if char == "{" and _in_entries(stack):
                line += text.count("\n", counted, token.start())
                counted = token.start()
                lines.append(line)
            stack.append((char, key))
            key = None
        elif stack:
            stack.pop()
    return lines


def _in_entries(stack: list[tuple[str, str | None]]) -> bool:
    return len(stack) == 3 and stack[1] == ("{", '"log"') and stack[2] == ("[", '"entries"')
