"""Line-per-record bodies: GA4 batches, Sentry envelopes, Datadog intake."""
from __future__ import annotations

from pathlib import Path

from pixelguard_addon.decoders.limits import Budget, Context, Limits
from pixelguard_addon.decoders.ndjson import NdjsonValue

from .helpers import chains, decode, field, values

DATA = Path(__file__).resolve().parents[1] / "data" / "decoders"
TEXT = {"Content-Type": "text/plain;charset=UTF-8"}
GA4_BATCH_URL = (
    "https://region1.google-analytics.com/g/collect?v=2&tid=G-TEST123&gtm=45je&_p=1&cid=1234567890.1700000000"
    "&ul=en-us&sr=1920x1080&dl=https%3A%2F%2Fportal.example.org%2Fsearch%3Fq%3Dhiv%2Btesting&dt=Search&sid=1700000000"
)
GA4_BATCH_BODY = (
    "en=page_view&_ee=1&_et=12\r\n"
    "en=view_search_results&ep.search_term=hiv%20testing%20near%20me&_et=840\r\n"
    "en=scroll&epn.percent_scrolled=90"
)


def test_ga4_batch_common_params_in_query_events_in_body_lines():
    decoded = decode(GA4_BATCH_URL, method="POST", headers=TEXT, body=GA4_BATCH_BODY)
    found = chains(decoded)
    assert found["query.tid"] == "G-TEST123"
    assert found["query.dl → url.query.q"] == "hiv testing"
    assert found["body → ndjson[1] → form → en"] == "view_search_results"
    assert found["body → ndjson[1] → form → ep.search_term"] == "hiv testing near me"
    assert found["body → ndjson[2] → form → epn.percent_scrolled"] == "90"
    assert values(decoded, "body → ndjson[0] → form → en") == ["page_view"]
    assert field(decoded, "body → ndjson[1]").container


def test_sentry_envelope_item_is_line_two():
    body = (DATA / "sentry_envelope.txt").read_bytes()
    decoded = decode("https://o12345.ingest.sentry.io/api/678/envelope/?sentry_key=abc&sentry_version=7",
                     method="POST", headers=TEXT, body=body)
    found = chains(decoded)
    assert found["body → ndjson[2] → json → user.email"] == "jane.doe@example.org"
    assert found["body → ndjson[2] → json → request.url → url.path"] == "/patient/lab-results/hiv"
    assert found["body → ndjson[2] → json → breadcrumbs.values[0].data.to → url.path"] == "/conditions/hepatitis-c"
    assert found["body → ndjson[1] → json → type"] == "event"


def test_datadog_rum_lines():
    body = ('{"type":"view","view":{"url":"https://portal.example.org/mental-health","referrer":""},"usr":{"email":"j@example.org"}}\n'
            '{"type":"action","action":{"target":{"name":"Book depression screening"}}}\n')
    decoded = decode("https://browser-intake-datadoghq.com/api/v2/rum?ddsource=browser", method="POST",
                     headers=TEXT, body=body)
    found = chains(decoded)
    assert found["body → ndjson[0] → json → usr.email"] == "j@example.org"
    assert found["body → ndjson[1] → json → action.target.name"] == "Book depression screening"


def test_prose_lines_are_not_ndjson():
    ctx = Context(("body",), Budget(Limits()))
    assert NdjsonValue().decode("hello there\nsecond line\n", "body", ctx) is None
    assert NdjsonValue().decode('{"only": "one line"}\n', "body", ctx) is None


def test_declared_envelope_keeps_odd_lines_as_leaves():
    body = '{"event_id":"x"}\n{"type":"attachment","length":5}\nhello\n'
    decoded = decode(method="POST", headers={"Content-Type": "application/x-sentry-envelope"}, body=body)
    line = field(decoded, "body → ndjson[2]")
    assert line.value == "hello" and not line.container


def test_truncated_last_line_still_yields_earlier_lines():
    body = '{"a":"first"}\n{"b":"sec'
    decoded = decode(method="POST", headers={"Content-Type": "application/x-ndjson"}, body=body, body_complete=False)
    assert chains(decoded)["body → ndjson[0] → json → a"] == "first"
    assert field(decoded, "body → ndjson[1]").value == '{"b":"sec'
    assert decoded.undecodable == []
