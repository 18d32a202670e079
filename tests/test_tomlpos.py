import tomllib

import pytest

from pixelguard_addon.tomlpos import key_lines, line_of

DOC = '''\
schema_version = 1
# a comment with key = "value" in it

[[vendor]]
id = "first"
hosts = [
  "a.example",   # trailing comment
  "b.example",
]

[vendor.fields]
dl = "page_url"
"ud[em]" = "hashed_id"
'$current_url' = "page_url"
"say \\"hi\\"" = "event"

[[vendor]]
id = "second"
note = """
[[vendor]]
id = "not a table"
"""
hosts = ["c.example", "d.example"]
fields = { dl = "page_url", "ep.*" = "user_text" }

[policy]
mode = 'report # not a comment'
limits.max_body = 10

[[test_patient]]
email = "a@example.org"

[[test_patient]]
name = "B"
email = "b@example.org"
'''


def test_doc_is_valid_toml():
    # the scanner is meant for text tomllib accepts; make sure the fixture is such text
    assert tomllib.loads(DOC)["vendor"][1]["id"] == "second"


@pytest.mark.parametrize(
    "path, line",
    [
        (["schema_version"], 1),
        (["vendor"], 4),
        (["vendor", 0], 4),
        (["vendor", 0, "id"], 5),
        (["vendor", 0, "hosts"], 6),
        (["vendor", 0, "hosts", 0], 7),
        (["vendor", 0, "hosts", 1], 8),
        (["vendor", 0, "fields"], 11),
        (["vendor", 0, "fields", "dl"], 12),
        (["vendor", 0, "fields", "ud[em]"], 13),
        (["vendor", 0, "fields", "$current_url"], 14),
        (["vendor", 0, "fields", 'say "hi"'], 15),
        (["vendor", 1], 17),
        (["vendor", 1, "id"], 18),
        (["vendor", 1, "note"], 19),
        (["vendor", 1, "hosts"], 23),
        (["vendor", 1, "hosts", 1], 23),
        (["vendor", 1, "fields", "ep.*"], 24),
        (["policy"], 26),
        (["policy", "mode"], 27),
        (["policy", "limits", "max_body"], 28),
        (["test_patient", 0, "email"], 31),
        (["test_patient", 1, "email"], 35),
    ],
)
def test_line_of(path, line):
    assert line_of(DOC, path) == line


def test_multiline_string_content_is_not_a_table():
    # the fake [[vendor]] inside note = """…""" must not count as a third vendor
    assert line_of(DOC, ["vendor", 2]) is None
    assert line_of(DOC, ["vendor", 1, "id"]) == 18


def test_missing_key_is_none():
    assert line_of(DOC, ["vendor", 0, "kind"]) is None
    assert line_of(DOC, ["nothing"]) is None


def test_nearest_falls_back_to_enclosing_table():
    assert line_of(DOC, ["vendor", 1, "kind"], nearest=True) == 17
    assert line_of(DOC, ["vendor", 0, "fields", "zz"], nearest=True) == 11
    assert line_of(DOC, ["absent", "key"], nearest=True) is None


def test_nested_array_of_tables():
    text = "[[a]]\nx = 1\n[[a.b]]\ny = 1\n[[a.b]]\ny = 2\n[[a]]\n[[a.b]]\ny = 3\n"
    assert tomllib.loads(text)["a"][1]["b"][0]["y"] == 3
    assert line_of(text, ["a", 0, "b", 1, "y"]) == 6
    assert line_of(text, ["a", 1, "b", 0, "y"]) == 9


def test_multiline_literal_and_quote_runs():
    text = "a = '''\nb = 1\n'''\nc = \"\"\"x\"\"\"\"\nd = 2\n"
    assert tomllib.loads(text)["c"] == 'x"'
    assert line_of(text, ["b"]) is None
    assert line_of(text, ["d"]) == 5


def test_crlf_line_endings():
    text = "x = 1\r\n[t]\r\ny = 2\r\n"
    assert line_of(text, ["t", "y"]) == 3


def test_key_lines_keeps_first_occurrence():
    lines = key_lines("[t]\na.b = 1\na.c = 2\n")
    assert lines[("t", "a")] == 2
    assert lines[("t", "a", "c")] == 3
