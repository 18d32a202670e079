"""Detectors: what in a tracker request is protected health information.

`build_detectors` is the only entry point the engine uses. The registry is explicit (mitmproxy's
`default_addons()` style): a tuple of factories, each taking the policy and the patterns
directory and returning a detector, or None when it has nothing to look for (no test patients
means no canary detector). Adding a detector is adding its factory here.

Field detectors (`detect(field, context)`, called for every decoded leaf value):
    condition            PG-PHI-CONDITION        lexicon.py, data in patterns/lexicons/
    identifiers          PG-ID-EMAIL/PHONE/SSN/DOB/ZIP/MRN/ADDRESS/MEMBER/ACCOUNT/MBI/NPI/DEA/CARD/IP/
                         DEVICE/NAME   identifiers.py + validators.py,
                                                 data in patterns/identifiers.toml
    hashed-identifiers   PG-ID-HASHED            identifiers.py (same data file)
    canaries             PG-CANARY-<FIELD>       canaries.py, values from the policy
Request detectors (`detect_request(context)`, once per request):
    page-context         PG-CTX-HEALTH-PAGE, PG-CTX-AUTH-PAGE, PG-CTX-ENTRY-PAGE   page_context.py,
                         data in patterns/page_kinds.toml
    uninspectable        PG-UNINSPECTABLE        uninspectable.py (a known vendor's unreadable body)
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .base import FieldDetector, RequestDetector
from .canaries import CanaryDetector, load_state_codes
from .identifiers import HashedIdentifierDetector, IdentifierDetector, load_identifiers
from .lexicon import ConditionDetector, load_lexicon
from .page_context import PageContextDetector, load_page_kinds
from .uninspectable import UninspectableDetector

if TYPE_CHECKING:
    from ..policy import Policy

LEXICON_DIR = "lexicons"
IDENTIFIERS_FILE = "identifiers.toml"
STATES_FILE = "us_states.toml"
PAGE_KINDS_FILE = "page_kinds.toml"


def condition_detector(policy: "Policy", patterns: Path) -> FieldDetector | None:
    return ConditionDetector(load_lexicon(patterns / LEXICON_DIR))


def identifier_detector(policy: "Policy", patterns: Path) -> FieldDetector | None:
    return IdentifierDetector(load_identifiers(patterns / IDENTIFIERS_FILE))


def hashed_identifier_detector(policy: "Policy", patterns: Path) -> FieldDetector | None:
    return HashedIdentifierDetector(load_identifiers(patterns / IDENTIFIERS_FILE))


def canary_detector(policy: "Policy", patterns: Path) -> FieldDetector | None:
    if not policy.test_patients:
        return None
    return CanaryDetector(policy.test_patients, load_state_codes(patterns / STATES_FILE))


def page_context_detector(policy: "Policy", patterns: Path) -> RequestDetector | None:
    return PageContextDetector(load_lexicon(patterns / LEXICON_DIR), policy, load_page_kinds(patterns / PAGE_KINDS_FILE))


FIELD_DETECTORS: tuple[Callable[["Policy", Path], FieldDetector | None], ...] = (
    condition_detector,
    identifier_detector,
    hashed_identifier_detector,
    canary_detector,
)


def uninspectable_detector(policy: "Policy", patterns: Path) -> RequestDetector | None:
    return UninspectableDetector()


REQUEST_DETECTORS: tuple[Callable[["Policy", Path], RequestDetector | None], ...] = (
    page_context_detector,
    uninspectable_detector,
)


def build_detectors(policy: "Policy", patterns: Path) -> tuple[list[FieldDetector], list[RequestDetector]]:
    """Every detector for this policy, built once. Raises loading.DataError on a broken data file."""
    patterns = Path(patterns)
    fields = [d for d in (factory(policy, patterns) for factory in FIELD_DETECTORS) if d is not None]
    requests = [d for d in (factory(policy, patterns) for factory in REQUEST_DETECTORS) if d is not None]
    return fields, requests
