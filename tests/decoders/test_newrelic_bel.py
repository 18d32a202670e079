"""New Relic `bel.7;` bodies, as the agent's bel-serializer writes them."""
from __future__ import annotations

from pixelguard_addon.decoders.newrelic_bel import split_records

from .helpers import chains, decode

# An AJAX node (type 2) then two custom attribute records (type 5): the second repeats the
# attribute key "patient" by its string-table index (base 36).
BODY = ("bel.7;2,2,ng,1m,,,'GET,5k,'portal.test:443,'/api/appointments?reason=HIV%20PrEP,,1a,1,'0,!!!;"
        "5,'enduser.id,'ida.tarbell.test@example.org;5,'phone,'212-555-0142\\, ext\\; 7")


def test_strings_and_attributes_are_yielded():
    found = chains(decode("https://bam.nr-data.net/events/1/KEY", method="POST", body=BODY,
                          headers={"Content-Type": "text/plain"}, decoders=["newrelic_bel"]))
    assert found["body → bel.7 → [0][9]"] == "/api/appointments?reason=HIV%20PrEP"  # record 0, field 9
    assert found["body → bel.7 → [1].enduser.id"] == "ida.tarbell.test@example.org"
    assert found["body → bel.7 → [2].phone"] == "212-555-0142, ext; 7"  # escapes undone


def test_split_records_keeps_escaped_separators():
    assert split_records("a,'x\\,y;b\\;c") == [["a", "'x,y"], ["b;c"]]


def test_other_vendors_bodies_are_not_read_as_bel():
    found = chains(decode("https://collector.example/x", method="POST", body=BODY, headers={"Content-Type": "text/plain"}))
    assert not any("bel.7" in chain for chain in found)
