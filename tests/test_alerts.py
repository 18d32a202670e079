"""Alert lines: at once without an event loop, in short batches (a line per alert) with one."""
import asyncio
import logging

import pytest
from mitmproxy.log import ALERT

from pixelguard_addon import alerts
from pixelguard_addon.alerts import AlertLog

LOGGER = logging.getLogger("pixelguard_addon.test_alerts")
FORMAT = "pixelguard %s: %s %s: %s"


def alert_records(caplog):
    return [record for record in caplog.records if record.levelno == ALERT and record.name == LOGGER.name]


def test_without_an_event_loop_each_alert_is_logged_at_once(caplog):
    log = AlertLog(LOGGER, ALERT, FORMAT)
    with caplog.at_level(logging.INFO):
        log.alert("flagged", "GET", "https://www.facebook.com/tr/?id=•••", "PG-PHI-CONDITION Meta Pixel")
        assert [r.getMessage() for r in alert_records(caplog)] == [
            "pixelguard flagged: GET https://www.facebook.com/tr/?id=•••: PG-PHI-CONDITION Meta Pixel"]
        assert log.pending == 0


def test_in_an_event_loop_alerts_are_held_briefly_and_logged_as_one_record_in_order(caplog):
    log = AlertLog(LOGGER, ALERT, FORMAT)

    async def burst():
        for index in range(3):
            log.alert("flagged", "POST", f"https://region1.google-analytics.com/g/collect?n={index}", "GA4")
        held = (log.pending, len(alert_records(caplog)))
        await asyncio.sleep(alerts.BATCH_SECONDS * 3)
        return held

    with caplog.at_level(logging.INFO):
        assert asyncio.run(burst()) == (3, 0)
    records = alert_records(caplog)
    assert len(records) == 1 and log.pending == 0
    assert records[0].getMessage().splitlines() == [
        f"pixelguard flagged: POST https://region1.google-analytics.com/g/collect?n={index}: GA4" for index in range(3)]
    assert records[0].pathname.endswith("alerts.py") and records[0].exc_info is None


def test_a_full_batch_is_logged_without_waiting(caplog):
    log = AlertLog(LOGGER, ALERT, FORMAT)

    async def flood():
        for index in range(alerts.MAX_BATCH + 1):
            log.alert("blocked", "GET", f"https://t.example/{index}", "x")
        return [len(r.getMessage().splitlines()) for r in alert_records(caplog)], log.pending

    with caplog.at_level(logging.INFO):
        assert asyncio.run(flood()) == ([alerts.MAX_BATCH], 1)


def test_flush_logs_what_is_held_now_and_nothing_again_later(caplog):
    log = AlertLog(LOGGER, ALERT, FORMAT)

    async def shutdown():
        log.alert("flagged", "GET", "https://a.example/", "one")
        log.flush()
        await asyncio.sleep(alerts.BATCH_SECONDS * 3)

    with caplog.at_level(logging.INFO):
        asyncio.run(shutdown())
    assert [r.getMessage() for r in alert_records(caplog)] == ["pixelguard flagged: GET https://a.example/: one"]


def test_nothing_is_held_or_logged_below_the_loggers_level(caplog):
    log = AlertLog(LOGGER, ALERT, FORMAT)
    with caplog.at_level(logging.CRITICAL, logger=LOGGER.name):
        log.alert("flagged", "GET", "https://a.example/", "one")
    assert log.pending == 0 and not alert_records(caplog)


@pytest.mark.parametrize("url", ["https://a.example/?q=%25s%20%(x)s", "https://a.example/100%"])
def test_percent_signs_in_a_line_are_text(caplog, url):
    log = AlertLog(LOGGER, ALERT, FORMAT)
    with caplog.at_level(logging.INFO):
        log.alert("flagged", "GET", url, "%d")
    assert [r.getMessage() for r in alert_records(caplog)] == [f"pixelguard flagged: GET {url}: %d"]
