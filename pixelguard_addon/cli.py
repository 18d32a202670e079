"""`pixelguard` command line. Exit codes: 0 clean, 1 findings at/above the threshold, 2 error."""
from __future__ import annotations

import argparse
import sys

from .catalog import PatternsError
from .commands import COMMANDS
from .commands.common import EXIT_ERROR
from .policy import PolicyError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 too; keep its message, name the tool
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"pixelguard: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pixelguard", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        command.add_arguments(subparsers.add_parser(command.NAME, help=command.HELP, description=command.__doc__))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    command = next(c for c in COMMANDS if c.NAME == args.command)
    if extra and not getattr(command, "ACCEPTS_EXTRA_ARGS", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra_args = extra
    try:
        return command.run(args)
    except (PolicyError, PatternsError, OSError) as exc:
        print(f"pixelguard: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
