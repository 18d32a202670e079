"""What a live proxy session has seen: the same record an offline scan keeps, plus what the
proxy did (blocked, redacted…) and the hosts it could not inspect at all (pinned TLS).

No mitmproxy here; the addon feeds it and prints its summary at exit.
"""
from __future__ import annotations

import io
from collections import Counter
from typing import Callable

from .catalog import Vendor
from .engine import Inspection
from .model import CapturedRequest, Finding
from .policy import Policy
from .report.console import render_summary
from .report.grouped import Report, build_report, scan_meta
from .scan import ScanResult, record_inspection
from .thirdparty import site_of

PINNED = "not inspected (client rejected the proxy certificate; pinned?)"


class LiveSession:
    def __init__(self) -> None:
        self.result = ScanResult()
        self.actions: Counter[str] = Counter()
        self.uninspected_hosts: set[str] = set()

    @property
    def findings(self) -> list[Finding]:
        return self.result.findings

    def record(self, inspection: Inspection, on_finding: Callable[[Finding], None] | None = None) -> None:
        record_inspection(self.result, inspection, on_finding)

    def record_action(self, action: str | None) -> None:
        if action:
            self.actions[action] += 1

    def record_uninspected_host(self, host: str, vendor: Vendor | None) -> bool:
        """A host whose traffic the proxy never saw; False if it was already listed."""
        if host in self.uninspected_hosts:
            return False
        self.uninspected_hosts.add(host)
        request = CapturedRequest(method="CONNECT", url=f"https://{host}/")
        self.result.not_inspected.append((Inspection(request, site_of(host), vendor), PINNED))
        return True

    def report(self, threshold: str, policy: Policy) -> Report:
        """The session as a report (HTML, SARIF…): findings so far, what was not inspected."""
        return build_report(self.findings, scan_meta(self.result, threshold, policy))

    def summary(self, threshold: str, mode: str) -> str:
        done = ", ".join(f"{count} {action}" for action, count in sorted(self.actions.items()))
        out = io.StringIO()
        render_summary(self.result, threshold, out,
                       scope=f"live proxy session (mode {mode}{'; ' + done if done else ''})")
        return out.getvalue().rstrip("\n")
