"""Find the line a TOML key sits on, so a semantic error can point into the file.

`tomllib` reports positions only for syntax errors; once a file parses, the values carry no
line numbers. `line_of` re-scans the text and maps key paths to lines:

    line_of(text, ["vendor", 3, "hosts"])       # `hosts =` inside the 4th [[vendor]] table
    line_of(text, ["vendor", 3, "hosts", 1])    # the 2nd element of that array
    line_of(text, ["test_patient", 0, "email"])
    line_of(text, ["policy", "mode"])           # `mode =` under [policy], or `policy.mode =`

Integers index arrays of tables (0-based, in file order) and array elements. The scanner
understands headers, dotted and quoted keys, inline tables, multi-line arrays and all four
string forms; it is meant for text that `tomllib` has already accepted, and on anything else
it skips ahead rather than fail.
"""
from __future__ import annotations

import bisect
import tomllib
from collections.abc import Sequence

KeyPath = tuple[str | int, ...]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def line_of(text: str, path: Sequence[str | int], *, nearest: bool = False) -> int | None:
    """The 1-based line where `path` is defined, or None.

    With `nearest=True`, fall back to the closest enclosing key or table that exists (the
    place to report a missing key); None only if not even the first element is found.
    """
    lines = key_lines(text)
    key = tuple(path)
    while key:
        if key in lines:
            return lines[key]
        if not nearest:
            return None
        key = key[:-1]
    return None


def key_lines(text: str) -> dict[KeyPath, int]:
    """Every key path the text defines (tables, keys, array elements) → its first line."""
    scanner = _Scanner(text)
    scanner.run()
    return scanner.lines


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict[KeyPath, int] = {}
        self._aot_index: dict[KeyPath, int] = {}  # array-of-tables path → index of its last table
        self._newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    # -- helpers ---------------------------------------------------------------------------

    def _line(self, pos: int) -> int:
        return bisect.bisect_left(self._newlines, pos) + 1

    def _peek(self, offset: int = 0) -> str:
        i = self.pos + offset
        return self.text[i] if i < len(self.text) else ""

    def _record(self, path: KeyPath, pos: int) -> None:
        self.lines.setdefault(path, self._line(pos))

    def _skip_spaces(self) -> None:
        while self._peek() in (" ", "\t"):
            self.pos += 1

    def _skip_comment(self) -> None:
        if self._peek() == "#":
            end = self.text.find("\n", self.pos)
            self.pos = len(self.text) if end < 0 else end

    def _skip_blank(self) -> None:
        """Whitespace, newlines and comments (between array elements, between statements)."""
        while self.pos < len(self.text):
            ch = self._peek()
            if ch in (" ", "\t", "\r", "\n"):
                self.pos += 1
            elif ch == "#":
                self._skip_comment()
            else:
                return

    def _skip_line(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end + 1

    # -- statements ------------------------------------------------------------------------

    def run(self) -> None:
        table: KeyPath = ()
        while True:
            self._skip_blank()
            if self.pos >= len(self.text):
                return
            start = self.pos
            if self.text.startswith("[[", self.pos):
                self.pos += 2
                keys = self._key()
                if keys:
                    array = self._resolve(keys[:-1]) + (keys[-1],)
                    index = self._aot_index.get(array, -1) + 1
                    self._aot_index[array] = index
                    table = array + (index,)
                    self._record(array, start)
                    self._record(table, start)
                self._skip_line()
            elif self._peek() == "[":
                self.pos += 1
                keys = self._key()
                if keys:
                    table = self._resolve(keys)
                    for n in range(1, len(table) + 1):
                        self._record(table[:n], start)
                self._skip_line()
            else:
                self._key_value(table)
                self._skip_spaces()
                self._skip_comment()
                if self.pos == start:  # not a key: skip the line rather than loop
                    self._skip_line()

    def _resolve(self, keys: list[str]) -> KeyPath:
        """Map header keys to a path, entering the last table of each array of tables."""
        path: KeyPath = ()
        for key in keys:
            path = path + (key,)
            if path in self._aot_index:
                path = path + (self._aot_index[path],)
        return path

    def _key_value(self, table: KeyPath) -> None:
        start = self.pos
        keys = self._key()
        if not keys:
            return
        path = table + tuple(keys)
        for n in range(len(table) + 1, len(path) + 1):
            self._record(path[:n], start)
        self._skip_spaces()
        if self._peek() != "=":
            return
        self.pos += 1
        self._skip_spaces()
        self._value(path)

    def _key(self) -> list[str]:
        """A dotted key: bare, "basic" or 'literal' parts separated by dots."""
        parts: list[str] = []
        while True:
            self._skip_spaces()
            ch = self._peek()
            if ch == '"' or ch == "'":
                start = self.pos
                self._skip_string()
                parts.append(_unquote(self.text[start:self.pos]))
            elif ch and ch in _BARE:
                start = self.pos
                while self._peek() and self._peek() in _BARE:
                    self.pos += 1
                parts.append(self.text[start:self.pos])
            else:
                return parts
            self._skip_spaces()
            if self._peek() != ".":
                return parts
            self.pos += 1

    # -- values ----------------------------------------------------------------------------

    def _value(self, path: KeyPath) -> None:
        ch = self._peek()
        if ch == '"' or ch == "'":
            self._skip_string()
        elif ch == "[":
            self._array(path)
        elif ch == "{":
            self._inline_table(path)
        else:  # number, bool, date: up to the next delimiter
            while self._peek() and self._peek() not in ",]}\n#":
                self.pos += 1

    def _array(self, path: KeyPath) -> None:
        self.pos += 1
        index = 0
        while self.pos < len(self.text):
            self._skip_blank()
            if self._peek() == "]":
                self.pos += 1
                return
            before = self.pos
            self._record(path + (index,), before)
            self._value(path + (index,))
            self._skip_blank()
            if self._peek() == ",":
                self.pos += 1
                index += 1
            elif self._peek() != "]" and self.pos == before:
                self.pos += 1  # garbage: step over it

    def _inline_table(self, path: KeyPath) -> None:
        self.pos += 1
        while self.pos < len(self.text):
            self._skip_blank()
            if self._peek() == "}":
                self.pos += 1
                return
            before = self.pos
            self._key_value(path)
            self._skip_blank()
            if self._peek() == ",":
                self.pos += 1
            elif self._peek() != "}" and self.pos == before:
                self.pos += 1

    def _skip_string(self) -> None:
        text = self.text
        quote = text[self.pos]
        if text.startswith(quote * 3, self.pos):
            end = self.pos + 3
            while end < len(text):
                if quote == '"' and text[end] == "\\":
                    end += 2
                elif text.startswith(quote * 3, end):
                    # the content may end in one or two quotes: `"""a""""` is 'a"'
                    run = 3
                    while run < 5 and text.startswith(quote, end + run):
                        run += 1
                    self.pos = end + run
                    return
                else:
                    end += 1
            self.pos = len(text)
            return
        end = self.pos + 1
        while end < len(text) and text[end] != "\n":
            if quote == '"' and text[end] == "\\":
                end += 2
                continue
            if text[end] == quote:
                self.pos = end + 1
                return
            end += 1
        self.pos = end


def _unquote(token: str) -> str:
    """The value of a quoted key, with escapes resolved the way TOML resolves them."""
    try:
        return tomllib.loads(f"k = {token}")["k"]
    except tomllib.TOMLDecodeError:
        return token.strip("\"'")
