"""pixelguard's records and mitmproxy's deprecated add_log event, through a real mitmproxy master:
skipped while no addon listens, delivered as soon as one does, other loggers' records untouched."""
import asyncio
import contextlib
import logging

import pytest
from mitmproxy.log import ALERT, AddLogHook
from mitmproxy.test import taddons

from pixelguard_addon import log_routing
from pixelguard_addon.addon import PixelGuard

OURS = logging.getLogger("pixelguard_addon.addon")
THEIRS = logging.getLogger("mitmproxy.proxy.server")


class Listener:
    def __init__(self):
        self.messages = []

    def add_log(self, entry):
        self.messages.append(entry.msg)


class WithNested:
    """As a script module is: its addons hang below it in the chain."""

    def __init__(self, nested):
        self.addons = [nested]


@pytest.fixture
def master(monkeypatch):
    """A master with pixelguard loaded; `master.add_log_events` lists every add_log it triggers.
    Made by the test itself: mitmproxy's handlers made in a test drop records logged in any
    other test phase (PYTEST_CURRENT_TEST), fixture set-up included."""
    return lambda: _master(monkeypatch)


@contextlib.contextmanager
def _master(monkeypatch):
    with taddons.context(PixelGuard()) as tctx:
        events = tctx.master.add_log_events = []
        trigger = tctx.master.addons.trigger

        def spy(event):
            if isinstance(event, AddLogHook):
                events.append(event.entry.msg)
            return trigger(event)

        monkeypatch.setattr(tctx.master.addons, "trigger", spy)
        logging.getLogger().setLevel(logging.DEBUG)  # as mitmdump sets it
        yield tctx.master


def log_both(master) -> list[str]:
    """One record of ours and one of mitmproxy's; the add_log events they raised."""
    OURS.log(ALERT, "pixelguard flagged: GET https://www.facebook.com/tr/")
    THEIRS.info("server connect www.facebook.com:443")
    master.event_loop.run_until_complete(asyncio.sleep(0))  # the bridge schedules them on the loop
    return master.add_log_events


def test_nobody_listens_so_our_records_skip_the_bridge_and_theirs_do_not(master, caplog):
    with master() as made, caplog.at_level(logging.DEBUG):
        events = log_both(made)
    assert [message for message in events if "pixelguard" in message] == []
    assert any("server connect" in message for message in events)
    assert "pixelguard flagged" in caplog.text  # every other handler still gets it


def test_an_addon_that_listens_gets_our_records_again(master):
    listener = Listener()
    with master() as made:
        made.addons.add(listener)
        log_both(made)
        assert any("pixelguard flagged" in message for message in listener.messages)
        made.addons.remove(listener)
        made.add_log_events.clear()
        assert [message for message in log_both(made) if "pixelguard" in message] == []


def test_a_nested_listener_counts_as_a_script_addon_would(master):
    listener = Listener()
    with master() as made:
        made.addons.add(WithNested(listener))
        log_both(made)
    assert any("pixelguard flagged" in message for message in listener.messages)


def test_a_module_named_add_log_is_no_listener_as_for_mitmproxy():
    class ImportsLog:
        add_log = logging  # `from … import add_log` of a module: mitmproxy skips it too

    assert not log_routing._listens(ImportsLog()) and log_routing._listens(Listener())


def test_installed_on_this_masters_bridge_only_and_gone_when_done():
    addon = PixelGuard()
    with taddons.context(addon) as tctx:
        bridges = log_routing._bridges(tctx.master)
        assert len(bridges) == 1
        assert [f for f in bridges[0].filters if isinstance(f, log_routing.UnheardLegacyEvents)]
        with taddons.context() as other:
            assert not [f for f in log_routing._bridges(other.master)[0].filters
                        if isinstance(f, log_routing.UnheardLegacyEvents)]
        addon.done()
        assert not [f for f in bridges[0].filters if isinstance(f, log_routing.UnheardLegacyEvents)]


def test_addons_changing_while_read_deliver_the_record_rather_than_fail_the_caller():
    class Changing(dict):
        def values(self):
            raise RuntimeError("dictionary changed size during iteration")

    with taddons.context() as tctx:
        routing = log_routing.UnheardLegacyEvents(tctx.master)
        tctx.master.addons.lookup = Changing(tctx.master.addons.lookup)
        record = logging.LogRecord("pixelguard_addon.addon", ALERT, __file__, 1, "pixelguard flagged: x", (), None)
        assert routing.filter(record) is True
