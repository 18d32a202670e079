"""`pixelguard demo`: the quick start's main job, on bundled data."""
from __future__ import annotations

import argparse
import sys
from importlib.resources import files

from .common import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, add_scan_options, run_scan

NAME = "demo"
HELP = "scan the bundled demo capture of a patient portal"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_scan_options(parser)


def run(args: argparse.Namespace) -> int:
    demo = files("pixelguard_addon") / "demo"
    if not args.policy:
        args.policy = str(demo / "policy.toml")
    capture = str(demo / "portal-session.har")
    print(f"pixelguard demo: scanning a recorded patient-portal session\n  capture: {capture}\n"
          f"  policy:  {args.policy}\n")
    code, _ = run_scan(args, [capture])
    if code == EXIT_FINDINGS:  # the demo portal leaks on purpose: finding its leaks is success
        print("\nDemo complete: pixelguard caught the demo portal's leaks (a real scan would exit 1 here).")
        return EXIT_CLEAN
    print("\nDemo FAILED: the demo portal's leaks were not all caught.", file=sys.stderr)
    return EXIT_ERROR if code == EXIT_ERROR else EXIT_FINDINGS
