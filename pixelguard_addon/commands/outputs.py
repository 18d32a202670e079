"""Report-file options shared by `scan`, `demo` and `report`: which files to write, the baseline."""
from __future__ import annotations

import argparse

from ..baseline import Baseline, load_baseline
from ..report.formats import write_report
from ..report.grouped import Report

LABELS = {"html": "HTML report", "sarif": "SARIF", "junit": "JUnit XML", "summary": "JSON summary"}


def add_output_options(parser: argparse.ArgumentParser, summary_flag: str) -> None:
    """`summary_flag` names the JSON summary option (`--summary-json` next to scan's `--jsonl`)."""
    parser.add_argument("--html", metavar="FILE", help="write a self-contained HTML report to FILE")
    parser.add_argument("--sarif", metavar="FILE", help="write SARIF 2.1.0 (GitHub code scanning) to FILE")
    parser.add_argument("--junit", metavar="FILE", help="write JUnit XML (one test case per vendor and page) to FILE")
    parser.add_argument(summary_flag, dest="summary", metavar="FILE", help="write a JSON summary to FILE")
    parser.add_argument("--baseline", metavar="FILE",
                        help="accepted findings (pixelguard baseline create): reported as suppressed, not failing")


def read_baseline(args: argparse.Namespace) -> Baseline | None:
    return load_baseline(args.baseline) if args.baseline else None


def write_outputs(args: argparse.Namespace, report: Report) -> None:
    for format_name, label in LABELS.items():
        path = getattr(args, format_name)
        if path:
            write_report(report, format_name, path)
            print(f"{label} written to {path}")
