"""Subcommands of `pixelguard`: one module each, listed here (no import-time discovery).

A subcommand module has `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`; one
with `ACCEPTS_EXTRA_ARGS = True` gets the arguments it does not know in `args.extra_args`.
"""
from . import addon_path, baseline, demo, proxy, report, scan

COMMANDS = (scan, report, baseline, demo, proxy, addon_path)
