"""Per-rule explanations for reports: title, why it matters, references, remediation, CWE.

The text lives in `patterns/rules.toml` (data, reviewed as data); this module loads and validates
it (a broken file is a DataError naming file, line and key) and answers `rule_info(rule_id)`.
A rule the file does not know still gets a usable, generic explanation: a report never fails
because a detector is newer than its documentation.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..catalog import patterns_dir
from ..detectors.loading import TomlFile

RULES_FILE = "rules.toml"
_RULE_ID = re.compile(r"^PG-[A-Z0-9-]*[A-Z0-9*]$")
_CWE = re.compile(r"^CWE-\d+$")


@dataclass(frozen=True)
class Reference:
    title: str
    url: str = ""
    applies: str = ""


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title: str
    description: str
    references: tuple[Reference, ...] = ()
    remediation: tuple[str, ...] = ()
    cwe: tuple[str, ...] = ("CWE-359",)


@dataclass(frozen=True)
class Rules:
    exact: dict[str, RuleInfo]
    families: dict[str, RuleInfo]  # prefix (without the *) → info

    def info(self, rule_id: str) -> RuleInfo:
        """The rule's explanation: exact id, else the longest family prefix, else a generic one."""
        if rule_id in self.exact:
            return self.exact[rule_id]
        prefixes = [p for p in self.families if rule_id.startswith(p)]
        if prefixes:
            prefix = max(prefixes, key=len)
            family = self.families[prefix]
            name = rule_id[len(prefix):].replace("-", " ").lower()
            return RuleInfo(rule_id, family.title.replace("{name}", name), family.description,
                            family.references, family.remediation, family.cwe)
        return RuleInfo(rule_id, f"{rule_id}: data sent to a third party",
                        "pixelguard found data of this kind in a third-party request; see the detail.")


def load_rules(path: str | Path | None = None) -> Rules:
    toml = TomlFile(Path(path) if path else patterns_dir() / RULES_FILE)
    toml.check_keys(toml.data, {"schema_version", "reference", "remediation", "rule"}, [])
    references = {key: _reference(toml, key, table) for key, table in _named_tables(toml, "reference").items()}
    remediation = {key: toml.string(table, "text", ["remediation", key])
                   for key, table in _named_tables(toml, "remediation").items()}
    exact: dict[str, RuleInfo] = {}
    families: dict[str, RuleInfo] = {}
    for index, table in enumerate(toml.tables("rule")):
        info = _rule(toml, index, table, references, remediation)
        target, key = (families, info.id[:-1]) if info.id.endswith("*") else (exact, info.id)
        if key in target:
            raise toml.fail(["rule", index, "id"], f"duplicate rule id {info.id!r}")
        target[key] = info
    return Rules(exact, families)


@functools.lru_cache(maxsize=1)
def default_rules() -> Rules:
    return load_rules()


def rule_info(rule_id: str) -> RuleInfo:
    return default_rules().info(rule_id)


def _named_tables(toml: TomlFile, name: str) -> dict[str, dict[str, Any]]:
    value = toml.data.get(name, {})
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise toml.fail([name], f"must be tables: [{name}.<id>]")
    return value


def _reference(toml: TomlFile, key: str, table: dict[str, Any]) -> Reference:
    where: list[str | int] = ["reference", key]
    toml.check_keys(table, {"title", "url", "applies"}, where)
    return Reference(toml.string(table, "title", where), toml.string(table, "url", where, ""),
                     toml.string(table, "applies", where, ""))


def _rule(toml: TomlFile, index: int, table: dict[str, Any], references: dict[str, Reference],
          remediation: dict[str, str]) -> RuleInfo:
    where: list[str | int] = ["rule", index]
    toml.check_keys(table, {"id", "title", "description", "references", "remediation", "cwe"}, where)
    rule_id = toml.string(table, "id", where)
    if not _RULE_ID.match(rule_id) or "*" in rule_id[:-1]:
        raise toml.fail([*where, "id"], f"{rule_id!r} is not a rule id (PG-…, a trailing * for a family)")
    cwe = toml.strings(table, "cwe", where)
    if not cwe or not all(_CWE.match(item) for item in cwe):
        raise toml.fail([*where, "cwe"], 'must list CWE ids: cwe = ["CWE-359"]')
    return RuleInfo(
        id=rule_id,
        title=toml.string(table, "title", where),
        description=toml.string(table, "description", where),
        references=tuple(references[key] for key in _ids(toml, table, "references", references, where)),
        remediation=tuple(remediation[key] for key in _ids(toml, table, "remediation", remediation, where)),
        cwe=cwe,
    )


def _ids(toml: TomlFile, table: dict[str, Any], key: str, known: dict[str, Any],
         where: list[str | int]) -> tuple[str, ...]:
    ids = toml.strings(table, key, where)
    if not ids:
        raise toml.fail([*where, key], "must name at least one entry")
    for position, item in enumerate(ids):
        if item not in known:
            raise toml.fail([*where, key, position], f"unknown {key} id {item!r} (define [{key.rstrip('s')}.{item}])")
    return ids
