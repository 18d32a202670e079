"""`pixelguard demo`: the quick start's main job, live.

Starts the bundled patient portal on loopback and mitmdump with pixelguard in front of it,
then a headless Chromium visits the portal through the proxy like a patient. Without a
browser, the recorded visit (the bundled HAR) is replayed through the same proxy instead.
`--offline` only scans the bundled HAR, without a proxy. Exit 0 when every leak planted in
the portal was caught.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine import Engine
from ..model import Finding
from ..policy import Policy, load_policy
from ..report.console import render_summary
from ..report.jsonl import read_jsonl
from ..scan import ScanResult, scan_captures
from .common import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS

if TYPE_CHECKING:
    from ..demo.session import SessionResult

NAME = "demo"
HELP = "watch pixelguard catch a demo patient portal's leaks, live in Chromium"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--policy", metavar="FILE", help="policy TOML (default: the demo's own)")
    parser.add_argument("--out", metavar="DIR", default="pixelguard-demo",
                        help="where the report, the session HAR and the proxy log go (default: %(default)s)")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--replay", action="store_true",
                     help="replay the recorded visit through the proxy instead of driving Chromium")
    how.add_argument("--offline", action="store_true",
                     help="only scan the recorded visit (HAR), without starting the proxy")


def run(args: argparse.Namespace) -> int:
    from ..demo import browser, session
    from ..demo.patient import demo_policy_path
    from ..demo.proxy_process import ProxyError

    policy_path = args.policy or demo_policy_path()
    policy = load_policy(policy_path)  # a broken policy fails here, before anything starts
    if args.offline:
        return _offline(policy, policy_path)
    driver = session.REPLAY if args.replay else session.BROWSER
    missing = None if args.replay else browser.browser_unavailable_reason()
    if missing:
        print(f"pixelguard demo: no browser to drive: {missing}.\n"
              f"  Replaying the recorded visit through the same proxy instead.\n")
        driver = session.REPLAY
    print("pixelguard demo: a patient visits the Mercy Valley Health portal through pixelguard")
    try:
        result = session.run_session(Path(args.out).resolve(), policy_path, driver)
    except ProxyError as exc:
        print(f"pixelguard demo: the proxy did not run: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except browser.VisitFailed as exc:
        log = Path(args.out).resolve() / "mitmdump.log"
        print(f"pixelguard demo: {exc}\n  proxy log: {log}", file=sys.stderr)
        return EXIT_ERROR
    return _report(result, policy)


def _report(result: "SessionResult", policy: Policy) -> int:
    paths = result.files
    findings = read_jsonl(paths.report) if paths.report.exists() else []
    summary = ScanResult(captures=[str(paths.har)], requests=result.requests, first_party=result.first_party,
                         third_party=result.requests - result.first_party, findings=findings)
    print()
    how = "Chromium" if result.driver == "browser" else "the recorded visit, replayed"
    render_summary(summary, policy.fail_on, sys.stdout, scope=f"live proxy session ({how})")
    for failure in result.replay_failures:
        print(f"  replay: no answer for {failure}")
    code = _verdict(findings)
    if paths.html.exists():
        print(f"\nReport for people (HTML, open it in a browser): {paths.html}", end="")
    print(f"\nReport (JSON Lines, values masked): {paths.report}\n"
          f"Session as HAR: {paths.har}\nSession as flows (mitmweb -r): {paths.flows}\n"
          f"Proxy log: {paths.proxy_log}")
    return code


def _offline(policy: Policy, policy_path: str) -> int:
    from ..demo.session import bundled_capture

    capture = bundled_capture()
    print(f"pixelguard demo: scanning the recorded visit without a proxy\n  capture: {capture}\n"
          f"  policy:  {policy_path}\n")
    result = scan_captures(Engine(policy), [capture])
    render_summary(result, policy.fail_on, sys.stdout)
    return EXIT_ERROR if result.errors else _verdict(result.findings)


def _verdict(findings: list[Finding]) -> int:
    from ..demo.leaks import PLANTED_LEAKS, false_alarms, missed_leaks

    missed, noisy = missed_leaks(findings), false_alarms(findings)
    print(f"\nPlanted leaks caught: {len(PLANTED_LEAKS) - len(missed)} of {len(PLANTED_LEAKS)}")
    for leak in PLANTED_LEAKS:
        print(f"  {'MISSED' if leak in missed else 'caught'}  {leak.what}")
    for finding in noisy:
        print(f"  FALSE ALARM on a benign page: {finding.rule_id} {finding.vendor} {finding.chain}")
    if missed or noisy:
        print("\nDemo FAILED: pixelguard did not report exactly the portal's planted leaks.", file=sys.stderr)
        return EXIT_FINDINGS
    print("\nDemo complete: pixelguard caught every leak planted in the demo portal "
          "(a real scan would exit 1 on these findings).")
    return EXIT_CLEAN
