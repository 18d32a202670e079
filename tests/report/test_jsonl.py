"""JSON Lines: private files, findings round-trip, `revealed` only when set."""
from __future__ import annotations

import dataclasses
import json

import pytest

from pixelguard_addon.report.jsonl import JsonlWriter, read_jsonl, write_private

from .helpers import findings


def test_round_trip_and_revealed_only_when_present(tmp_path):
    items = findings()
    items[0] = dataclasses.replace(items[0], revealed="Ida.Tarbell.Test@example.org")
    path = tmp_path / "f.jsonl"
    writer = JsonlWriter(path)
    writer.write_all(items)
    writer.close()
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0]["revealed"] == "Ida.Tarbell.Test@example.org" and "revealed" not in lines[1]
    assert read_jsonl(path) == items
    assert path.stat().st_mode & 0o777 == 0o600


def test_write_private_tightens_an_existing_file(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("old")
    path.chmod(0o644)
    write_private(path, "new")
    assert path.read_text() == "new" and path.stat().st_mode & 0o777 == 0o600


def test_a_line_that_is_not_a_finding_is_named(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text(json.dumps(findings()[0].to_dict()) + "\n{oops\n")
    with pytest.raises(ValueError, match=r"f.jsonl:2: not a pixelguard finding"):
        read_jsonl(path)
