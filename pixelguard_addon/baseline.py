"""The baseline (`.pixelguard-baseline.toml`): findings a team has looked at and accepted.

`pixelguard baseline create` writes one `[[accepted]]` table per distinct leak (see
fingerprint.py): the parts that identify it — rule, vendor, host, decode chain, page path —
and who accepted it, why, and until when. No values, no timestamps, sorted: a baseline is
reviewed and merged like code. `pixelguard scan --baseline FILE` then fails only on new
findings; baselined ones are counted and shown as suppressed, an expired entry stops
suppressing, and an entry that matched nothing is listed as unused.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .detectors.loading import SCHEMA_VERSION, TomlFile
from .fingerprint import FingerprintParts, fingerprint_parts
from .model import Finding

DEFAULT_PATH = ".pixelguard-baseline.toml"
DEFAULT_REASON = "existing finding, accepted when the baseline was created"
ENTRY_KEYS = ("fingerprint", *FingerprintParts._fields, "reason", "owner", "expires")

HEADER = """\
# pixelguard baseline: findings accepted on purpose. `pixelguard scan --baseline FILE` reports
# them as suppressed instead of failing on them. One [[accepted]] table per leak, identified by
# its fingerprint (rule + vendor + host + decode chain + page path; no values, no timestamps).
# An entry suppresses until the end of its `expires` day; then the finding is reported again.
# Written by `pixelguard baseline create`; entries may be removed or edited by hand (keep the
# fingerprint in step with the parts, or delete the fingerprint line and it is recomputed).
"""


@dataclass(frozen=True)
class BaselineEntry:
    parts: FingerprintParts
    reason: str
    owner: str
    expires: dt.date | None = None

    @property
    def fingerprint(self) -> str:
        return self.parts.id

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and today > self.expires

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"fingerprint": self.fingerprint, **self.parts._asdict(),
                                "reason": self.reason, "owner": self.owner}
        if self.expires:
            data["expires"] = self.expires.isoformat()
        return data


@dataclass(frozen=True)
class Baseline:
    source: str
    entries: tuple[BaselineEntry, ...] = ()

    def lookup(self, fingerprint: str) -> BaselineEntry | None:
        return self._by_fingerprint.get(fingerprint)

    @functools.cached_property
    def _by_fingerprint(self) -> dict[str, BaselineEntry]:
        return {entry.fingerprint: entry for entry in self.entries}


def create_baseline(findings: Iterable[Finding], reason: str, owner: str, expires: dt.date | None = None,
                    existing: Baseline | None = None, source: str = DEFAULT_PATH) -> Baseline:
    """Accept every finding not already allowed by a BAA. Entries already in `existing` keep
    their own reason, owner and expiry: re-running `create` adds, it never rewrites history."""
    entries = {entry.fingerprint: entry for entry in (existing.entries if existing else ())}
    for finding in findings:
        if finding.allowed:
            continue
        entry = BaselineEntry(fingerprint_parts(finding), reason, owner, expires)
        entries.setdefault(entry.fingerprint, entry)
    return Baseline(source, tuple(sorted(entries.values(), key=_sort_key)))


def dump_baseline(baseline: Baseline) -> str:
    lines = [HEADER, f"schema_version = {SCHEMA_VERSION}"]
    for entry in sorted(baseline.entries, key=_sort_key):
        lines.append("\n[[accepted]]")
        for key, value in entry.to_dict().items():
            lines.append(f"{key} = {value}" if key == "expires" else f"{key} = {_toml_string(value)}")
    return "\n".join(lines) + "\n"


def load_baseline(path: str | Path) -> Baseline:
    """Read a baseline; any problem is a DataError naming file, line and key (exit code 2)."""
    toml = TomlFile(Path(path))
    toml.check_keys(toml.data, {"schema_version", "accepted"}, [])
    entries = [_entry(toml, index, table) for index, table in enumerate(toml.tables("accepted"))]
    return Baseline(toml.source, tuple(entries))


def _entry(toml: TomlFile, index: int, table: dict[str, Any]) -> BaselineEntry:
    where: list[str | int] = ["accepted", index]
    toml.check_keys(table, set(ENTRY_KEYS), where)
    for name in ("rule", "vendor", "host", "chain", "reason", "owner"):
        if name not in table:
            raise toml.fail(where, f"missing {name} (an entry needs rule, vendor, host, chain, page, reason, owner)")
    parts = FingerprintParts(*(toml.string(table, name, where, "" if name == "page" else None)
                               for name in FingerprintParts._fields))
    stated = table.get("fingerprint")
    if stated is not None and stated != parts.id:
        raise toml.fail([*where, "fingerprint"], f"does not match rule/vendor/host/chain/page (they give "
                        f"{parts.id}); fix the parts or delete the fingerprint line")
    for name in ("reason", "owner"):
        if not toml.string(table, name, where, "").strip():
            raise toml.fail([*where, name], "must say who accepted this finding and why")
    return BaselineEntry(parts, table["reason"].strip(), table["owner"].strip(), _expires(toml, table, where))


def _expires(toml: TomlFile, table: dict[str, Any], where: list[str | int]) -> dt.date | None:
    value = table.get("expires")
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise toml.fail([*where, "expires"], "must be a date: expires = 2027-06-30")


def parse_expiry(text: str) -> dt.date:
    """`--expires YYYY-MM-DD` from the command line; ValueError with a readable message."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--expires {text!r}: not a date (YYYY-MM-DD)") from None


def _sort_key(entry: BaselineEntry) -> tuple[str, ...]:
    return entry.parts.rule, entry.parts.vendor, entry.parts.host, entry.parts.page, entry.parts.chain


def _toml_string(value: str) -> str:
    # A JSON string is a TOML basic string, except that TOML also forbids a raw DEL.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")

