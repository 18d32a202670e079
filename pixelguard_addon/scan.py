"""Offline scan: run the engine over saved captures and keep what a report needs."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .capture import CaptureError, CaptureStats, read_capture
from .engine import Engine, Inspection
from .model import Finding, severity_rank


def failing_findings(findings: list[Finding], threshold: str) -> list[Finding]:
    """Findings at or above `threshold`, except those of vendors the policy allows (BAA)."""
    bar = severity_rank(threshold)
    return [f for f in findings if not f.allowed and severity_rank(f.severity) >= bar]


@dataclass
class ScanResult:
    captures: list[str] = field(default_factory=list)
    requests: int = 0
    first_party: int = 0
    third_party: int = 0
    ignored: int = 0
    findings: list[Finding] = field(default_factory=list)
    not_inspected: list[tuple[Inspection, str]] = field(default_factory=list)  # (request, why)
    errors: list[str] = field(default_factory=list)  # captures that could not be read
    skipped: list[str] = field(default_factory=list)  # capture entries that could not be read

    def failing(self, threshold: str) -> list[Finding]:
        return failing_findings(self.findings, threshold)

    def exit_code(self, threshold: str) -> int:
        if self.errors:  # an unreadable capture must never look clean
            return 2
        return 1 if self.failing(threshold) else 0


def scan_captures(engine: Engine, paths: list[str | Path],
                  on_finding: Callable[[Finding], None] | None = None) -> ScanResult:
    result = ScanResult()
    for path in paths:
        result.captures.append(str(path))
        stats = CaptureStats()
        try:
            for request in read_capture(path, stats):
                record_inspection(result, engine.inspect(request), on_finding)
        except CaptureError as exc:
            result.errors.append(str(exc))
        result.skipped.extend(f"{path}: {reason}" for reason in stats.skipped)
    return result


def record_inspection(result: ScanResult, inspection: Inspection,
                      on_finding: Callable[[Finding], None] | None = None) -> None:
    """Count one inspected request into `result` (the offline scan and the live proxy share it)."""
    result.requests += 1
    if inspection.ignored:
        result.ignored += 1
        return
    if inspection.first_party:
        result.first_party += 1
        return
    result.third_party += 1
    for reason in [*inspection.partial, *inspection.undecodable]:
        result.not_inspected.append((inspection, reason))
    for finding in inspection.findings:
        result.findings.append(finding)
        if on_finding:
            on_finding(finding)
