"""Finding the line of a HAR entry without a position-aware JSON parser."""
from __future__ import annotations

import gzip
import json

from pixelguard_addon.report.locations import entry_line, har_entry_lines


def test_pretty_printed_har_lines():
    text = json.dumps({"log": {"version": "1.2", "entries": [{"a": 1}, {"b": [{"c": 2}]}, {}]}}, indent=2)
    lines = text.splitlines()
    found = har_entry_lines(text)
    assert len(found) == 3
    assert all(lines[n - 1].strip().startswith("{") for n in found)
    assert '"b"' in lines[found[1]]


def test_strings_that_look_like_json_do_not_fool_it():
    tricky = '{"log": {"entries": [\n{"postData": {"text": "{\\"log\\": {\\"entries\\": [{\\"x\\": \\"}\\"}]}}"}},\n' \
             '{"comment": "[{]", "entries": [{"nested": 1}]}\n]}}'
    assert json.loads(tricky)
    assert har_entry_lines(tricky) == [2, 3]


def test_compact_har_is_all_line_one():
    assert har_entry_lines(json.dumps({"log": {"entries": [{}, {}]}})) == [1, 1]


def test_entry_line_falls_back_to_one(tmp_path):
    plain = tmp_path / "a.har"
    plain.write_text('{"log": {"entries": [\n{},\n{}\n]}}')
    packed = tmp_path / "a.har.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert entry_line(str(plain), 1) == 3
    assert entry_line(str(plain), 7) == 1  # index out of range
    assert entry_line(str(packed), 1) == 1  # compressed: not re-read
    assert entry_line(str(tmp_path / "missing.har"), 0) == 1
    assert entry_line("live", 0) == 1
