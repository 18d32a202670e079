#!/usr/bin/env python3
"""Rebuild pixelguard_addon/demo/portal-session.har by recording the live demo in Chromium.

The bundled HAR is what `pixelguard demo` replays when no browser is available, so it must be
the portal's own traffic: this runs the browser demo (the portal, mitmdump with pixelguard, a
headless Chromium clicking through it like a patient) and keeps the session HAR it records.
Needs Playwright and a Chromium (see README). Timestamps and ids differ between recordings;
what the requests carry does not.

    .venv/bin/python scripts/make_demo_capture.py [--addon SHIM]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pixelguard_addon.demo import browser, session  # noqa: E402
from pixelguard_addon.demo.patient import demo_policy_path  # noqa: E402

OUT = ROOT / "pixelguard_addon" / "demo" / "portal-session.har"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addon", help="mitmproxy script to load instead of pixelguard's mitm_entry.py")
    args = parser.parse_args()
    missing = browser.browser_unavailable_reason()
    if missing:
        print(f"cannot record: {missing}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="pixelguard-demo-record-") as out:
        result = session.run_session(Path(out), demo_policy_path(), session.BROWSER, addon=args.addon)
        shutil.copyfile(result.files.har, OUT)
    print(f"wrote {OUT} ({result.requests} requests)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
