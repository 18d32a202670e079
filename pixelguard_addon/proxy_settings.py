"""The live proxy's settings, read from its mitmproxy option values and the policy file.

Pure (no mitmproxy): the addon passes the option values in and turns `SettingsError` into
mitmproxy's OptionsError, which stops start-up with this message. mitmproxy does not enforce
`choices` for `--set`, and a policy that silently failed to apply would make a leaking site
look clean, so everything is checked here.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .catalog import PatternsError
from .policy import MODES, Policy, PolicyError, load_policy

BLOCK_RESPONSES = ("403", "204", "close")


class SettingsError(Exception):
    """An option value or policy the proxy cannot start with; str() is the one line to show."""


@dataclass(frozen=True)
class ProxySettings:
    mode: str
    mode_source: str  # where the mode came from: "pixelguard_mode", "policy" or "default"
    policy: Policy
    block_response: str = "403"
    report: str | None = None
    answer_third_party: bool = False
    html: str | None = None  # the HTML report, written when the proxy stops

    @property
    def threshold(self) -> str:
        return self.policy.fail_on

    def describe(self) -> str:
        """The effective settings in one log line."""
        sites = ", ".join(self.policy.first_party) or "(the page's own site)"
        parts = [
            f"mode={self.mode} (from {self.mode_source})",
            f"policy={self.policy.source}",
            f"fail_on={self.threshold}",
            f"first_party={sites}",
            f"block_response={self.block_response}",
            f"report={self.report or '(none)'}",
            f"html={self.html or '(none)'}",
        ]
        if self.answer_third_party:
            parts.append("answer_third_party=true (third-party requests are answered locally, never forwarded)")
        return "pixelguard: " + ", ".join(parts)


def read_settings(mode: str, policy: str | None, report: str | None, block_response: str,
                  first_party: Sequence[str], answer_third_party: bool, html: str | None = None) -> ProxySettings:
    loaded = _load(policy)
    extra_sites = tuple(_site(entry) for entry in first_party)
    if extra_sites:
        loaded = replace(loaded, first_party=loaded.first_party + extra_sites)
    if mode and mode not in MODES:
        raise SettingsError(f"pixelguard_mode: must be one of {', '.join(MODES)} (found {mode!r})")
    if block_response not in BLOCK_RESPONSES:
        raise SettingsError(f"pixelguard_block_response: must be one of {', '.join(BLOCK_RESPONSES)} "
                            f"(found {block_response!r})")
    if html:
        _check_writable(html, "pixelguard_html")
    source = "pixelguard_mode" if mode else ("policy" if policy else "default")
    return ProxySettings(mode or loaded.mode, source, loaded, block_response, report or None, answer_third_party,
                         html or None)


def _check_writable(path: str, option: str) -> None:
    """A report written only at exit must not fail then, after a whole session of testing."""
    target = Path(path)
    folder = target.parent
    if target.is_dir():
        raise SettingsError(f"{option}: {path} is a directory")
    if not folder.is_dir() or not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise SettingsError(f"{option}: cannot write {path} (no such directory, or no permission)")


def _load(path: str | None) -> Policy:
    if not path:
        return Policy()
    try:
        return load_policy(path)
    except (PolicyError, PatternsError) as exc:
        raise SettingsError(f"pixelguard_policy: {exc}") from None


def _site(entry: str) -> str:
    site = entry.strip().lower().strip(".")
    if not site:
        raise SettingsError("pixelguard_first_party: entries must be non-empty host names")
    return site
