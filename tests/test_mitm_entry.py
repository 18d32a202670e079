"""The -s shim: loaded by mitmproxy's script loader in-process, and by a real mitmdump.

The mitmdump test runs a subprocess: mitmproxy keeps its master in process globals, so a
live proxy must not share a process with the taddons tests.
"""
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from mitmproxy import hooks, http
from mitmproxy.test import taddons, tflow

import pixelguard_addon
from pixelguard_addon.commands.addon_path import shim_path
from pixelguard_addon.demo.proxy_process import interrupt
from pixelguard_addon.report.jsonl import read_jsonl

LISTENING = re.compile(r"HTTP\(S\) proxy listening at 127\.0\.0\.1:(\d+)")
TRACKER = "http://www.facebook.com/tr/?id=1&ev=Lead&cd[buttonText]=HIV%20test"


def test_shim_loads_through_the_script_loader():
    with taddons.context() as tctx:
        module = tctx.script(shim_path())
        (addon,) = module.addons
        assert type(addon).__name__ == "PixelGuard" and addon.settings.mode == "flag"  # configured on load
        flagged = tflow.tflow(req=http.Request.make("GET", TRACKER))
        addon.request(flagged)
        assert flagged.marked == ":warning:" and flagged.response is None
        # An option change reaches the script's addons as mitmproxy's script loader passes it on.
        tctx.options.update(pixelguard_mode="block")
        tctx.master.addons.invoke_addon_sync(module, hooks.ConfigureHook({"pixelguard_mode"}))
        blocked = tflow.tflow(req=http.Request.make("GET", TRACKER))
        addon.request(blocked)
        assert blocked.response.status_code == 403


class _Recorder(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        _Recorder.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def first_party_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _mitmdump() -> list[str]:
    beside = Path(sys.executable).with_name("mitmdump")
    if beside.exists():
        return [str(beside)]
    return [sys.executable, "-c", "import sys; from mitmproxy.tools.main import mitmdump; sys.exit(mitmdump())"]


def _wait_for_port(process: subprocess.Popen, log: Path, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = LISTENING.search(log.read_text(errors="replace"))
        if found:
            return int(found.group(1))
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"mitmdump did not start:\n{log.read_text(errors='replace')}")


def test_real_mitmdump_blocks_the_tracker_and_forwards_first_party(tmp_path, first_party_server, monkeypatch):
    for name in ("no_proxy", "NO_PROXY"):  # urllib would skip the proxy for 127.0.0.1
        monkeypatch.delenv(name, raising=False)
    report, log = tmp_path / "findings.jsonl", tmp_path / "mitmdump.log"
    package_root = str(Path(pixelguard_addon.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    command = [*_mitmdump(), "-s", shim_path(), "--listen-host", "127.0.0.1", "--listen-port", "0",
               "--set", f"confdir={tmp_path / 'mitmproxy'}", "--set", "connection_strategy=lazy",
               "--set", "pixelguard_mode=block", "--set", "pixelguard_first_party=127.0.0.1",
               "--set", f"pixelguard_report={report}"]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    try:
        port = _wait_for_port(process, log)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": f"http://127.0.0.1:{port}"}))
        with pytest.raises(urllib.error.HTTPError) as blocked:
            opener.open(TRACKER, timeout=20)
        assert blocked.value.code == 403
        assert blocked.value.headers["X-Pixelguard-Rule"] == "PG-PHI-CONDITION"
        assert json.loads(blocked.value.read())["blocked_by"] == "pixelguard"
        local = f"http://127.0.0.1:{first_party_server.server_port}/appointments?reason=HIV%20test"
        with opener.open(local, timeout=20) as answer:
            assert answer.status == 200 and answer.read() == b"ok"
        assert _Recorder.seen == ["/appointments?reason=HIV%20test"]
        assert [f.rule_id for f in read_jsonl(report)] == ["PG-PHI-CONDITION"]  # streamed, before exit
    finally:
        interrupt(process, timeout=20)
    text = log.read_text(errors="replace")
    assert process.returncode == 0, text
    assert "pixelguard: mode=block (from pixelguard_mode)" in text
    assert "pixelguard blocked: GET http://www.facebook.com/tr/" in text
    assert "live proxy session (mode block; 1 blocked), 2 request(s): 1 third-party, 1 first-party" in text
