"""Reading detector data files (patterns/identifiers.toml, patterns/lexicons/*.toml).

Every problem is a `DataError` naming the file, the line when it can be found, and the key: a
pattern file that silently half-loads would make a leaking site look clean.
"""
from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from ..catalog import PatternsError

SCHEMA_VERSION = 1


class DataError(PatternsError):
    """A detector data file that cannot be used. str() is the one line the user needs.

    A PatternsError, so the CLI reports it like any other broken patterns file (exit 2)."""

    def __init__(self, source: str, line: int | None, key: str, problem: str):
        self.source, self.problem = source, problem
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {key}: {problem}" if key else f"{where}: {problem}",
                         file=source, line=line, key=key)


class TomlFile:
    """One parsed TOML file plus what is needed to point at a line in it.

    A `.json` file with the same structure is read too: generated data (the generated lexicon
    layer) is JSON because it parses 30x faster than TOML, and start-up time matters."""

    def __init__(self, path: Path):
        self.path = path
        self.source = str(path)
        try:
            self.text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(self.source, None, "", f"cannot read ({exc})") from exc
        self.is_json = path.suffix == ".json"
        try:
            self.data: dict[str, Any] = json.loads(self.text) if self.is_json else tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            raise DataError(self.source, None, "", f"not valid TOML: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise DataError(self.source, exc.lineno, "", f"not valid JSON: {exc.msg}") from exc
        if not isinstance(self.data, dict):
            raise DataError(self.source, None, "", "must be an object with schema_version")
        version = self.data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise self.fail(["schema_version"], f"must be {SCHEMA_VERSION} (found {version!r})")

    def fail(self, path: list[str | int], problem: str) -> DataError:
        return DataError(self.source, self.line_of(path), _dotted(path), problem)

    def line_of(self, path: list[str | int]) -> int | None:
        if self.is_json:
            return None  # generated files: the key path names the place well enough
        try:
            from ..tomlpos import line_of
        except ImportError:  # pragma: no cover - tomlpos is optional for detectors
            return None
        try:
            return line_of(self.text, path, nearest=True)
        except Exception:  # pragma: no cover - a line number is a courtesy, not a requirement
            return None

    def tables(self, name: str) -> list[dict[str, Any]]:
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail([name], f"must be an array of tables: [[{name}]]")
        return value

    def check_keys(self, table: dict[str, Any], allowed: set[str], path: list[str | int]) -> None:
        for key in table:
            if key not in allowed:
                raise self.fail([*path, key], f"unknown key (expected one of: {', '.join(sorted(allowed))})")

    def string(self, table: dict[str, Any], key: str, path: list[str | int], default: str | None = None) -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise self.fail([*path, key], "must be a string")
        return value

    def strings(self, table: dict[str, Any], key: str, path: list[str | int]) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail([*path, key], "must be a list of strings")
        return tuple(value)

    def number(self, table: dict[str, Any], key: str, path: list[str | int], default: float) -> float:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise self.fail([*path, key], "must be a number from 0 to 1")
        return float(value)

    def boolean(self, table: dict[str, Any], key: str, path: list[str | int], default: bool = False) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail([*path, key], "must be true or false")
        return value


def _dotted(path: list[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
