"""`pixelguard` command line. Exit codes: 0 clean, 1 findings at/above the threshold, 2 error."""
from __future__ import annotations

import argparse
import sys
from importlib.resources import files
from pathlib import Path

from .catalog import PatternsError
from .engine import Engine
from .model import SEVERITIES
from .policy import Policy, PolicyError, load_policy
from .report.console import render_summary
from .report.jsonl import JsonlWriter
from .scan import scan_captures

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 too; keep its message, name the tool
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"pixelguard: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pixelguard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    scan = commands.add_parser("scan", help="scan saved captures (HAR, mitmproxy flow files)")
    scan.add_argument("captures", nargs="+", metavar="CAPTURE", help="HAR (.har, .har.gz, .zhar) or mitmproxy flow file")
    _add_common(scan)

    demo = commands.add_parser("demo", help="scan the bundled demo capture of a patient portal")
    _add_common(demo)
    return parser


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--policy", metavar="FILE", help="policy TOML (see patterns/policy.example.toml)")
    parser.add_argument("--jsonl", metavar="FILE", help="write findings as JSON Lines to FILE")
    parser.add_argument("--fail-on", choices=SEVERITIES, default=None,
                        help="exit 1 when a finding is at or above this severity (default: the policy's fail_on, else high)")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "demo":
            return _demo(args)
        return _scan(args, args.captures)
    except (PolicyError, PatternsError) as exc:
        print(f"pixelguard: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"pixelguard: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _scan(args: argparse.Namespace, captures: list[str]) -> int:
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
    return result.exit_code(threshold)


def _demo(args: argparse.Namespace) -> int:
    demo = files("pixelguard_addon") / "demo"
    if not args.policy:
        args.policy = str(demo / "policy.toml")
    capture = str(demo / "portal-session.har")
    print(f"pixelguard demo: scanning a recorded patient-portal session\n  capture: {capture}\n"
          f"  policy:  {args.policy}\n")
    code = _scan(args, [capture])
    if code == EXIT_FINDINGS:  # the demo portal leaks on purpose: finding its leaks is success
        print("\nDemo complete: pixelguard caught the demo portal's leaks (a real scan would exit 1 here).")
        return EXIT_CLEAN
    print("\nDemo FAILED: the demo portal's leaks were not all caught.", file=sys.stderr)
    return EXIT_ERROR if code == EXIT_ERROR else EXIT_FINDINGS


if __name__ == "__main__":
    sys.exit(main())
