"""The baseline file: written sorted and value-free, read back strictly, expiring on time."""
from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib

import pytest

from pixelguard_addon.baseline import (Baseline, BaselineEntry, create_baseline, dump_baseline, load_baseline,
                                       parse_expiry)
from pixelguard_addon.catalog import PatternsError
from pixelguard_addon.fingerprint import FingerprintParts, fingerprint

from report.helpers import findings


def write(tmp_path, text: str):
    path = tmp_path / "b.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_create_accepts_each_leak_once_and_not_allowed_vendors():
    baseline = create_baseline(findings(), "accepted", "team")
    fingerprints = [entry.fingerprint for entry in baseline.entries]
    assert len(fingerprints) == len(set(fingerprints)) == 6  # 9 findings, 7 leaks, one at a vendor with a BAA
    assert not any(entry.parts.vendor == "segment" for entry in baseline.entries)


def test_create_keeps_existing_entries_as_they_were():
    old = create_baseline(findings()[:1], "first review", "alice", dt.date(2027, 1, 1))
    new = create_baseline(findings(), "second review", "bob", existing=old)
    kept = next(e for e in new.entries if e.fingerprint == old.entries[0].fingerprint)
    assert (kept.reason, kept.owner, kept.expires) == ("first review", "alice", dt.date(2027, 1, 1))
    assert {e.owner for e in new.entries} == {"alice", "bob"}


def test_dump_is_sorted_value_free_and_reads_back(tmp_path):
    items = findings()
    text = dump_baseline(create_baseline(items, "ok", "team", dt.date(2027, 6, 30)))
    assert text == dump_baseline(create_baseline(list(reversed(items)), "ok", "team", dt.date(2027, 6, 30)))
    for finding in items:
        assert finding.evidence not in text and finding.url not in text
    assert "2026-11" not in text  # no timestamps
    loaded = load_baseline(write(tmp_path, text))
    assert {e.fingerprint for e in loaded.entries} == {fingerprint(f) for f in items if not f.allowed}
    assert all(e.expires == dt.date(2027, 6, 30) for e in loaded.entries)


def test_awkward_strings_round_trip(tmp_path):
    parts = FingerprintParts("PG-ID-EMAIL", "x", "h.example", 'body → json → a["q\\"]\x7f.é', "/päth")
    text = dump_baseline(Baseline("b", (BaselineEntry(parts, 'say "why"\nnext line', "o"),)))
    tomllib.loads(text)
    (entry,) = load_baseline(write(tmp_path, text)).entries
    assert entry.parts == parts and entry.reason == 'say "why"\nnext line'


def test_expiry_is_inclusive():
    entry = BaselineEntry(FingerprintParts("PG-X", "v", "h", "c", "/"), "r", "o", dt.date(2027, 1, 31))
    assert not entry.expired(dt.date(2027, 1, 31)) and entry.expired(dt.date(2027, 2, 1))
    assert not dataclasses.replace(entry, expires=None).expired(dt.date(2999, 1, 1))


ENTRY = 'rule = "PG-ID-EMAIL"\nvendor = "v"\nhost = "h"\nchain = "c"\npage = "/"\nreason = "r"\nowner = "o"\n'


@pytest.mark.parametrize("body, line, message", [
    (ENTRY + 'fingerprint = "pg1:000"\n', 10, "accepted[0].fingerprint: does not match"),
    (ENTRY.replace('owner = "o"', 'owner = " "'), 9, "accepted[0].owner: must say who"),
    (ENTRY.replace('vendor = "v"\n', ""), 2, "accepted[0]: missing vendor"),
    (ENTRY + 'expires = "next year"\n', 10, "accepted[0].expires: must be a date"),
    (ENTRY + 'colour = "red"\n', 10, "accepted[0].colour: unknown key"),
])
def test_errors_name_file_line_and_key(tmp_path, body, line, message):
    path = write(tmp_path, "schema_version = 1\n[[accepted]]\n" + body)
    with pytest.raises(PatternsError) as caught:
        load_baseline(path)
    assert str(caught.value).startswith(f"{path}:{line}: {message}")


def test_missing_fingerprint_is_recomputed_and_string_dates_accepted(tmp_path):
    (entry,) = load_baseline(write(tmp_path, "schema_version = 1\n[[accepted]]\n" + ENTRY
                                   + 'expires = "2027-03-01"\n')).entries
    assert entry.fingerprint == FingerprintParts("PG-ID-EMAIL", "v", "h", "c", "/").id
    assert entry.expires == dt.date(2027, 3, 1)


def test_wrong_schema_and_unreadable_file(tmp_path):
    with pytest.raises(PatternsError, match="schema_version: must be 1"):
        load_baseline(write(tmp_path, "schema_version = 9\n"))
    with pytest.raises(PatternsError, match="cannot read"):
        load_baseline(tmp_path / "absent.toml")


def test_parse_expiry():
    assert parse_expiry("2027-01-02") == dt.date(2027, 1, 2)
    with pytest.raises(ValueError, match="not a date"):
        parse_expiry("soon")
