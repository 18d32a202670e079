#!/usr/bin/env python3
"""Set up a virtual environment for pixelguard and run the demo or the tests.

    python3 scripts/dev.py demo     # set up, then watch pixelguard catch a demo portal's leaks
    python3 scripts/dev.py test     # set up, then run the whole test suite (extra args go to pytest)

Needs nothing but python3. The environment lives in .venv/ at the top of the repository and
is reinstalled only when pyproject.toml changes. It includes Playwright (from PyPI), which the
demo and the browser tests use to drive the system's Chromium; without a Chromium the demo
replays a recorded visit instead.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".pixelguard-installed"


def ensure_environment() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"pixelguard: creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("pixelguard: installing pixelguard and its dependencies (first run only)", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if subprocess.run([*pip, "-e", f"{ROOT}[demo,test]"]).returncode != 0:
        # Playwright publishes wheels for the common platforms only; the demo can do without it.
        print("pixelguard: installing the extras failed; installing pixelguard alone", flush=True)
        subprocess.run([*pip, "-e", str(ROOT)], check=True)
        return  # no stamp: try the extras again next time
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ensure_environment()
    if argv[0] == "demo":
        command = [str(BIN / "pixelguard"), "demo", *argv[1:]]
    else:
        command = [str(BIN / "python"), "-m", "pytest", *argv[1:]]
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
