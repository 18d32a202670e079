"""`pixelguard report FINDINGS.jsonl`: turn a JSON Lines file (from a scan or a proxy session)
into HTML, SARIF, JUnit or a JSON summary, and gate on it like a scan."""
from __future__ import annotations

import argparse
import sys

from ..model import SEVERITIES
from ..report.grouped import ReportMeta, build_report
from ..report.jsonl import read_jsonl
from .common import EXIT_ERROR, add_gate_options, gate
from .outputs import add_output_options, read_baseline, write_outputs

NAME = "report"
HELP = "write HTML/SARIF/JUnit/JSON reports from a JSON Lines findings file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("findings", metavar="FINDINGS.jsonl", help="JSON Lines written by --jsonl or the proxy")
    add_output_options(parser, "--json")
    parser.add_argument("--fail-on", choices=SEVERITIES, default="high",
                        help="exit 1 when a finding is at or above this severity (default: high)")
    add_gate_options(parser)


def run(args: argparse.Namespace) -> int:
    baseline = read_baseline(args)
    try:
        findings = read_jsonl(args.findings)
    except ValueError as exc:  # a line that is not a finding: say which, write nothing
        print(f"pixelguard: {exc}", file=sys.stderr)
        return EXIT_ERROR
    captures = tuple(sorted({finding.source for finding in findings}))
    report = build_report(findings, ReportMeta(threshold=args.fail_on, captures=captures), baseline)
    print(f"pixelguard: {len(findings)} finding(s) from {args.findings} — {report.headline()}")
    write_outputs(args, report)
    return gate(args, report.exit_code)
