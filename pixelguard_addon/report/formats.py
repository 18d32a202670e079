"""The report files pixelguard can write, by name: one renderer per format, one way to write them."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from .grouped import Report
from .html import render_html
from .jsonl import write_private
from .junit import render_junit
from .sarif import render_sarif
from .summary import render_summary_json

RENDERERS: dict[str, Callable[[Report], str]] = {
    "html": render_html,
    "sarif": render_sarif,
    "junit": render_junit,
    "summary": render_summary_json,
}


# `pixelguard.report FILE` picks the format from the file name; anything else is JSON Lines.
FORMAT_BY_SUFFIX = {".html": "html", ".htm": "html", ".sarif": "sarif", ".xml": "junit", ".json": "summary"}


def format_for(path: str | Path) -> str | None:
    """The report format a file name asks for, or None for JSON Lines."""
    return FORMAT_BY_SUFFIX.get(Path(path).suffix.lower())


def write_report(report: Report, format_name: str, path: str | Path) -> None:
    """Render and write one format; the file is readable by its owner only (it describes leaks)."""
    write_private(path, RENDERERS[format_name](report))
