import json

from mitmproxy import http
from mitmproxy.test import tflow

from pixelguard_addon.flow_actions import annotate, answer_locally, apply_redaction, block
from pixelguard_addon.redact import RedactedRequest


def flow(url="https://api.segment.io/v1/t?a=1&b=2", body=b'{"x":1}', headers=None):
    return tflow.tflow(req=http.Request.make("POST", url, body, headers or {"Content-Type": "application/json"}))


def record(action, finding="f"):
    return {"findings": [finding], "action": action, "reasons": [action], "redacted": [], "partial": []}


def test_annotate_merges_records_and_keeps_the_strongest_action():
    f = flow()
    annotate(f, record("flagged", "a"), "first")
    annotate(f, record("blocked", "b"), "")
    annotate(f, record("flagged", "c"), "third")
    merged = f.metadata["pixelguard"]
    assert merged["action"] == "blocked" and merged["findings"] == ["a", "b", "c"]
    assert f.marked == ":no_entry:" and f.comment == "third"


def test_answered_flows_are_not_marked():
    f = flow()
    annotate(f, record("answered"), "")
    assert f.marked == "" and f.metadata["pixelguard"]["action"] == "answered"


def test_block_403_body_and_headers():
    f = flow()
    block(f, ["PG-A", "PG-B"], ["why"], "403")
    assert f.response.status_code == 403 and f.response.headers["X-Pixelguard-Rule"] == "PG-A,PG-B"
    assert json.loads(f.response.content) == {"blocked_by": "pixelguard", "rules": ["PG-A", "PG-B"], "reasons": ["why"]}


def test_block_kills_when_the_body_was_already_streamed():
    f = flow()
    f.request.raw_content = None
    block(f, ["PG-A"], [], "403")
    assert f.response is None and f.error.msg == "Connection killed."


def test_answer_locally_is_a_204():
    f = flow()
    answer_locally(f)
    assert f.response.status_code == 204 and "answered locally" in f.response.headers["X-Pixelguard"]


def test_apply_redaction_sets_path_body_and_headers():
    f = flow(headers={"Content-Type": "application/json", "Cookie": "a=1", "Referer": "https://x.org/p?q=1"})
    url = "https://api.segment.io/v1/t?a=1"
    changes = (("content-length", "2"), ("cookie", None), ("referer", "https://x.org/"))
    apply_redaction(f, RedactedRequest(url, b"{}", ["query.b"], changes), f.request.pretty_url)
    assert f.request.path == "/v1/t?a=1" and f.request.raw_content == b"{}"
    assert f.request.headers["content-length"] == "2" and "cookie" not in f.request.headers
    assert f.request.headers["referer"] == "https://x.org/"
