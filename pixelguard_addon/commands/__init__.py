"""Subcommands of `pixelguard`: one module each, listed here (no import-time discovery).

A subcommand module has `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`.
"""
from . import baseline, demo, report, scan

COMMANDS = (scan, report, baseline, demo)
