from __future__ import annotations

from pathlib import Path

import pytest

from pixelguard_addon.detectors.identifiers import load_identifiers
from pixelguard_addon.detectors.lexicon import load_lexicon

from .helpers import PATTERNS


@pytest.fixture(scope="session")
def patterns() -> Path:
    return PATTERNS


@pytest.fixture(scope="session")
def lexicon():
    return load_lexicon(PATTERNS / "lexicons")


@pytest.fixture(scope="session")
def identifier_table():
    return load_identifiers(PATTERNS / "identifiers.toml")
