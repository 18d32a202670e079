import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import pixelguard_addon
from pixelguard_addon.cli import build_parser, main
from pixelguard_addon.commands.addon_path import shim_path
from pixelguard_addon.commands.proxy import mitmproxy_args
from pixelguard_addon.demo.proxy_process import interrupt


@pytest.fixture
def launched(monkeypatch):
    """Stand-ins for mitmdump/mitmweb that record their arguments (the real one runs below)."""
    import mitmproxy.tools.main as tools

    calls = []
    monkeypatch.setattr(tools, "mitmdump", lambda argv: calls.append(("mitmdump", argv)))
    monkeypatch.setattr(tools, "mitmweb", lambda argv: calls.append(("mitmweb", argv)))
    return calls


def parsed(argv):
    args, extra = build_parser().parse_known_args(argv)
    args.extra_args = extra
    return args


def test_unknown_mode_exits_2_with_a_clear_message(capsys, launched):
    with pytest.raises(SystemExit) as stopped:
        main(["proxy", "--mode", "nope"])
    assert stopped.value.code == 2 and launched == []
    assert "argument --mode: invalid choice: 'nope' (choose from 'flag', 'block', 'redact')" in capsys.readouterr().err


def test_broken_policy_exits_2_before_mitmproxy_starts(tmp_path, capsys, launched):
    policy = tmp_path / "p.toml"
    policy.write_text('schema_version = 1\n[policy]\nmode = "loud"\n', encoding="utf-8")
    assert main(["proxy", "--policy", str(policy)]) == 2
    assert f"{policy}:3: policy.mode: must be one of" in capsys.readouterr().err
    assert launched == []


def test_arguments_become_options_and_the_rest_goes_to_mitmproxy():
    args = parsed(["proxy", "--mode", "block", "--policy", "p.toml", "--listen-port", "8081", "--report", "r.jsonl",
                   "--html", "r.html", "--set", "connection_strategy=lazy", "-q", "--web-port", "8082"])
    assert mitmproxy_args(args) == [
        "-s", shim_path(), "--set", "pixelguard_mode=block", "--set", "pixelguard_policy=p.toml",
        "--set", "pixelguard_report=r.jsonl", "--set", "pixelguard_html=r.html", "--listen-port", "8081",
        "--set", "connection_strategy=lazy", "-q", "--web-port", "8082"]


def test_mode_is_left_to_the_policy_when_not_given():
    assert mitmproxy_args(parsed(["proxy"])) == ["-s", shim_path()]


def test_web_runs_mitmweb(launched):
    assert main(["proxy", "--web", "--mode", "redact"]) == 0
    assert launched == [("mitmweb", ["-s", shim_path(), "--set", "pixelguard_mode=redact",
                                     "--set", "connection_strategy=lazy"])]


@pytest.mark.parametrize("argv,policy_mode,lazy", [
    (["proxy", "--mode", "block"], "flag", True),
    (["proxy"], "redact", True),  # the policy's mode counts when --mode is not given
    (["proxy", "--mode", "flag"], "block", False),
    (["proxy"], "flag", False),
    (["proxy", "--mode", "block", "--set", "connection_strategy=eager"], "flag", False),  # the user's choice stands
])
def test_blocking_modes_connect_upstream_only_after_inspection(argv, policy_mode, lazy):
    assert ("connection_strategy=lazy" in mitmproxy_args(parsed(argv), policy_mode)) is lazy


def test_mitmproxy_start_up_failure_is_the_exit_code(monkeypatch):
    import mitmproxy.tools.main as tools

    def fails(argv):
        raise SystemExit(1)

    monkeypatch.setattr(tools, "mitmdump", fails)
    assert main(["proxy"]) == 1


def test_other_commands_still_refuse_unknown_arguments(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["scan", "x.har", "--set", "a=b"])
    assert stopped.value.code == 2 and "unrecognized arguments: --set a=b" in capsys.readouterr().err


def test_proxy_command_starts_a_real_mitmdump_and_prints_the_summary_at_exit(tmp_path):
    package_root = str(Path(pixelguard_addon.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    log = tmp_path / "proxy.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "pixelguard_addon.cli", "proxy", "--mode", "redact", "--listen-port", "0",
             "--listen-host", "127.0.0.1", "--set", f"confdir={tmp_path / 'mitmproxy'}"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 30
        while "pixelguard: mode=" not in log.read_text() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        interrupt(process, timeout=20)
    text = log.read_text()
    assert process.returncode == 0, text
    assert re.search(r"HTTP\(S\) proxy listening at 127\.0\.0\.1:\d+", text)
    assert "pixelguard: mode=redact (from pixelguard_mode)" in text
    assert "pixelguard: live proxy session (mode redact), 0 request(s)" in text
