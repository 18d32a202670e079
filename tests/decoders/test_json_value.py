"""JSON flattening: paths, keys, scalars, nesting."""
from __future__ import annotations

from pixelguard_addon.decoders.json_value import JsonValue, flatten
from pixelguard_addon.decoders.limits import Budget, Context, Limits

from .helpers import chains, decode, field, leaves

TEXT = {"Content-Type": "text/plain;charset=UTF-8"}


def ctx() -> Context:
    return Context(("body",), Budget(Limits()))


def test_objects_give_dotted_paths_and_arrays_indices():
    children = flatten({"events": [{"name": "view"}, {"name": "book"}], "properties": {"reason": "HIV"}}, "body", 100)
    steps = [c.steps for c in children if not c.final or c.steps[-1] != "(key)"]
    assert ("json", "events[0].name") in steps
    assert ("json", "events[1].name") in steps
    assert ("json", "properties.reason") in steps


def test_top_level_array_paths_start_with_index():
    children = JsonValue().decode('[{"name": "x"}, "y"]', "data", ctx())
    by_path = {c.steps[1]: c for c in children if c.steps[-1] != "(key)"}
    assert by_path["[0].name"].value == "x"
    assert by_path["[1]"].value == "y"
    assert by_path["[1]"].key == "data"  # no key inside the array: the container's key


def test_scalars_become_text_and_null_or_empty_is_skipped():
    children = JsonValue().decode('{"n": 1.5, "t": true, "f": false, "z": null, "e": "", "i": 12}', "body", ctx())
    got = {c.steps[1]: c.value for c in children}
    assert got == {"n": "1.5", "t": "true", "f": "false", "i": "12"}
    assert all(c.final for c in children)  # numbers and booleans are never decoded further


def test_object_keys_are_fields_except_short_identifiers():
    decoded = decode(method="POST", headers=TEXT, body='{"conditions": {"diabetes": true, "id": 7}}')
    key_field = field(decoded, "body → json → conditions.diabetes(key)")
    assert key_field.value == "diabetes" and key_field.key == "conditions" and not key_field.container
    assert "body → json → conditions.id(key)" not in chains(decoded)
    assert chains(decoded)["body → json → conditions.diabetes"] == "true"


def render_path(path):
    """The path rule, spelled out: keys dotted, indexes in brackets, awkward keys quoted."""
    import json as json_module
    import re

    rendered = ""
    for part in path:
        if isinstance(part, int):
            rendered += f"[{part}]"
        elif re.search(r'[.\[\]"]|^\(|^$', part):
            rendered += "[" + json_module.dumps(part, ensure_ascii=False) + "]"
        else:
            rendered += ("." if rendered else "") + part
    return rendered


def test_awkward_keys_are_quoted_in_paths():
    steps = [c.steps[1] for c in flatten({"cd": {"Schema.org": [{"name": "x"}]}, "(x)": "y",
                                          "[Amplitude] Page URL": "z"}, "body", 100) if c.steps[-1] != "(key)"]
    assert steps == ['cd["Schema.org"][0].name', '["(x)"]', '["[Amplitude] Page URL"]']


def test_json_beacon_sent_as_text_plain():
    body = ('{"event":"ViewContent","context":{"page":{"url":"https://portal.example.org/hiv-prep",'
            '"referrer":""},"user":{"anonymous_id":"a1"}},"properties":{"content_name":"PrEP consult"}}')
    decoded = decode("https://analytics.tiktok.com/api/v2/pixel", method="POST", headers=TEXT, body=body)
    found = chains(decoded)
    assert found["body → json → context.page.url → url.path"] == "/hiv-prep"
    assert found["body → json → properties.content_name"] == "PrEP consult"


def test_json_string_inside_json_is_unpacked():
    decoded = decode(method="POST", body='{"extinfo": "[\\"i2\\", \\"com.clinic.app\\"]", "pd": "{\\"em\\": \\"abc\\"}"}')
    found = chains(decoded)
    assert found["body → json → extinfo → json → [1]"] == "com.clinic.app"
    assert found["body → json → pd → json → em"] == "abc"


def test_pinterest_ad_param_with_json_url():
    decoded = decode("https://ct.pinterest.com/v3/?tid=1&ad=%7B%22loc%22%3A%22https%3A%2F%2Fportal.example.org%2Fcancer%22%7D")
    assert chains(decoded)["query.ad → json → loc → url.path"] == "/cancer"


def test_very_deep_nesting_is_partial_not_recursion_error():
    decoded = decode(method="POST", body="[" * 10000 + "]" * 10000)
    assert any(note.startswith("JSON nesting limit at body") for note in decoded.partial)
    assert field(decoded, "body").container is False  # the raw text is still scanned


def test_moderately_deep_nesting_flattens_without_recursion():
    body = '{"a":' * 800 + '"deep"' + "}" * 800
    decoded = decode(method="POST", body=body)
    assert leaves(decoded)[-1].value == "deep"
    assert decoded.partial == []


def test_invalid_json_value_is_left_alone():
    assert JsonValue().decode("[object Object]", "x", ctx()) is None
    assert JsonValue().decode('{"a": 1', "x", ctx()) is None
    assert JsonValue().decode('"just a string"', "x", ctx()) is None


def test_empty_object_is_a_container_with_nothing_inside():
    assert JsonValue().decode("{}", "x", ctx()) == []


def _flattened_by_path(document, parent_key):
    """The rule flatten follows, spelled out recursively: key children, then the node, in
    document order; paths as render_path writes them; the innermost key above each value."""
    import json as json_module

    from pixelguard_addon.decoders.json_value import SHORT_IDENTIFIER

    out = []

    def visit(path, node):
        keys = [part for part in path if isinstance(part, str)]
        if path and isinstance(path[-1], str) and path[-1] and not SHORT_IDENTIFIER.fullmatch(path[-1]):
            out.append((("json", render_path(path), "(key)"), path[-1], keys[-2] if len(keys) > 1 else parent_key, True))
        if isinstance(node, dict):
            for name, item in node.items():
                visit(path + (name,), item)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                visit(path + (index,), item)
        elif node is not None and node != "":
            value, final = (node, False) if isinstance(node, str) else (json_module.dumps(node), True)
            out.append((("json", render_path(path)), value, keys[-1] if keys else parent_key, final))

    visit((), document)
    return out


def test_flatten_follows_the_path_rule_on_random_documents():
    import random

    rng = random.Random(11)
    keys = ["a", "id", "reason", "Schema.org", "(x)", "", "[k]", 'q"t', "page_url", "ev"]

    def document(depth):
        if depth > 3 or rng.random() < 0.3:
            return rng.choice(["HIV test", "", None, 0, 1.5, True, False, "x"])
        if rng.random() < 0.5:
            return {rng.choice(keys): document(depth + 1) for _ in range(rng.randint(0, 4))}
        return [document(depth + 1) for _ in range(rng.randint(0, 4))]

    compared = 0
    for _ in range(3000):
        doc = document(0)
        if not isinstance(doc, (dict, list)):
            continue
        got = [(c.steps, c.value, c.key, c.final) for c in flatten(doc, "cd[x]", limit=10_000)]
        assert got == _flattened_by_path(doc, "cd[x]"), doc
        compared += bool(got)
    assert compared > 1000
