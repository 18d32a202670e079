"""`pixelguard baseline create CAPTURE...`: accept today's findings so CI fails only on new ones."""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path

from ..baseline import DEFAULT_PATH, DEFAULT_REASON, create_baseline, dump_baseline, load_baseline, parse_expiry
from ..engine import Engine
from ..policy import Policy, load_policy
from ..scan import scan_captures
from .common import EXIT_CLEAN, EXIT_ERROR

NAME = "baseline"
HELP = "create a baseline of accepted findings (pixelguard baseline create CAPTURE...)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="baseline_action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="scan captures and accept every finding in them",
                                description=__doc__)
    create.add_argument("captures", nargs="+", metavar="CAPTURE", help="HAR or mitmproxy flow file")
    create.add_argument("--policy", metavar="FILE", help="policy TOML (the same one CI scans with)")
    create.add_argument("--output", "-o", metavar="FILE", default=DEFAULT_PATH,
                        help=f"baseline file (default {DEFAULT_PATH}); entries already in it are kept")
    create.add_argument("--reason", default=DEFAULT_REASON, help="why these findings are accepted")
    create.add_argument("--owner", default=None, help="who answers for them (default: your user name)")
    create.add_argument("--expires", type=_future_date, metavar="YYYY-MM-DD",
                        help="the last day the entries suppress; after it the findings fail again")


def run(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy) if args.policy else Policy()
    result = scan_captures(Engine(policy), args.captures)
    if result.errors:  # a baseline from a capture that could not be read would accept too little
        for error in result.errors:
            print(f"pixelguard: {error}", file=sys.stderr)
        print("pixelguard: baseline not written", file=sys.stderr)
        return EXIT_ERROR
    output = Path(args.output)
    existing = load_baseline(output) if output.exists() else None
    baseline = create_baseline(result.findings, args.reason.strip() or DEFAULT_REASON, _owner(args.owner),
                               args.expires, existing, source=str(output))
    output.write_text(dump_baseline(baseline), encoding="utf-8")  # no PHI in it: meant to be committed
    kept = len(existing.entries) if existing else 0
    print(f"pixelguard: baseline {output}: {len(baseline.entries)} entr{'y' if len(baseline.entries) == 1 else 'ies'}"
          f" ({len(baseline.entries) - kept} new, {kept} kept) from {len(result.findings)} finding(s)")
    return EXIT_CLEAN


def _owner(owner: str | None) -> str:
    if owner and owner.strip():
        return owner.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in this environment
        return "unknown"


def _future_date(text: str) -> dt.date:
    try:
        date = parse_expiry(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if date < dt.date.today():
        raise argparse.ArgumentTypeError(f"{text} is in the past: these entries would never suppress anything")
    return date
