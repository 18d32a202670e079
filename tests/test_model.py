import dataclasses
import pickle

import pytest

from pixelguard_addon.model import CapturedRequest, Finding

REQUIRED = dict(rule_id="PG-PHI-CONDITION", category="condition", severity="high", vendor="Meta Pixel",
                vendor_id="meta", method="GET", url="https://www.facebook.com/tr/?ev=•••",
                host="www.facebook.com", page_url=None, chain="query.cd[x] → json → text", evidence="HIV")


def test_build_makes_the_finding_init_makes():
    built = Finding.build({**REQUIRED, "term": "hiv", "sensitive_tags": ("hiv-sti",)})
    made = Finding(**REQUIRED, term="hiv", sensitive_tags=("hiv-sti",))
    assert built == made and hash(built) == hash(made)
    assert built.to_dict() == made.to_dict() and built.confidence == 1.0 and built.source == "live"
    assert pickle.loads(pickle.dumps(built)) == made
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.severity = "low"


def test_build_with_every_field_makes_the_finding_init_makes_and_keeps_no_link_to_its_dict():
    values = {field.name: getattr(Finding(**REQUIRED), field.name) for field in dataclasses.fields(Finding)}
    values.update(term="hiv", detail="condition 'HIV'", index=3)
    built = Finding.build(values)
    made = Finding(**values)
    assert built == made and built.to_dict() == made.to_dict() and pickle.loads(pickle.dumps(built)) == made
    values["severity"] = "low"
    assert built.severity == "high"
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.severity = "low"


def test_every_way_of_making_a_finding_gives_to_dict_in_field_order():
    import copy

    fields = [field.name for field in dataclasses.fields(Finding)]
    every = {name: getattr(Finding(**REQUIRED), name) for name in fields}
    shuffled = dict(reversed(list({**every, "revealed": "raw", "index": 4}.items())))  # the engine's order is its own
    made = Finding(**REQUIRED, revealed="raw")
    findings = [made, Finding.build(dict(reversed(list(REQUIRED.items())))), Finding.build(shuffled),
                dataclasses.replace(made, severity="low"), copy.copy(made), pickle.loads(pickle.dumps(made)),
                Finding.from_dict(made.to_dict())]
    for finding in findings:
        shown = [name for name in fields if finding.revealed or name != "revealed"]
        data = finding.to_dict()
        assert list(data) == shown and data == {name: getattr(finding, name) if name != "sensitive_tags"
                                                else list(finding.sensitive_tags) for name in shown}
    assert "revealed" not in Finding(**REQUIRED).to_dict()  # absent, not empty
    extra = Finding(**REQUIRED)
    object.__setattr__(extra, "cached", "x")  # anything set beside the fields stays out
    assert list(extra.to_dict()) == [name for name in fields if name != "revealed"]


@pytest.mark.parametrize("values", [
    {k: v for k, v in REQUIRED.items() if k != "evidence"},
    {**REQUIRED, "evidense": "typo"},
])
def test_build_refuses_what_init_refuses(values):
    with pytest.raises(TypeError):
        Finding(**values)
    with pytest.raises(TypeError):
        Finding.build(values)


def test_tuple_maker_builds_the_named_tuple():
    from pixelguard_addon.decoders.base import Child
    from pixelguard_addon.model import Field, tuple_maker

    field = tuple_maker(Field)((("query.x",), "v", "x", False))
    assert type(field) is Field and field == Field(("query.x",), "v", "x") and field.chain == "query.x"
    child = tuple_maker(Child)((("query.x",), "v", "x", False, None))
    assert type(child) is Child and child == Child(("query.x",), "v", "x")


def test_match_but_is_dataclasses_replace():
    from pixelguard_addon.model import Match

    match = Match(rule_id="PG-PHI-CONDITION", category="condition", severity="high", evidence="HIV", term="hiv")
    changed = match.but(severity="critical", citation="profile hipaa")
    assert changed == dataclasses.replace(match, severity="critical", citation="profile hipaa")
    assert hash(changed) == hash(dataclasses.replace(match, severity="critical", citation="profile hipaa"))
    assert match.severity == "high" and changed.term == "hiv"
    with pytest.raises(TypeError):
        match.but(severty="low")


def test_chains_render_alike_remembered_or_not():
    from pixelguard_addon.model import CHAIN_MEMO_MAX, render_chain

    assert render_chain(("body", "(gzip)", "json", "properties.reason")) == "body(gzip) → json → properties.reason"
    assert render_chain(["query.dl", "url.path"]) == "query.dl → url.path"
    huge = ("body", "json", "k" * (CHAIN_MEMO_MAX + 1))
    assert render_chain(huge) == f"body → json → {'k' * (CHAIN_MEMO_MAX + 1)}"


def test_chains_are_remembered_when_short_and_in_bounded_number(monkeypatch):
    from pixelguard_addon import model

    monkeypatch.setattr(model, "_CHAINS", {})
    monkeypatch.setattr(model, "CHAIN_MEMO_ENTRIES", 3)
    field = model.Field(("query.cd[x]", "json", "(key)"), "v", "x")
    assert field.chain == "query.cd[x] → json(key)" == model._CHAINS[field.steps]
    assert model.Field(("body", "k" * (model.CHAIN_MEMO_MAX + 1)), "v").chain.startswith("body → kkk")
    assert len(model._CHAINS) == 1  # the huge one is not kept
    for index in range(5):
        model.render_chain(("query", f"k{index}"))
    assert 0 < len(model._CHAINS) <= 3


def test_captured_request_build_makes_what_init_makes():
    from pixelguard_addon.model import CapturedRequest

    fields = dict(method="POST", url="https://t.example/c?a=1", headers=(("Referer", "https://p.example/x"),),
                  body=b"e=1", body_complete=True, page_url=None, source="live", index=7, timestamp=1.5)
    built, made = CapturedRequest.build(**fields), CapturedRequest(**fields)
    assert built == made and hash(built) == hash(made) and pickle.loads(pickle.dumps(built)) == made
    assert built.header("referer") == "https://p.example/x" and built.host == "t.example"
    assert [f.name for f in dataclasses.fields(CapturedRequest)] == list(fields)  # build names every field
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.url = "https://elsewhere.example/"


def test_match_init_takes_the_fields_in_order_with_their_defaults():
    import inspect

    from pixelguard_addon.model import Match

    parameters = list(inspect.signature(Match.__init__).parameters.values())[1:]
    fields = dataclasses.fields(Match)
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert [p.default for p in parameters] == [inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
                                               for f in fields]
    match = Match("PG-PHI-CONDITION", "condition", "high", "HIV", term="HIV")
    assert (match.rule_id, match.confidence, match.sensitive_tags, match.citation) == ("PG-PHI-CONDITION", 1.0, (), "")
    assert match == Match(rule_id="PG-PHI-CONDITION", category="condition", severity="high", evidence="HIV", term="HIV")
    assert hash(match) == hash(dataclasses.replace(match)) and pickle.loads(pickle.dumps(match)) == match
    assert dataclasses.replace(match, severity="low").severity == "low" and match.but(severity="low").severity == "low"
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.severity = "low"
    with pytest.raises(TypeError):
        Match("PG-PHI-CONDITION", "condition", "high")  # evidence is required


def test_a_header_reads_alike_before_and_after_the_headers_are_mapped():
    headers = (("Cookie", "a=1"), ("REFERER", "https://p.example/x"), ("cookie", "b=2"), ("Accept", ""))
    asked = ["referer", "Cookie", "COOKIE", "accept", "origin"]
    scanned = CapturedRequest("GET", "https://t.example/", headers=headers)
    before = [scanned.header(name) for name in asked]  # no map yet: a scan each
    assert "_headers_by_name" not in vars(scanned)
    assert scanned.header_values("cookie") == ["a=1", "b=2"]  # builds the map
    after = [scanned.header(name) for name in asked]
    assert before == after == ["https://p.example/x", "a=1", "a=1", "", None]
