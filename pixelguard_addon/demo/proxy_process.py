"""Run mitmdump with pixelguard's addon as a subprocess, on an ephemeral loopback port.

A subprocess, not an in-process master: mitmproxy keeps its master in process globals, and
the demo and the end-to-end tests must see the proxy exactly as a user launches it.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

LISTENING = re.compile(r"listening at 127\.0\.0\.1:(\d+)")
# Startup problems mitmdump only logs (it keeps running): a proxy that silently lacks its
# addon would pass everything through, so these stop the start instead.
STARTUP_ERRORS = ("Error loading script", "Addon error", "Error logged during startup", "OptionsError",
                  "Traceback (most recent call last)")
MITMDUMP = "import sys; from mitmproxy.tools.main import mitmdump; sys.exit(mitmdump())"
OptionValue = str | bool | int | list[str]


class ProxyError(RuntimeError):
    """mitmdump did not start, or stopped on its own; the message ends with its log."""


@dataclass
class ProxyProcess:
    """`with ProxyProcess(scripts, options, log_path) as proxy:` → proxy.port, proxy.url."""

    scripts: list[str]
    options: dict[str, OptionValue]
    log_path: Path
    mode: str | None = None  # e.g. "upstream:http://127.0.0.1:9000"
    startup_timeout: float = 30.0
    port: int = 0
    _process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        command = [sys.executable, "-c", MITMDUMP, "--listen-host", "127.0.0.1", "--listen-port", "0"]
        if self.mode:
            command += ["--mode", self.mode]
        for script in self.scripts:
            command += ["-s", script]
        for name, value in self.options.items():
            for item in value if isinstance(value, list) else [value]:
                command += ["--set", f"{name}={_option_text(item)}"]
        return command

    def start(self) -> "ProxyProcess":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        # The log names the URLs the proxy saw (query strings and all): owner-readable only.
        with os.fdopen(os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as log:
            self._process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL, env=_unbuffered_env())
        self.port = self._wait_for_port()
        return self

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            text = self.log()
            problem = next((marker for marker in STARTUP_ERRORS if marker in text), None)
            if problem:
                self.stop()
                raise ProxyError(f"mitmdump failed to start ({problem}):\n{self.log()}")
            found = LISTENING.search(text)
            if found:
                return int(found.group(1))
            if self._process.poll() is not None:
                raise ProxyError(f"mitmdump exited with {self._process.returncode}:\n{text}")
            time.sleep(0.05)
        self.stop()
        raise ProxyError(f"mitmdump did not listen within {self.startup_timeout:.0f} s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self, timeout: float = 15.0) -> int | None:
        """Ctrl-C, as a user would: mitmdump runs its addons' `done` hooks (reports are flushed)."""
        return None if self._process is None else interrupt(self._process, timeout)

    def __enter__(self) -> "ProxyProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def interrupt(process: subprocess.Popen, timeout: float = 15.0) -> int:
    """Stop `process` with Ctrl-C (mitmdump then runs its addons' `done` hooks), killing it if
    it has not exited within `timeout` seconds. Returns its exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def _option_text(value: OptionValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _unbuffered_env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}  # the port line must reach the log at once
