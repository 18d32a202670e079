"""The user's policy: who is first party, which pages are authenticated, who the test patients are.

Loaded from TOML (see patterns/policy.example.toml). Every error names the file, the line
and the key, because a policy that silently fails to apply is worse than none.
"""
from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import SEVERITIES
from .tomlpos import line_of

MODES = ("flag", "block", "redact")
# Regulatory profiles, defined in patterns/profiles.toml (a test keeps the two in step).
PROFILES = ("hhs-2024", "post-becerra", "strict")
DEFAULT_PROFILE = "post-becerra"
SCHEMA_VERSION = 1
TEST_PATIENT_FIELDS = (
    "name", "first_name", "last_name", "email", "phone", "dob", "street", "city", "state",
    "zip", "mrn", "member_id", "account", "ssn", "reason",
)


class PolicyError(Exception):
    """A policy that cannot be used. str() is the one line the user needs."""

    def __init__(self, source: str, line: int | None, key: str, problem: str):
        self.source, self.line, self.key, self.problem = source, line, key, problem
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {key}: {problem}" if key else f"{where}: {problem}")


@dataclass(frozen=True)
class TestPatient:
    label: str
    values: tuple[tuple[str, str], ...]  # (field, value) in declaration order

    def get(self, name: str) -> str | None:
        return dict(self.values).get(name)


@dataclass(frozen=True)
class Policy:
    source: str = "<default>"
    mode: str = "flag"
    fail_on: str = "high"
    first_party: tuple[str, ...] = ()
    authenticated_paths: tuple[str, ...] = ()
    test_patients: tuple[TestPatient, ...] = ()
    allowed_vendors: tuple[tuple[str, str], ...] = ()  # (vendor id, reason)
    ignore_hosts: tuple[str, ...] = field(default=())
    profile: str = DEFAULT_PROFILE
    session_cookies: tuple[str, ...] = ()  # first-party cookies that mean "signed in"

    def allowed_reason(self, vendor_id: str) -> str | None:
        return dict(self.allowed_vendors).get(vendor_id)

    def is_authenticated_path(self, host: str, path: str) -> bool:
        """Patterns are globs on the path ("/mychart/*") or on host+path ("portal.x.org/*")."""
        host_path = f"{host}{path}"
        return any(
            fnmatch.fnmatchcase(host_path if not pattern.startswith("/") else path, pattern)
            for pattern in self.authenticated_paths
        )


def load_policy(path: str | Path) -> Policy:
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(source, None, "", f"cannot read policy file ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise PolicyError(source, None, "", "policy file is not UTF-8 text") from exc
    return parse_policy(text, source)


def parse_policy(text: str, source: str = "<policy>") -> Policy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(source, _toml_error_line(exc), "", f"not valid TOML: {exc}") from exc
    return _Reader(text, source).policy(data)


def _toml_error_line(exc: tomllib.TOMLDecodeError) -> int | None:
    import re

    found = re.search(r"line (\d+)", str(exc))
    return int(found.group(1)) if found else None


class _Reader:
    """Validates the parsed TOML, turning each problem into a PolicyError at the right line."""

    TOP_KEYS = {"schema_version", "policy", "test_patient", "allowed_vendor"}
    POLICY_KEYS = {"mode", "fail_on", "first_party", "authenticated_paths", "ignore_hosts", "profile",
                   "session_cookies"}
    ALLOWED_VENDOR_KEYS = {"id", "reason"}

    def __init__(self, text: str, source: str):
        self.text, self.source = text, source

    def fail(self, path: list[str | int], problem: str) -> PolicyError:
        return PolicyError(self.source, line_of(self.text, path, nearest=True), _dotted(path), problem)

    def policy(self, data: dict[str, Any]) -> Policy:
        self.reject_unknown(data, self.TOP_KEYS, [])
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise self.fail(["schema_version"], f"must be {SCHEMA_VERSION} (found {version!r})")
        table = data.get("policy", {})
        if not isinstance(table, dict):
            raise self.fail(["policy"], "must be a table: [policy]")
        self.reject_unknown(table, self.POLICY_KEYS, ["policy"])
        return Policy(
            source=self.source,
            mode=self.choice(table, "mode", MODES, "flag"),
            fail_on=self.choice(table, "fail_on", SEVERITIES, "high"),
            first_party=tuple(h.lower().strip(".") for h in self.strings(table, "first_party")),
            authenticated_paths=self.strings(table, "authenticated_paths"),
            ignore_hosts=tuple(h.lower() for h in self.strings(table, "ignore_hosts")),
            profile=self.choice(table, "profile", PROFILES, DEFAULT_PROFILE),
            session_cookies=self.strings(table, "session_cookies"),
            test_patients=self.test_patients(data.get("test_patient", [])),
            allowed_vendors=self.allowed_vendors(data.get("allowed_vendor", [])),
        )

    def reject_unknown(self, table: dict, known: set[str], path: list[str | int]) -> None:
        for key in table:
            if key not in known:
                raise self.fail([*path, key], f"unknown key (expected one of: {', '.join(sorted(known))})")

    def choice(self, table: dict, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = table.get(key, default)
        if value not in allowed:
            raise self.fail(["policy", key], f"must be one of {', '.join(allowed)} (found {value!r})")
        return value

    def strings(self, table: dict, key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(["policy", key], "must be a list of non-empty strings")
        return tuple(v.strip() for v in value)

    def tables(self, value: Any, name: str) -> list[dict]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail([name], f"must be an array of tables: [[{name}]]")
        return value

    def test_patients(self, value: Any) -> tuple[TestPatient, ...]:
        patients = []
        for index, table in enumerate(self.tables(value, "test_patient")):
            self.reject_unknown(table, {"label", *TEST_PATIENT_FIELDS}, ["test_patient", index])
            values = []
            for key, item in table.items():
                if not isinstance(item, str) or not item.strip():
                    raise self.fail(["test_patient", index, key], "must be a non-empty string")
                if key != "label":
                    values.append((key, item.strip()))
            if not values:
                raise self.fail(["test_patient", index], "declares no values to look for")
            patients.append(TestPatient(str(table.get("label", f"test patient {index + 1}")), tuple(values)))
        return tuple(patients)

    def allowed_vendors(self, value: Any) -> tuple[tuple[str, str], ...]:
        allowed = []
        for index, table in enumerate(self.tables(value, "allowed_vendor")):
            self.reject_unknown(table, self.ALLOWED_VENDOR_KEYS, ["allowed_vendor", index])
            vendor_id, reason = table.get("id"), table.get("reason")
            if not isinstance(vendor_id, str) or not vendor_id:
                raise self.fail(["allowed_vendor", index, "id"], "must name a vendor id from the catalog")
            if not isinstance(reason, str) or not reason.strip():
                raise self.fail(["allowed_vendor", index, "reason"], "must say why (e.g. the BAA and its date)")
            allowed.append((vendor_id, reason.strip()))
        return tuple(allowed)


def _dotted(path: list[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
