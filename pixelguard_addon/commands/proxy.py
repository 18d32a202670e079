"""`pixelguard proxy`: mitmdump (or mitmweb with --web) with pixelguard loaded.

    pixelguard proxy --mode block --policy policy.toml --listen-port 8080 [mitmproxy args…]

Arguments pixelguard does not know go to mitmproxy unchanged (`--set save_stream_file=x`,
`-q`, `--web-port 8082`). mitmproxy's own `--mode` is taken by pixelguard's; set the proxy
mode with `--set mode=wireguard`. The policy is checked before mitmproxy starts, so a broken
one exits 2 with the file, line and key instead of a proxy that runs without its addon.
"""
from __future__ import annotations

import argparse
import importlib

from ..policy import MODES, load_policy
from ..proxy_settings import BLOCK_RESPONSES
from .addon_path import shim_path
from .common import EXIT_CLEAN

NAME = "proxy"
HELP = "run the live proxy (mitmdump, or mitmweb with --web) with the pixelguard addon"
ACCEPTS_EXTRA_ARGS = True  # unknown arguments are mitmproxy's


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.allow_abbrev = False  # "--web-port" and friends are mitmproxy's, not abbreviations of ours
    parser.add_argument("--mode", choices=MODES, default=None,
                        help="flag (default: the policy's mode, else flag), block or redact")
    parser.add_argument("--web", action="store_true", help="run mitmweb (browser UI) instead of mitmdump")
    parser.add_argument("--policy", metavar="FILE", help="policy TOML (see patterns/policy.example.toml)")
    parser.add_argument("--listen-port", type=int, metavar="N", help="proxy port (mitmproxy's default: 8080)")
    parser.add_argument("--report", metavar="FILE", help="write findings to FILE (JSON Lines) as they happen")
    parser.add_argument("--html", metavar="FILE", help="write a self-contained HTML report to FILE when the proxy stops")
    parser.add_argument("--block-response", choices=BLOCK_RESPONSES, default=None,
                        help="how blocked requests are answered (default 403)")


def mitmproxy_args(args: argparse.Namespace, policy_mode: str = "flag") -> list[str]:
    """The argument list for mitmdump/mitmweb.

    In block and redact mode the upstream connection is made lazily (after the request has
    been inspected) unless the user chose otherwise: with mitmproxy's default (eager), the
    proxy opens the connection to the vendor at CONNECT time, before pixelguard has seen
    anything, and on an egress path without internet the CONNECT fails before inspection.
    """
    extra = list(getattr(args, "extra_args", []))
    argv = ["-s", shim_path()]
    for option, value in (("pixelguard_mode", args.mode), ("pixelguard_policy", args.policy),
                          ("pixelguard_report", args.report), ("pixelguard_html", args.html),
                          ("pixelguard_block_response", args.block_response)):
        if value:
            argv += ["--set", f"{option}={value}"]
    if args.listen_port is not None:
        argv += ["--listen-port", str(args.listen_port)]
    if (args.mode or policy_mode) in ("block", "redact") and not any("connection_strategy" in a for a in extra):
        argv += ["--set", "connection_strategy=lazy"]
    return argv + extra


def run(args: argparse.Namespace) -> int:
    policy_mode = load_policy(args.policy).mode if args.policy else "flag"  # PolicyError → exit 2
    importlib.import_module("pixelguard_addon.mitm_entry")  # the addon must load, or nothing is guarded
    from mitmproxy.tools.main import mitmdump, mitmweb

    try:
        (mitmweb if args.web else mitmdump)(mitmproxy_args(args, policy_mode))
    except SystemExit as exc:  # mitmproxy exits 1 on start-up errors
        return exc.code if isinstance(exc.code, int) else 1
    return EXIT_CLEAN
