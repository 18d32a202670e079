"""`pixelguard scan CAPTURE...`: the offline scan of saved captures."""
from __future__ import annotations

import argparse

from .common import add_scan_options, gate, run_scan

NAME = "scan"
HELP = "scan saved captures (HAR, mitmproxy flow files)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("captures", nargs="+", metavar="CAPTURE",
                        help="HAR (.har, .har.gz, .zhar) or mitmproxy flow file")
    add_scan_options(parser)


def run(args: argparse.Namespace) -> int:
    code, _ = run_scan(args, args.captures)
    return gate(args, code)
