"""pixelguard's own log records skip mitmproxy's deprecated `add_log` event while no addon
listens to it.

mitmproxy 9 to 12 put `LegacyLogEvents` on the root logger: every record becomes an `add_log`
event, scheduled on the event loop and offered to every addon in the chain. No built-in addon
has listened to it since mitmproxy 9, yet each record still pays for the walk (about 160 µs of
CPU on the build VM): most of what a flagged flow's alert line costs. The terminal (termlog) and
the event logs of mitmweb and the console have handlers of their own and still get every
record; records of other loggers are left alone; and as soon as a loaded addon or script
defines `add_log`, it gets pixelguard's records again.
"""
from __future__ import annotations

import logging
import types

from mitmproxy import log as mitmproxy_log

# Gone, one day, from mitmproxy: then there is nothing to filter.
LEGACY_BRIDGE = getattr(mitmproxy_log, "LegacyLogEvents", None)

PIXELGUARD_LOGGERS = __package__ + "."


class UnheardLegacyEvents(logging.Filter):
    """Declines pixelguard's records for the `add_log` bridge of one master, when nobody hears them."""

    def __init__(self, master) -> None:
        super().__init__()
        self.master = master
        self._heard: tuple[tuple, bool] = ((), False)  # (the addons last looked at, whether one listens)

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(PIXELGUARD_LOGGERS):
            return True
        # Every registered addon, nested ones (scripts') included: mitmproxy keeps `lookup` in
        # step as addons and scripts come, go and reload. Asked again only when it changed
        # (same objects in the same order: no one new to ask); holding the tuple keeps the
        # old objects alive, so a new one can never pass for an old one.
        try:
            addons = tuple(self.master.addons.lookup.values())
        except RuntimeError:  # changed while read (a record from another thread): deliver it
            return True
        seen, heard = self._heard
        if addons != seen:
            heard = any(_listens(addon) for addon in addons)
            self._heard = (addons, heard)
        return heard


def _listens(addon) -> bool:
    # The same test mitmproxy applies when it triggers a hook (modules imported under the
    # hook's name are not listeners).
    hook = getattr(addon, "add_log", None)
    return callable(hook) and not isinstance(hook, types.ModuleType)


def install(master) -> UnheardLegacyEvents:
    """Put the filter on `master`'s bridge (none when mitmproxy has none); `uninstall` takes it off."""
    routing = UnheardLegacyEvents(master)
    for handler in _bridges(master):
        handler.addFilter(routing)
    return routing


def uninstall(routing: UnheardLegacyEvents) -> None:
    for handler in logging.getLogger().handlers:
        handler.removeFilter(routing)


def _bridges(master) -> list[logging.Handler]:
    return [handler for handler in logging.getLogger().handlers
            if LEGACY_BRIDGE and isinstance(handler, LEGACY_BRIDGE) and getattr(handler, "master", None) is master]
