"""scripts/evaluate.py on the labelled evaluation set (tests/eval/): the targets hold in CI."""
from __future__ import annotations

import json

import pytest

from .helpers import ROOT, load_script

evaluate = load_script("evaluate")
CASES = ROOT / "tests" / "eval" / "cases"


@pytest.fixture(scope="module")
def report():
    return evaluate.evaluate()


def test_targets_are_met(report):
    assert report.failures() == [], evaluate.render(report)
    assert report.group("conditions").recall >= 0.95
    assert report.group("identifiers").recall >= 0.95
    assert report.group("canaries").recall >= 0.99
    assert report.overall().precision >= 0.95
    assert report.first_party_findings == []


def test_main_prints_the_summary_and_exits_0(capsys):
    assert evaluate.main(["--quiet"]) == 0
    out = capsys.readouterr().out
    assert "recall" in out and "precision" in out and "all targets met" in out


def test_at_least_as_many_benign_requests_as_requests_with_phi(report):
    assert report.benign >= report.labelled > 60


def requests_named() -> dict[str, dict]:
    named = {}
    for path in CASES.glob("*.json"):
        for item in json.loads(path.read_text(encoding="utf-8"))["requests"]:
            named[item["name"]] = item
    return named


@pytest.mark.parametrize("name", [
    "meta pixel on a restaurant site", "ga4 on an ice cream site", "art blog title", "software store button",
    "city guide", "soda shop add to cart", "GA client id and session ids", "meta pixel ids and timestamps",
    "hashes of nothing", "session uuids", "prices and order numbers", "all-zero advertising id",
    "phone-shaped order number", "software version in dotted form", "hospital careers page",
])
def test_hard_negatives_are_in_the_set_and_benign(name):
    assert requests_named()[name]["expect"] == []


def test_first_party_requests_carry_phi_and_are_labelled_clean():
    items = json.loads((CASES / "first_party.json").read_text(encoding="utf-8"))["requests"]
    assert len(items) >= 5 and all(item["expect"] == [] for item in items)
    assert any("MV00482913" in json.dumps(item) for item in items)  # real PHI, on purpose


def test_canary_cases_cover_every_vendor():
    names = " ".join(item["name"] for item in
                     json.loads((CASES / "canaries.json").read_text(encoding="utf-8"))["requests"])
    for vendor in ("Meta pixel", "Meta CAPI", "Google", "UID2", "TikTok", "Snap", "Segment", "Mixpanel",
                   "SHA-1", "SHA-512", "base64"):
        assert vendor in names


def test_a_wrong_label_fails_the_evaluation(tmp_path, capsys):
    (tmp_path / "x.json").write_text(json.dumps({"requests": [
        {"name": "mislabelled", "method": "GET", "expect": [],
         "url": "https://www.facebook.com/tr/?id=1&ev=Lead&cd[buttonText]=Book%20an%20HIV%20test"}]}))
    assert evaluate.main(["--cases", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "mislabelled" in out and "condition" in out


def test_a_broken_case_file_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "x.json").write_text('{"requests": [{"name": "no url", "expect": []}]}')
    assert evaluate.main(["--cases", str(tmp_path)]) == 2
    assert "x.json request #0" in capsys.readouterr().err
