#!/usr/bin/env python3
"""Detection quality on the labelled evaluation set (tests/eval/): recall and precision per
category, and against the targets. Exits 1 when a target is missed.

    python scripts/evaluate.py            # summary, misses and false findings
    python scripts/evaluate.py --quiet    # summary only

Each tests/eval/cases/*.json holds requests as trackers send them, each labelled with the finding
categories it must give (`expect`, empty for a benign request). The requests of a file go, in
order, through one engine with tests/eval/policy.toml (a first-party request can mark a session
for the requests after it). A category found but not expected is a false finding; expected but
not found, a miss. Targets (issue 5): recall >= 95% on conditions and identifiers, >= 99% on
test-patient canaries, precision >= 95% overall, and no finding at all on first-party requests.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pixelguard_addon.engine import Engine  # noqa: E402
from pixelguard_addon.model import CapturedRequest  # noqa: E402
from pixelguard_addon.policy import load_policy  # noqa: E402

EVAL = ROOT / "tests" / "eval"
GROUPS = {  # target group → which categories count towards it
    "conditions": lambda c: c in ("condition", "context:health-page"),
    "identifiers": lambda c: c.startswith("identifier:"),
    "canaries": lambda c: c.startswith("test-patient:"),
    "page context": lambda c: c in ("context:authenticated-page", "context:entry-page"),
}
RECALL_TARGETS = {"conditions": 0.95, "identifiers": 0.95, "canaries": 0.99}
PRECISION_TARGET = 0.95
REQUEST_KEYS = {"name", "method", "url", "page_url", "headers", "body", "json", "expect", "note"}


class CaseError(Exception):
    """A case file that cannot be evaluated: named with the file and the request."""


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None


@dataclass
class Report:
    per_category: dict[str, Counts] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    first_party_findings: list[str] = field(default_factory=list)
    requests: int = 0
    benign: int = 0
    labelled: int = 0  # requests that must give a finding

    def count(self, category: str) -> Counts:
        return self.per_category.setdefault(category, Counts())

    def group(self, name: str) -> Counts:
        total = Counts()
        for category, counts in self.per_category.items():
            if GROUPS[name](category):
                total.tp, total.fp, total.fn = total.tp + counts.tp, total.fp + counts.fp, total.fn + counts.fn
        return total

    def overall(self) -> Counts:
        return Counts(sum(c.tp for c in self.per_category.values()), sum(c.fp for c in self.per_category.values()),
                      sum(c.fn for c in self.per_category.values()))

    def failures(self) -> list[str]:
        problems = []
        for name, target in RECALL_TARGETS.items():
            recall = self.group(name).recall
            if recall is None or recall < target:
                problems.append(f"recall on {name} {_pct(recall)} < {target:.0%}")
        precision = self.overall().precision
        if precision is None or precision < PRECISION_TARGET:
            problems.append(f"overall precision {_pct(precision)} < {PRECISION_TARGET:.0%}")
        if self.first_party_findings:
            problems.append(f"{len(self.first_party_findings)} finding(s) on first-party requests")
        return problems


def to_request(item: dict, source: str, index: int) -> CapturedRequest:
    unknown = set(item) - REQUEST_KEYS
    if unknown or not isinstance(item.get("url"), str) or not isinstance(item.get("expect"), list):
        raise CaseError(f"{source} request #{index}: needs url and expect (unknown keys: {sorted(unknown)})")
    body = item.get("body", "")
    if "json" in item:
        body = json.dumps(item["json"])
    headers = tuple((str(k), str(v)) for k, v in item.get("headers", []))
    return CapturedRequest(method=item.get("method", "GET"), url=item["url"], headers=headers,
                           body=body.encode("utf-8"), page_url=item.get("page_url"), source=source, index=index)


def evaluate(cases: Path = EVAL / "cases", policy_path: Path = EVAL / "policy.toml") -> Report:
    policy = load_policy(policy_path)
    report = Report()
    for path in sorted(Path(cases).glob("*.json")):
        try:
            items = json.loads(path.read_text(encoding="utf-8"))["requests"]
        except (OSError, ValueError, KeyError) as exc:
            raise CaseError(f"{path}: not a case file ({exc})") from exc
        engine = Engine(policy)  # one engine per file: its requests are one browsing session
        for index, item in enumerate(items):
            _score(report, engine, item, path.name, index)
    return report


def _score(report: Report, engine: Engine, item: dict, source: str, index: int) -> None:
    inspection = engine.inspect(to_request(item, source, index))
    expected = set(item["expect"])
    found = {finding.category for finding in inspection.findings}
    where = f"{source} #{index} {item.get('name', '')!r}"
    report.requests += 1
    report.benign += not expected
    report.labelled += bool(expected)
    if inspection.first_party and inspection.findings:
        report.first_party_findings.append(where)
    for category in expected | found:
        counts = report.count(category)
        if category in expected and category in found:
            counts.tp += 1
        elif category in expected:
            counts.fn += 1
            report.misses.append(f"{where}: {category}")
        else:
            counts.fp += 1
            finding = next(f for f in inspection.findings if f.category == category)
            report.false.append(f"{where}: {category} (term {finding.term!r} at {finding.chain})")


def _pct(value: float | None) -> str:
    return "  n/a " if value is None else f"{value * 100:5.1f}%"


def render(report: Report, quiet: bool = False) -> str:
    lines = [f"evaluation set: {report.requests} requests ({report.labelled} with PHI, {report.benign} benign)", "",
             f"{'category':32} {'TP':>4} {'FP':>4} {'FN':>4} {'recall':>7} {'precision':>9}"]
    for category in sorted(report.per_category):
        c = report.per_category[category]
        lines.append(f"{category:32} {c.tp:4} {c.fp:4} {c.fn:4} {_pct(c.recall):>7} {_pct(c.precision):>9}")
    lines.append("")
    for name in GROUPS:
        c = report.group(name)
        target = f" (target recall {RECALL_TARGETS[name]:.0%})" if name in RECALL_TARGETS else ""
        lines.append(f"{name:32} recall {_pct(c.recall)}  precision {_pct(c.precision)}{target}")
    overall = report.overall()
    lines.append(f"{'overall':32} recall {_pct(overall.recall)}  precision {_pct(overall.precision)}"
                 f" (target precision {PRECISION_TARGET:.0%})")
    lines.append(f"{'first-party requests with findings':32} {len(report.first_party_findings)} (target 0)")
    if not quiet:
        for title, items in (("misses", report.misses), ("false findings", report.false),
                             ("first-party findings", report.first_party_findings)):
            if items:
                lines += ["", f"{title}:", *(f"  {item}" for item in items)]
    failures = report.failures()
    lines += ["", "FAILED: " + "; ".join(failures) if failures else "all targets met"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=EVAL / "cases", help="folder of case files (*.json)")
    parser.add_argument("--policy", type=Path, default=EVAL / "policy.toml", help="policy for the cases")
    parser.add_argument("--quiet", action="store_true", help="print the summary only")
    args = parser.parse_args(argv)
    try:
        report = evaluate(args.cases, args.policy)
    except CaseError as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2
    print(render(report, args.quiet))
    return 1 if report.failures() else 0


if __name__ == "__main__":
    sys.exit(main())
