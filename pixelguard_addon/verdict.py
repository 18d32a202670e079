"""What the live proxy does with one inspected request: flag it, block it, or forward it redacted.

Pure decisions, no mitmproxy: the addon applies them to flows. The rules:

* flag mode, or a flow that is not live (read from a file, replayed): flag only.
* a third-party request with findings at or above the threshold (allowed vendors excepted)
  is blocked in block mode and redacted in redact mode;
* fail closed: a request to a known tracker that could not be fully inspected is blocked in
  both modes; so is a redaction that is impossible or leaves findings behind.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .engine import Inspection
from .model import CapturedRequest, Finding, severity_rank
from .redact import CannotRedact, RedactedRequest, redact
from .scan import failing_findings

FLAGGED, BLOCKED, REDACTED, ANSWERED = "flagged", "blocked", "redacted", "answered"
# Stronger actions win when one flow (a WebSocket) collects several.
ACTION_RANK = {None: 0, ANSWERED: 1, FLAGGED: 2, REDACTED: 3, BLOCKED: 4}
FAIL_CLOSED_RULE = "PG-FAIL-CLOSED"  # X-Pixelguard-Rule of a block without a finding
COMMENT_LIMIT = 300


@dataclass
class Decision:
    action: str | None  # flagged | blocked | redacted, or None: nothing to say about it
    reasons: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)  # rule ids behind a block
    redacted: RedactedRequest | None = None


def not_fully_inspected(inspection: Inspection) -> list[str]:
    return [*inspection.partial, *inspection.undecodable]


def fail_closed_reasons(inspection: Inspection) -> list[str]:
    """Why a known tracker's request cannot be called clean. Unknown third parties send much
    that no decoder reads (images, protobuf); blocking those would break sites for nothing."""
    if inspection.vendor is None:
        return []
    return [f"not fully inspected: {why}" for why in not_fully_inspected(inspection)]


def decide(inspection: Inspection, mode: str, threshold: str, live: bool,
           reinspect: Callable[[CapturedRequest], Inspection]) -> Decision:
    if inspection.first_party or inspection.ignored:
        return Decision(None)
    closed = fail_closed_reasons(inspection)
    if mode == "flag":  # flags whatever the threshold: no need to sort the findings by it
        return _flag(inspection, closed)
    blocking = failing_findings(inspection.findings, threshold)
    if not (blocking or closed):
        return _flag(inspection, closed)
    if not live:
        return _flag(inspection, [*closed, f"not {mode}ed: the flow is not live (read from a file or replayed)"])
    rules = _rule_ids(blocking)
    why = [f"{f.rule_id} ({f.severity}) in {f.chain}" for f in blocking]
    if closed:
        return Decision(BLOCKED, ["fail closed: " + note for note in closed] + why, sorted({FAIL_CLOSED_RULE, *rules}))
    if mode == "block":
        return Decision(BLOCKED, why, rules)
    return _redact(inspection, blocking, threshold, reinspect, rules)


def _flag(inspection: Inspection, reasons: list[str]) -> Decision:
    if not inspection.findings and not reasons:
        return Decision(None)
    return Decision(FLAGGED, reasons)


def _redact(inspection: Inspection, blocking: list[Finding], threshold: str,
            reinspect: Callable[[CapturedRequest], Inspection], rules: list[str]) -> Decision:
    try:
        redacted = redact(inspection.request, blocking)
    except CannotRedact as exc:
        return Decision(BLOCKED, [f"cannot redact: {exc.reason}"], rules)
    except Exception as exc:  # noqa: BLE001 - a redaction bug must block, never forward the leak
        return Decision(BLOCKED, [f"cannot redact: redaction failed ({type(exc).__name__})"], rules)
    again = reinspect(redacted.applied_to(inspection.request))
    left = failing_findings(again.findings, threshold)
    if left or fail_closed_reasons(again):
        # Never forward PHI because redaction missed something: block what is left instead.
        missed = [f"{f.rule_id} in {f.chain}" for f in left] + fail_closed_reasons(again)
        return Decision(BLOCKED, ["redaction left: " + "; ".join(missed)], rules)
    return Decision(REDACTED, [f"removed {line}" for line in redacted.removed], rules, redacted)


def _rule_ids(findings: list[Finding]) -> list[str]:
    return sorted({f.rule_id for f in findings})


def comment_for(findings: list[Finding], vendor: str) -> str:
    """One line for mitmweb's comment column: the worst rule, the vendor, what and where.
    `PG-CANARY-EMAIL Meta Pixel: test-patient:email, condition in query.udff[em], query.cd[x]`"""
    if not findings:
        return ""
    worst = max(findings, key=lambda f: severity_rank(f.severity))
    categories = ", ".join(dict.fromkeys(f.category for f in findings))
    chains = ", ".join(dict.fromkeys(f.chain for f in findings))
    line = f"{worst.rule_id} {worst.vendor}: {categories} in {chains}"
    return line if len(line) <= COMMENT_LIMIT else line[:COMMENT_LIMIT - 1] + "…"


def stronger(first: str | None, second: str | None) -> str | None:
    return first if ACTION_RANK[first] >= ACTION_RANK[second] else second
