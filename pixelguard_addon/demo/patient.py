"""The demo's synthetic test patient, read from the demo policy (one source for the portal,
the browser driver that types the values, and the detectors that look for them)."""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from ..policy import load_policy


def demo_policy_path() -> str:
    return str(files(__package__) / "policy.toml")


@lru_cache(maxsize=1)
def demo_patient() -> dict[str, str]:
    return dict(load_policy(demo_policy_path()).test_patients[0].values)
