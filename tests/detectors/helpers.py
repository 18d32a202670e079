"""Shared builders for detector tests."""
from __future__ import annotations

from pathlib import Path

from pixelguard_addon.detectors.base import FieldContext
from pixelguard_addon.model import Field

try:
    from pixelguard_addon.catalog import patterns_dir

    PATTERNS = Path(patterns_dir())
except ImportError:  # pragma: no cover - catalog is written by another module
    PATTERNS = Path(__file__).resolve().parents[2] / "patterns"


def field(value: str, key: str = "", steps: tuple[str, ...] | None = None) -> Field:
    return Field(steps or (f"query.{key or 'value'}",), value, key)


def ctx(role: str = "") -> FieldContext:
    return FieldContext(role=role)
