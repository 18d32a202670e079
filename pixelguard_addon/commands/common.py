"""What several subcommands share: exit codes, the policy and threshold options, the scan run."""
from __future__ import annotations

import argparse
import sys

from ..engine import Engine
from ..model import SEVERITIES
from ..policy import Policy, load_policy
from ..report.console import render_summary
from ..report.grouped import build_report, scan_meta
from ..report.jsonl import JsonlWriter
from ..scan import ScanResult, scan_captures
from .outputs import add_output_options, read_baseline, write_outputs

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def add_scan_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--policy", metavar="FILE", help="policy TOML (see patterns/policy.example.toml)")
    parser.add_argument("--jsonl", metavar="FILE", help="write findings as JSON Lines to FILE")
    parser.add_argument("--fail-on", choices=SEVERITIES, default=None,
                        help="exit 1 when a finding is at or above this severity "
                             "(default: the policy's fail_on, else high)")
    add_output_options(parser, "--summary-json")
    add_gate_options(parser)
    parser.add_argument("--reveal-evidence", action="store_true",
                        help="put raw field values in the reports (only for your own test patient; "
                             "every report then carries a warning)")


def add_gate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--exit-zero", action="store_true",
                        help="report only: exit 0 even when findings are at or above the threshold "
                             "(errors still exit 2)")


def gate(args: argparse.Namespace, code: int) -> int:
    """--exit-zero turns a findings failure into success; an error stays an error."""
    return EXIT_CLEAN if getattr(args, "exit_zero", False) and code == EXIT_FINDINGS else code


def run_scan(args: argparse.Namespace, captures: list[str]) -> tuple[int, ScanResult]:
    policy = load_policy(args.policy) if args.policy else Policy()
    threshold = args.fail_on or policy.fail_on
    baseline = read_baseline(args)  # before the scan: a broken baseline stops the run at once
    engine = Engine(policy, reveal_evidence=args.reveal_evidence)
    writer = JsonlWriter(args.jsonl) if args.jsonl else None
    try:
        result = scan_captures(engine, captures, on_finding=writer.write if writer else None)
    finally:
        if writer:
            writer.close()
    report = build_report(result.findings, scan_meta(result, threshold, policy, reveal_evidence=args.reveal_evidence),
                          baseline)
    render_summary(result, threshold, sys.stdout, report)
    if writer:
        print(f"findings written to {writer.path}")
    write_outputs(args, report)
    return report.exit_code, result
