"""`pixelguard addon-path`: where the mitmproxy script is, for `mitmdump -s` / `mitmweb -s`.

    mitmweb -s "$(pixelguard addon-path)" --set pixelguard_mode=flag
"""
from __future__ import annotations

import argparse
from importlib.resources import files

from .common import EXIT_CLEAN

NAME = "addon-path"
HELP = "print the path of the mitmproxy addon script (for mitmdump/mitmweb -s)"


def shim_path() -> str:
    return str(files("pixelguard_addon") / "mitm_entry.py")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    print(shim_path())
    return EXIT_CLEAN
