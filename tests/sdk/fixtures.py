"""Reading tests/data/sdk: each `<name>.har` with its `<name>.planted.json`, run through the
capture reader and the engine with a policy whose test patient holds the planted values."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pixelguard_addon.capture import read_capture
from pixelguard_addon.engine import Engine, Inspection
from pixelguard_addon.policy import parse_policy

SDK_DATA = Path(__file__).resolve().parent.parent / "data" / "sdk"


@dataclass(frozen=True)
class Fixture:
    name: str
    planted: dict

    @property
    def har(self) -> Path:
        return SDK_DATA / f"{self.name}.har"

    @property
    def vendor(self) -> str:
        return self.planted["vendor"]

    @property
    def origin(self) -> str:
        return self.planted["origin"]


def fixture_names() -> list[str]:
    return sorted(path.name.removesuffix(".planted.json") for path in SDK_DATA.glob("*.planted.json"))


def load(name: str) -> Fixture:
    return Fixture(name, json.loads((SDK_DATA / f"{name}.planted.json").read_text()))


def policy_text(fixture: Fixture) -> str:
    planted = fixture.planted["planted"]
    sites = ", ".join(json.dumps(host) for host in fixture.planted["first_party"])
    return (f"schema_version = 1\n[policy]\nfirst_party = [{sites}]\n"
            f"[[test_patient]]\nlabel = \"fixture patient\"\n"
            f"email = {json.dumps(planted['email'])}\nphone = {json.dumps(planted['phone'])}\n")


@lru_cache(maxsize=None)
def engine_for(policy: str) -> Engine:
    return Engine(parse_policy(policy))  # the fixtures share one policy: build it once


@lru_cache(maxsize=None)
def inspections(name: str) -> tuple[Inspection, ...]:
    fixture = load(name)
    engine = engine_for(policy_text(fixture))
    return tuple(engine.inspect(request) for request in read_capture(fixture.har))


def planted_kind(finding) -> str | None:
    """Which planted value a finding is about: condition, email, email_sha256, phone, page_url."""
    if finding.category == "condition":
        return "condition"
    if finding.category == "test-patient:email":
        return "email_sha256" if finding.evidence.startswith("sha256:") else "email"
    if finding.category == "test-patient:phone":
        return "phone"
    if finding.category == "context:health-page" and finding.evidence.startswith("http"):
        return "page_url"
    if finding.category == "uninspectable":
        return "uninspectable"
    return None
