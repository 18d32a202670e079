"""What several subcommands share: exit codes, the policy and threshold options, the scan run."""
from __future__ import annotations

import argparse
import sys

from ..engine import Engine
from ..model import SEVERITIES
from ..policy import Policy, load_policy
from ..report.console import render_summary
from ..report.jsonl import JsonlWriter
from ..scan import ScanResult, scan_captures

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def add_scan_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--policy", metavar="FILE", help="policy TOML (see patterns/policy.example.toml)")
    parser.add_argument("--jsonl", metavar="FILE", help="write findings as JSON Lines to FILE")
    parser.add_argument("--fail-on", choices=SEVERITIES, default=None,
                        help="exit 1 when a finding is at or above this severity "
                             "(default: the policy's fail_on, else high)")


def run_scan(args: argparse.Namespace, captures: list[str]) -> tuple[int, ScanResult]:
    policy = load_policy(args.policy) if args.policy else Policy()
    threshold = args.fail_on or policy.fail_on
    engine = Engine(policy)
    writer = JsonlWriter(args.jsonl) if args.jsonl else None
    try:
        result = scan_captures(engine, captures, on_finding=writer.write if writer else None)
    finally:
        if writer:
            writer.close()
    render_summary(result, threshold, sys.stdout)
    if writer:
        print(f"findings written to {writer.path}")
    return result.exit_code(threshold), result
