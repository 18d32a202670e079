"""TEMPORARY stand-in for pixelguard_addon.addon.PixelGuard (being built on another branch).
Only the e2e harness loads it, and only while the real addon is missing. Delete on merge."""
import json
from collections.abc import Sequence

from mitmproxy import ctx, http

from pixelguard_addon.engine import Engine
from pixelguard_addon.model import CapturedRequest
from pixelguard_addon.policy import Policy, load_policy
from pixelguard_addon.report.jsonl import JsonlWriter


class PixelGuard:
    def __init__(self):
        self.engine = None
        self.writer = None

    def load(self, loader):
        loader.add_option("pixelguard_mode", str, "flag", "")
        loader.add_option("pixelguard_policy", str | None, None, "")
        loader.add_option("pixelguard_report", str | None, None, "")
        loader.add_option("pixelguard_block_response", str, "403", "")
        loader.add_option("pixelguard_first_party", Sequence[str], [], "")
        loader.add_option("pixelguard_answer_third_party", bool, False, "")

    def configure(self, updated):
        policy = load_policy(ctx.options.pixelguard_policy) if ctx.options.pixelguard_policy else Policy()
        self.engine = Engine(policy)
        if ctx.options.pixelguard_report and self.writer is None:
            self.writer = JsonlWriter(ctx.options.pixelguard_report)

    def request(self, flow: http.HTTPFlow):
        if flow.response or flow.error:
            return
        req = flow.request
        inspection = self.engine.inspect(CapturedRequest(
            method=req.method, url=req.pretty_url, headers=tuple((k, v) for k, v in req.headers.items(multi=True)),
            body=req.raw_content or b""))
        if inspection.first_party:
            return
        action = "flagged"
        mode = ctx.options.pixelguard_mode
        incomplete = not inspection.fully_inspected
        if inspection.findings or incomplete:
            if mode == "block" and flow.live:
                flow.response = http.Response.make(403, b"blocked by pixelguard")
                action = "blocked"
            elif mode == "redact" and flow.live:
                action = "redacted"
        for finding in inspection.findings:
            if self.writer:
                self.writer.write(finding)
        flow.metadata["pixelguard"] = {"findings": [f.to_dict() for f in inspection.findings], "action": action}
        if flow.response is None and ctx.options.pixelguard_answer_third_party and flow.live:
            flow.response = http.Response.make(204)

    def done(self):
        if self.writer:
            self.writer.close()
