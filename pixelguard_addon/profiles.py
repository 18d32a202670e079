"""Regulatory profiles: the severity of a finding follows the guidance the team works under.

`patterns/profiles.toml` (data) maps finding categories to severities per profile, each with the
reason and the guidance it follows; the policy picks one (`profile`, default `post-becerra`).
`Profile.apply` is called by the engine for every match of a request, knowing two things about
the request as a whole: whether its page is authenticated and whether it carries an identifier.
The match keeps its detector's severity when no rule names its category.
"""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path

from .detectors.loading import DataError, TomlFile
from .model import SEVERITIES, Match

KEEP = "keep"
QUALIFIERS = ("authenticated", "identifier")


@dataclass(frozen=True)
class Rule:
    severity: str  # a severity, or "keep"
    why: str


@dataclass(frozen=True)
class Profile:
    name: str
    summary: str
    cite: str
    rules: dict[str, Rule]

    def rule_for(self, category: str, authenticated: bool, identifier: bool) -> tuple[str, Rule] | None:
        """The most specific rule: category+authenticated, category+identifier, category, prefix*."""
        keys = [f"{category}+authenticated"] * authenticated + [f"{category}+identifier"] * identifier + [category]
        for key in keys:
            if key in self.rules:
                return key, self.rules[key]
        for key, rule in self.rules.items():
            if key.endswith("*") and category.startswith(key[:-1]):
                return key, rule
        return None

    def apply(self, match: Match, authenticated: bool, identifier: bool) -> Match:
        verdict = self.verdict(match.category, match.severity, authenticated, identifier)
        return match if verdict is None else dataclasses.replace(match, severity=verdict[0], citation=verdict[1])

    def verdict(self, category: str, severity: str, authenticated: bool, identifier: bool) -> tuple[str, str] | None:
        """(severity, citation) the profile gives a match, or None when no rule applies: all
        `apply` depends on, so the engine can remember it by these four values."""
        found = self.rule_for(category, authenticated, identifier)
        if found is None:
            return None
        key, rule = found
        severity = severity if rule.severity == KEEP else rule.severity
        return severity, f"profile {self.name} [{key} → {severity}]: {rule.why}. {self.cite}"


@dataclass(frozen=True)
class Profiles:
    default: str
    by_name: dict[str, Profile]

    def get(self, name: str | None) -> Profile:
        return self.by_name[name or self.default]


def load_profiles(path: Path) -> Profiles:
    return _load(Path(path).resolve())


@functools.lru_cache(maxsize=4)
def _load(path: Path) -> Profiles:
    toml = TomlFile(path)
    toml.check_keys(toml.data, {"schema_version", "default", "profile"}, [])
    profiles = {}
    for index, table in enumerate(toml.tables("profile")):
        where: list[str | int] = ["profile", index]
        toml.check_keys(table, {"name", "summary", "cite", "rules"}, where)
        rules = table.get("rules", {})
        if not isinstance(rules, dict):
            raise toml.fail([*where, "rules"], "must be a table of category = { severity, why }")
        profile = Profile(toml.string(table, "name", where), toml.string(table, "summary", where, ""),
                          toml.string(table, "cite", where), {k: _rule(toml, [*where, "rules", k], v) for k, v in rules.items()})
        profiles[profile.name] = profile
    default = toml.string(toml.data, "default", [])
    if default not in profiles:
        raise toml.fail(["default"], f"names no profile (known: {', '.join(profiles)})")
    return Profiles(default, profiles)


def _rule(toml: TomlFile, where: list[str | int], value: object) -> Rule:
    if not isinstance(value, dict):
        raise toml.fail(where, "must be { severity = ..., why = ... }")
    toml.check_keys(value, {"severity", "why"}, where)
    severity = toml.string(value, "severity", where)
    if severity != KEEP and severity not in SEVERITIES:
        raise toml.fail([*where, "severity"], f"must be one of {', '.join(SEVERITIES)} or {KEEP}")
    key = str(where[-1])
    if "+" in key and key.split("+", 1)[1] not in QUALIFIERS:
        raise toml.fail(where, f"unknown qualifier (known: {', '.join(QUALIFIERS)})")
    return Rule(severity, toml.string(value, "why", where))


__all__ = ["DataError", "Profile", "Profiles", "Rule", "load_profiles"]
