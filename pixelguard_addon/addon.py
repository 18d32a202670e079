"""The mitmproxy addon: live flows in; marks, comments, alerts, blocks and redactions out.

    mitmdump -s "$(pixelguard addon-path)" --set pixelguard_mode=block

A thin layer: flows become `CapturedRequest`s for the engine, `verdict.decide` says what to
do, `flow_actions` does it. Options are validated in `configure` (a bad mode or policy stops
start-up); the engine is also built on first use, because an addon added programmatically
never gets `configure` until an option changes.
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import replace

from mitmproxy import command, ctx, exceptions, http, types
from mitmproxy.log import ALERT

from . import flow_actions, log_routing
from .alerts import AlertLog
from .capture.flows import captured_message, captured_request, pretty_url
from .catalog import PatternsError
from .engine import Engine, Inspection
from .live_session import PINNED, LiveSession
from .masking import mask_url
from .model import CapturedRequest, Finding
from .policy import PolicyError
from .proxy_settings import ProxySettings, SettingsError, read_settings
from .report.formats import format_for, write_report
from .report.jsonl import JsonlWriter
from .thirdparty import site_of
from .verdict import (ANSWERED, BLOCKED, FAIL_CLOSED_RULE, REDACTED, Decision, comment_for, decide,
                      not_fully_inspected)

log = logging.getLogger(__name__)

# Bodies above this are inspected in part (the first MAX_INSPECTED_BODY bytes) and never
# called clean; in block and redact mode a third-party body declared larger is blocked at
# once, before it is buffered.
MAX_INSPECTED_BODY = 8 * 1024 * 1024
OPTIONS = (
    ("pixelguard_mode", str, "",
     "What to do with third-party requests that carry PHI: flag (mark and report), block "
     "(answer locally, never forward) or redact (remove the fields, forward the rest). "
     "Default: the policy's mode, else flag."),
    ("pixelguard_policy", str | None, None, "Policy TOML file (see patterns/policy.example.toml)."),
    ("pixelguard_report", str | None, None, "Write findings to this JSON Lines file as they happen."),
    ("pixelguard_html", str | None, None,
     "Write a self-contained HTML report of the session to this file when the proxy stops."),
    ("pixelguard_block_response", str, "403",
     "How a blocked request is answered: 403 (JSON body naming the rules), 204, or close."),
    ("pixelguard_first_party", Sequence[str], [],
     "More first-party sites (registrable domains), added to the policy's."),
    ("pixelguard_answer_third_party", bool, False,
     "Demos and tests only: answer every third-party request locally with 204 after "
     "inspection instead of forwarding it, so nothing leaves the machine."),
)
OPTION_NAMES = frozenset(name for name, *_ in OPTIONS)


class PixelGuard:
    def __init__(self) -> None:
        self.settings: ProxySettings | None = None
        self.engine: Engine | None = None
        self.writer: JsonlWriter | None = None
        self.session = LiveSession()
        self.max_body = MAX_INSPECTED_BODY
        self._index = itertools.count()
        self._log_routing: log_routing.UnheardLegacyEvents | None = None
        self.alerts = AlertLog(log, ALERT, ALERT_FORMAT)

    # --- lifecycle -----------------------------------------------------------------------

    def load(self, loader) -> None:
        for name, typespec, default, help_text in OPTIONS:
            loader.add_option(name, typespec, default, help_text)
        self._log_routing = log_routing.install(ctx.master)

    def configure(self, updated: set[str]) -> None:
        if self.settings is None or updated & OPTION_NAMES:
            self._configure()

    def running(self) -> None:
        log.info(self._ready().describe())

    def done(self) -> None:
        try:
            self._finish()
        finally:
            if self._log_routing:
                log_routing.uninstall(self._log_routing)
                self._log_routing = None

    def _finish(self) -> None:
        self.alerts.flush()
        if self.settings is None:
            return
        log.info(self.session.summary(self.settings.threshold, self.settings.mode))
        if self.writer:
            self.writer.close()
            self.writer = None
        if self.settings.html:
            try:
                self._write(self.settings.html)
            except OSError as exc:
                log.error("pixelguard: cannot write the HTML report %s (%s); the findings are in "
                          "the JSON Lines report, if one was set", self.settings.html, exc.strerror or exc)

    def _configure(self) -> None:
        options = ctx.options
        try:
            settings = read_settings(options.pixelguard_mode, options.pixelguard_policy,
                                     options.pixelguard_report, options.pixelguard_block_response,
                                     options.pixelguard_first_party, options.pixelguard_answer_third_party,
                                     options.pixelguard_html)
            engine = self.engine
            if engine is None or self.settings is None or settings.policy != self.settings.policy:
                engine = Engine(settings.policy)
        except SettingsError as exc:
            raise exceptions.OptionsError(str(exc)) from None
        except (PolicyError, PatternsError) as exc:
            raise exceptions.OptionsError(f"pixelguard_policy: {exc}") from None
        self._open_report(settings.report)
        self.settings, self.engine = settings, engine

    def _open_report(self, path: str | None) -> None:
        if self.writer and (path is None or str(self.writer.path) != path):
            self.writer.close()
            self.writer = None
        if path and self.writer is None:
            try:
                self.writer = JsonlWriter(path)
            except OSError as exc:
                raise exceptions.OptionsError(f"pixelguard_report: cannot write {path} ({exc.strerror or exc})") from None

    def _ready(self) -> ProxySettings:
        if self.settings is None:
            self._configure()
        return self.settings

    # --- HTTP ----------------------------------------------------------------------------

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        """Block/redact mode: a third-party body must be buffered to be inspected, never
        streamed past the proxy (stream_large_bodies)."""
        settings = self._ready()
        if settings.mode == "flag" or flow.response or flow.error or not flow.live:
            return
        size = _declared_size(flow.request)
        too_big = size is not None and size > self.max_body
        # mitmproxy may switch to streaming half-way through a body of unknown length.
        may_stream = size is None and _body_may_follow(flow.request) and getattr(ctx.options, "stream_large_bodies", None)
        if not (too_big or may_stream or flow.request.stream):
            return  # the usual case: decided without asking who the request is for
        request = _addressed(flow.request)
        if self._first_party_or_ignored(request):
            return
        if too_big:
            self._block_uninspected(flow, request, f"request body of {size} bytes is over the "
                                                   f"{self.max_body}-byte inspection limit")
        elif may_stream:
            self._block_uninspected(flow, request, "body of unknown length with stream_large_bodies set: "
                                                   "it could be streamed past inspection")
        else:
            flow.request.stream = False

    def request(self, flow: http.HTTPFlow) -> None:
        settings = self._ready()
        if flow.response or flow.error:  # answered already: block_list, another addon, us
            return
        request = self._captured(flow)  # first party too: the engine learns from it (sessions)
        inspection = self._inspect(request)
        if inspection.first_party:  # never blocked, answered or reported
            self.session.record(inspection)
            return
        if len(flow.request.raw_content or b"") > self.max_body:
            inspection.partial.append(f"body over {self.max_body} bytes: only its start was inspected")
        self.session.record(inspection, self._stream_finding)
        decision = decide(inspection, settings.mode, settings.threshold, flow.live, self._inspect)
        if decision.action == BLOCKED:
            flow_actions.block(flow, decision.rules, decision.reasons, settings.block_response)
        elif decision.action == REDACTED:
            decision = self._apply_redaction(flow, decision, request.url, settings)
        third_party = not inspection.first_party
        answered = settings.answer_third_party and third_party and not (flow.response or flow.error)
        if answered:
            flow_actions.answer_locally(flow)
        action = decision.action or (ANSWERED if answered else None)
        if action:
            self._report(flow, inspection, decision, action, answered)

    def _apply_redaction(self, flow: http.HTTPFlow, decision: Decision, url: str, settings: ProxySettings) -> Decision:
        try:
            flow_actions.apply_redaction(flow, decision.redacted, url)
            return decision
        except Exception as exc:  # noqa: BLE001 - a half-redacted request must not leave
            blocked = Decision(BLOCKED, [f"cannot redact: applying it failed ({type(exc).__name__})"], decision.rules)
            flow_actions.block(flow, blocked.rules, blocked.reasons, settings.block_response)
            return blocked

    def _captured(self, flow: http.HTTPFlow) -> CapturedRequest:
        """The flow's request; a body over the limit is cut there (and never called clean)."""
        request = captured_request(flow.request, next(self._index), source="live")
        if len(request.body) > self.max_body:
            return replace(request, body=request.body[:self.max_body], body_complete=False)
        return request

    def _block_uninspected(self, flow: http.HTTPFlow, request: CapturedRequest, why: str) -> None:
        inspection = Inspection(request, site_of(request.host), self.engine.catalog.vendor_for_host(request.host),
                                partial=[why])
        self.session.record(inspection)
        decision = Decision(BLOCKED, [f"fail closed: not inspected: {why}"], [FAIL_CLOSED_RULE])
        flow_actions.block(flow, decision.rules, decision.reasons, self.settings.block_response)
        self._report(flow, inspection, decision, BLOCKED, answered=False)

    # --- WebSocket and TLS ---------------------------------------------------------------

    def websocket_message(self, flow: http.HTTPFlow) -> None:
        """Client → server messages to third parties are inspected like bodies; in block and
        redact mode a message that would be blocked is dropped (rewriting frames is not worth it)."""
        settings = self._ready()
        message = flow.websocket.messages[-1]
        if not message.from_client:
            return
        handshake = captured_request(flow.request, source="live")
        if self._first_party_or_ignored(handshake):
            return
        inspection = self._inspect(captured_message(handshake.url, message, next(self._index)))
        self.session.record(inspection, self._stream_finding)
        mode = "block" if settings.mode == "redact" else settings.mode
        decision = decide(inspection, mode, settings.threshold, flow.live, self._inspect)
        if decision.action == BLOCKED:
            message.drop()
            decision.reasons.append("WebSocket message dropped")
        if decision.action:
            self._report(flow, inspection, decision, decision.action, answered=False)

    def tls_failed_client(self, data) -> None:
        self._ready()
        client, server = data.context.client, data.context.server
        host = client.sni or (server.address[0] if server.address else "") or "(unknown host)"
        if self.session.record_uninspected_host(host, self.engine.catalog.vendor_for_host(host)):
            log.warning("pixelguard: %s %s", host, PINNED)

    # --- commands ------------------------------------------------------------------------

    @command.command("pixelguard.report")
    def report(self, path: types.Path) -> None:
        """Write this session's findings so far: HTML for .html, SARIF for .sarif, JUnit XML for
        .xml, a JSON summary for .json, else JSON Lines."""
        self._ready()
        try:
            self._write(path)
        except OSError as exc:
            raise exceptions.CommandError(f"cannot write {path} ({exc.strerror or exc})") from None

    def _write(self, path: str) -> None:
        format_name = format_for(path)
        if format_name is None:
            writer = JsonlWriter(path)
            writer.write_all(self.session.findings)
            writer.close()
        else:
            write_report(self.session.report(self.settings.threshold, self.engine.policy), format_name, path)
        log.info("pixelguard: %d finding(s) written to %s", len(self.session.findings), path)

    @command.command("pixelguard.summary")
    def summary(self) -> None:
        """Log the session summary (findings by vendor and page, requests not inspected)."""
        settings = self._ready()
        self.alerts.flush()  # the alerts it counts come first
        log.info(self.session.summary(settings.threshold, settings.mode))

    # --- helpers -------------------------------------------------------------------------

    def _first_party_or_ignored(self, request: CapturedRequest) -> bool:
        return request.host in self.engine.policy.ignore_hosts or self.engine.is_first_party(request)

    def _inspect(self, request: CapturedRequest) -> Inspection:
        """The engine's inspection; a crash becomes an undecodable request, never a clean one."""
        try:
            inspection = self.engine.inspect(request)
        except Exception as exc:  # noqa: BLE001 - a detector bug must not let a leak through
            log.error("pixelguard: inspection of %s failed (%s)", mask_url(request.url), type(exc).__name__)
            log.debug("pixelguard: inspection failure", exc_info=True)
            inspection = Inspection(request, site_of(request.host), self.engine.catalog.vendor_for_host(request.host),
                                    undecodable=[f"inspection failed ({type(exc).__name__})"])
        return inspection

    def _stream_finding(self, finding: Finding) -> None:
        if self.writer:
            self.writer.write(finding)

    def _report(self, flow: http.HTTPFlow, inspection: Inspection, decision: Decision, action: str,
                answered: bool) -> None:
        findings = inspection.findings
        record = {
            "findings": [finding.to_dict() for finding in findings],
            "action": action,
            "reasons": list(decision.reasons),
            "redacted": list(decision.redacted.removed) if decision.redacted else [],
            "partial": not_fully_inspected(inspection),
        }
        if answered:
            record["answered_locally"] = True
        comment = comment_for(findings, inspection.vendor_name) or _gap_comment(inspection, decision)
        flow_actions.annotate(flow, record, comment)
        self.session.record_action(action)
        if findings or decision.reasons:
            masked = findings[0].url if findings else mask_url(inspection.request.url)  # masked once already
            self.alerts.alert(action, inspection.request.method, masked, comment)


ALERT_FORMAT = "pixelguard %s: %s %s: %s"


def _gap_comment(inspection: Inspection, decision: Decision) -> str:
    notes = not_fully_inspected(inspection) or decision.reasons
    if not notes:
        return ""
    rule = FAIL_CLOSED_RULE if decision.action == BLOCKED else "not fully inspected"
    return f"{rule} {inspection.vendor_name}: {notes[0]}"


def _addressed(request: http.Request) -> CapturedRequest:
    """Just what decides first party (URL, Referer, Origin): asked for every flow, kept cheap
    (one pass over the raw header fields; mitmproxy's header lookups each scan them all)."""
    headers = tuple((name.decode("latin-1"), value.decode("utf-8", "replace"))
                    for name, value in request.headers.fields if name.lower() in (b"referer", b"origin"))
    return CapturedRequest(request.method, pretty_url(request), headers=headers)


def _declared_size(request: http.Request) -> int | None:
    try:
        return int(request.headers["content-length"])
    except (KeyError, ValueError):
        return None


def _body_may_follow(request: http.Request) -> bool:
    if "transfer-encoding" in request.headers:
        return True
    # HTTP/2 and 3 need no Content-Length; a GET or HEAD there still carries no body.
    return (request.is_http2 or request.is_http3) and request.method not in ("GET", "HEAD", "OPTIONS")
