from __future__ import annotations


import pytest

from pixelguard_addon.detectors.identifiers import (
    _Scan,
    HashedIdentifierDetector,
    IdentifierDetector,
    load_identifiers,
)
from pixelguard_addon.detectors.loading import DataError

from .helpers import PATTERNS, ctx, field


@pytest.fixture(scope="module")
def detector(identifier_table):
    return IdentifierDetector(identifier_table)


@pytest.fixture(scope="module")
def hashed(identifier_table):
    return HashedIdentifierDetector(identifier_table)


def rules(detector, value, key="", role=""):
    return sorted(m.rule_id for m in detector.detect(field(value, key), ctx(role)))


@pytest.mark.parametrize("value,key,rule", [
    # e-mail: any key; %40 decoded; file names with @ are not addresses
    ("mary.smith@example.org", "", "PG-ID-EMAIL"),
    ("contact mary.smith@example.org today", "cd[buttonText]", "PG-ID-EMAIL"),
    ("mary.smith%40example.org", "email", "PG-ID-EMAIL"),
    ("https://x.org/thanks?email=mary%2540example.org", "dl", "PG-ID-EMAIL"),
    ("logo@2x.png", "", None),
    ("/static/app@1.2.3.js", "", None),
    ("user@localhost", "", None),
    # phone: formatted anywhere, E.164 anywhere, bare digits only under a phone key
    ("(212) 555-1212", "", "PG-ID-PHONE"),
    ("call 212-555-1212 now", "", "PG-ID-PHONE"),
    ("+1 212 555 1212", "", "PG-ID-PHONE"),
    ("+12125551212", "", "PG-ID-PHONE"),
    ("2125551212", "ud[ph]", "PG-ID-PHONE"),
    ("12125551212", "phone_number", "PG-ID-PHONE"),
    ("2125551212", "", None),
    ("2125551212", "id", None),
    ("(112) 555-1212", "", None),  # area code starts 1
    ("212-911-1212", "", None),  # N11 exchange
    # SSN: dashed anywhere (validated), bare 9 digits only under an SSN key
    ("536-22-1234", "", "PG-ID-SSN"),
    ("ssn 536-22-1234", "note", "PG-ID-SSN"),
    ("536221234", "ssn", "PG-ID-SSN"),
    ("536221234", "", None),
    ("666-22-1234", "", None),
    ("536-00-1234", "", None),
    ("078-05-1120", "", None),  # Woolworth wallet card
    # date of birth: only with a birth key or "DOB"/"born" just before
    ("19710101", "ud[db]", "PG-ID-DOB"),
    ("1971-01-01", "dob", "PG-ID-DOB"),
    ("01/02/1971", "birthDate", "PG-ID-DOB"),
    ("DOB: 01/02/1971", "cd[formText]", "PG-ID-DOB"),
    ("born 1971-01-01 in Ohio", "", "PG-ID-DOB"),
    ("1971-01-01", "", None),
    ("2024-05-01", "event_date", None),
    ("19710101", "", None),
    ("1971-02-30", "dob", None),
    ("1850-01-01", "dob", None),
    # ZIP: only under a ZIP key (or "zip" just before)
    ("10013", "ud[zp]", "PG-ID-ZIP"),
    ("02115-1234", "postalCode", "PG-ID-ZIP"),
    ("10013", "pc0", "PG-ID-ZIP"),
    ("zip 10013", "", "PG-ID-ZIP"),
    ("10013", "qty", None),
    ("10013", "", None),
    # record numbers: only under an MRN key (or "MRN" just before)
    ("MV00482913", "mrn", "PG-ID-MRN"),
    ("00482913", "patientId", "PG-ID-MRN"),
    ("A1234567", "medical_record_number", "PG-ID-MRN"),
    ("My MRN is A1234567", "", "PG-ID-MRN"),
    ("MV00482913", "", None),
    ("ABCDEFGH", "mrn", None),
    # e-mail TLD: on the public suffix list
    ("nurse@clinic.internal", "", None),
    # street address: number + capitalised words + suffix; a key allows looser forms
    ("I live at 4500 N. Oak Park Avenue", "", "PG-ID-ADDRESS"),
    ("221 Baker Street", "cd[message]", "PG-ID-ADDRESS"),
    ("7 Elm Court", "ud[street]", "PG-ID-ADDRESS"),
    ("7 Elm Court", "", None),
    ("Buy 2 Large Pizzas Way", "", None),
    ("Open 24 Hours Every Day", "", None),
    # member and account numbers: key context
    ("W123456789", "member_id", "PG-ID-MEMBER"),
    ("XYZ987654321", "subscriberId", "PG-ID-MEMBER"),
    ("W123456789", "", None),
    ("12345678901", "account_number", "PG-ID-ACCOUNT"),
    ("12345678901", "", None),
    # Medicare MBI: the display form anywhere, 11 characters with a key or "Medicare"
    ("1EG4-TE5-MK73", "", "PG-ID-MBI"),
    ("1EG4TE5MK73", "mbi", "PG-ID-MBI"),
    ("Medicare 1EG4TE5MK73", "", "PG-ID-MBI"),
    ("1EG4TE5MK73", "", None),
    ("1SG4-TE5-MK73", "", None),
    # NPI: Luhn over 80840 + number, and a key (10-digit timestamps pass Luhn too)
    ("1234567893", "npi", "PG-ID-NPI"),
    ("NPI 1245319599", "", "PG-ID-NPI"),
    ("1234567893", "", None),
    ("1234567890", "npi", None),
    # DEA: check digit
    ("AB1234563", "", "PG-ID-DEA"),
    ("AB1234564", "", None),
    # card numbers: grouped + Luhn anywhere; bare digits only with a key or "card"
    ("4539 1488 0343 6467", "", "PG-ID-CARD"),
    ("4539148803436467", "cc_number", "PG-ID-CARD"),
    ("card 4539148803436467", "", "PG-ID-CARD"),
    ("4539148803436467", "", None),
    ("4539 1488 0343 6468", "", None),
    # IP addresses: public anywhere; private and loopback only under an IP key
    ("8.8.8.8", "", "PG-ID-IP"),
    ("client at 2001:4860:4860::8888", "", "PG-ID-IP"),
    ("192.168.1.10", "client_ip_address", "PG-ID-IP"),
    ("192.168.1.10", "", None),
    ("Mozilla/5.0 Chrome/120.0.6099.109 Safari/537.36", "ua", None),
    ("1.2.3.4", "sdk_version", None),  # a version under a version key
    ("12:30:45", "", None),
    # advertising ids under ad-id keys; the all-zero id is "limited tracking"
    ("cd5e3b16-64b8-4fb5-9ea3-6b3b0a6d2c8e", "gps_adid", "PG-ID-DEVICE"),
    ("CD5E3B16-64B8-4FB5-9EA3-6B3B0A6D2C8E", "advertiser_id", "PG-ID-DEVICE"),
    ("00000000-0000-0000-0000-000000000000", "idfa", None),
    ("cd5e3b16-64b8-4fb5-9ea3-6b3b0a6d2c8e", "session_id", None),
    # names: under name keys only
    ("Ida", "ud[fn]", "PG-ID-NAME"),
    ("Ida Tarbell", "patientName", "PG-ID-NAME"),
    ("tarbell", "udff[ln]", "PG-ID-NAME"),
    ("Ida Tarbell", "name", None),  # events, products and pages have names too
    ("undefined", "ud[fn]", None),
])
def test_identifier_table(detector, value, key, rule):
    assert rules(detector, value, key) == ([rule] if rule else [])


@pytest.mark.parametrize("value,key", [
    ("1700000000000", "ts"),  # millisecond timestamp
    ("1700000000", "ts"),  # second timestamp
    ("1234567890123456", "id"),  # Meta pixel id
    ("123456789.1700000000", "cid"),  # GA client id
    ("GA1.1.123456789.1700000000", "_ga"),
    ("19.99", "value"),  # price
    ("$1,234.56", "cd[value]"),
    ("1234.56", "epn.value"),
    ("2024-05-01T10:00:00.000Z", "event_time"),
    ("1920x1080", "sr"),  # screen resolution
    ("192.168.100.100", "host"),
    ("3.14159265358979", "pi"),
    ("G-ABC123DEF4", "tid"),
    ("fb.1.1700000000000.1234567890", "fbp"),
    ("550e8400-e29b-41d4-a716-446655440000", "anonymous_id"),
    ("v=2&_p=1700000000&sr=1920x1080", "body"),
    ("12345", "zipper_speed"),  # word 'zip' inside another word is not a ZIP key
])
def test_ordinary_tracker_values_are_not_identifiers(detector, hashed, value, key):
    assert rules(detector, value, key) == []
    assert rules(hashed, value, key) == []


def test_ordinary_value_key_lowers_confidence(detector):
    assert rules(detector, "(212) 555-1212", "order_id") == []  # a phone-shaped order number
    [match] = detector.detect(field("mary.smith@example.org", "transaction_id"), ctx())
    plain = detector.detect(field("mary.smith@example.org", "x"), ctx())[0]
    assert match.confidence < plain.confidence
    assert match.key_context.startswith("transaction_id") and "lowers confidence" in match.key_context
    assert "lower confidence" in match.detail


def test_identifier_key_is_recorded_as_key_context(detector):
    [match] = detector.detect(field("2125551212", "ud[ph]"), ctx())
    assert match.key_context == "ud[ph] (an identifier key: raises confidence)"
    [plain] = detector.detect(field("(212) 555-1212", "x"), ctx())
    assert plain.key_context == ""


def test_key_context_is_named_in_detail_and_raises_confidence(detector):
    with_key = detector.detect(field("(212) 555-1212", "udff[ph]"), ctx())[0]
    without = detector.detect(field("(212) 555-1212", "x"), ctx())[0]
    assert "key context: udff[ph]" in with_key.detail
    assert with_key.confidence > without.confidence
    assert with_key.category == "identifier:phone" and with_key.term == "phone"


@pytest.mark.parametrize("value,key,secret", [
    ("mary.smith@example.org", "", "mary.smith"),
    ("(212) 555-1212", "", "555-1212"),
    ("536-22-1234", "", "536-22"),
    ("19710101", "db", "0101"),
    ("10013", "zp", "10013"),
    ("MV00482913", "mrn", "MV004829"),
])
def test_evidence_is_masked(detector, value, key, secret):
    [match] = detector.detect(field(value, key), ctx())
    assert secret not in match.evidence and value not in match.evidence
    assert "•" in match.evidence


def test_one_match_per_kind_per_field(detector):
    matches = detector.detect(field("a@example.org b@example.org (212) 555-1212 (646) 555-1234"), ctx())
    assert sorted(m.rule_id for m in matches) == ["PG-ID-EMAIL", "PG-ID-PHONE"]


def test_finds_identifiers_deep_in_long_values(detector):
    filler = "lorem ipsum dolor 12 sit amet " * 2000
    value = filler + " write to mary.smith@example.org or call (212) 555-1212 " + filler
    assert rules(detector, value) == ["PG-ID-EMAIL", "PG-ID-PHONE"]


def test_scan_is_capped(detector):
    value = "x" * (70 * 1024) + " mary.smith@example.org"
    assert rules(detector, value) == []


@pytest.mark.parametrize("value", ["", "@", "@@@@", "%40" * 1000, "\ud800@x.org", "9" * 100000,
                                   "a@" * 50000, "(" * 10000 + "212) 555-1212", "\x00\x01\x02" * 1000])
def test_never_raises(detector, hashed, value):
    detector.detect(field(value, "ud[em]"), ctx())
    hashed.detect(field(value, "ud[em]"), ctx("hashed_id"))


def test_large_values_of_ordinary_numbers_give_nothing(detector):
    # how long this takes is measured by scripts/bench_limits.py
    value = ("item 1234 price 19.99 ts=1700000000 id=1234567890123456 " * 1200)[: 64 * 1024]
    assert detector.detect(field(value, "body"), ctx()) == []


# --- PG-ID-HASHED ---------------------------------------------------------------------------

SHA256_HEX = "f303cf025f54905caca8788d2c7070d47fb49eb6515b7d886d3305a4f10396f9"
SHA256_B64URL = "8wPPAl9UkFysqHiNLHBw1H-0nrZRW32IbTMFpPEDlvk"
MD5_HEX = "476869598e748d958e819c180af31982"
SHA1_HEX = "624ddbfecf6c492001bd3660870958cb84120ff9"
SHA512_HEX = "ab" * 16 + "0123456789abcdef" * 6


@pytest.mark.parametrize("value,key,role,category", [
    (SHA256_HEX, "ud[em]", "", "identifier:hashed-email"),
    (SHA256_HEX, "udff[em]", "", "identifier:hashed-email"),
    (SHA256_HEX.upper(), "em", "", "identifier:hashed-email"),
    (MD5_HEX, "hem", "", "identifier:hashed-email"),
    (SHA1_HEX, "u_hem", "", "identifier:hashed-email"),
    (SHA512_HEX, "sha256_email_address", "", "identifier:hashed-email"),
    (SHA256_B64URL, "em", "", "identifier:hashed-email"),
    (SHA256_HEX, "udff[ph]", "", "identifier:hashed-phone"),
    (SHA256_HEX, "u_hpn", "", "identifier:hashed-phone"),
    (SHA256_HEX, "ud[fn]", "", "identifier:hashed-name"),
    (SHA256_HEX, "ln0", "", "identifier:hashed-name"),
    (SHA256_HEX, "ud[zp]", "", "identifier:hashed-other"),
    (SHA256_HEX, "ud[external_id]", "", "identifier:hashed-other"),
    (SHA256_HEX, "user_data.whatever", "hashed_id", "identifier:hashed-other"),
    (f"{SHA256_HEX},{MD5_HEX}", "em", "", "identifier:hashed-email"),
])
def test_hashed_identifiers(hashed, value, key, role, category):
    matches = hashed.detect(field(value, key), ctx(role))
    assert [m.category for m in matches] == [category]
    assert matches[0].rule_id == "PG-ID-HASHED"
    assert value not in matches[0].evidence and matches[0].evidence.endswith("…")


@pytest.mark.parametrize("value,key,role", [
    (SHA256_HEX, "state", ""),  # OAuth state, request ids: not an identifier key
    (SHA256_HEX, "event_id", ""),
    (SHA256_HEX, "", ""),
    ("FFF" + SHA256_HEX, "u_hem", ""),  # Snap sentinel shape: 67 characters
    ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "ud[em]", ""),  # SHA-256 of ""
    ("d41d8cd98f00b204e9800998ecf8427e", "em", ""),  # MD5 of ""
    ("0" * 64, "ud[em]", ""),
    ("mary.smith@example.org", "ud[em]", ""),  # raw e-mail is PG-ID-EMAIL's, not a digest
    (SHA256_HEX[:60], "ud[em]", ""),  # wrong length
    ("g" * 64, "ud[em]", "hashed_id"),
])
def test_not_hashed_identifiers(hashed, value, key, role):
    assert hashed.detect(field(value, key), ctx(role)) == []


def test_google_user_data_string_is_split(hashed):
    value = ("tv.1~em.8wPPAl9UkFysqHiNLHBw1H-0nrZRW32IbTMFpPEDlvk~pn.ftG-1nECxVMsMtmCXso8hpj7EdNqKm103la3h7kTPG4"
             "~pc0.10013~co0.us")
    matches = hashed.detect(field(value, "em"), ctx())
    assert sorted(m.category for m in matches) == ["identifier:hashed-email", "identifier:hashed-phone"]
    assert all("tv.1~" in m.detail for m in matches)


def test_role_only_is_less_confident_than_key(hashed):
    by_key = hashed.detect(field(SHA256_HEX, "ud[em]"), ctx())[0]
    by_role = hashed.detect(field(SHA256_HEX, "custom"), ctx("hashed_id"))[0]
    assert by_role.confidence < by_key.confidence
    assert "key context: ud[em]" in by_key.detail and "hashed_id" in by_role.detail


# --- data file ------------------------------------------------------------------------------

def test_shipped_file_declares_every_rule(identifier_table):
    assert {k.rule_id for k in identifier_table.kinds} == {
        "PG-ID-EMAIL", "PG-ID-PHONE", "PG-ID-SSN", "PG-ID-DOB", "PG-ID-ZIP", "PG-ID-MRN", "PG-ID-ADDRESS",
        "PG-ID-MEMBER", "PG-ID-ACCOUNT", "PG-ID-MBI", "PG-ID-NPI", "PG-ID-DEA", "PG-ID-CARD", "PG-ID-IP",
        "PG-ID-DEVICE", "PG-ID-NAME"}
    assert identifier_table.hashed.rule_id == "PG-ID-HASHED"


def write(tmp_path, text):
    path = tmp_path / "identifiers.toml"
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """schema_version = 1
[[kind]]
name = "npi"
rule_id = "PG-ID-NPI"
severity = "medium"
{extra}
[[kind.pattern]]
name = "ten digits"
regex = '{regex}'
key_required = true
[hashed]
rule_id = "PG-ID-HASHED"
severity = "high"
"""


def test_a_new_kind_is_a_data_change(tmp_path):
    table = load_identifiers(write(tmp_path, MINIMAL.format(extra='key_hints = ["npi"]', regex=r"\b\d{10}\b")))
    matches = IdentifierDetector(table).detect(field("1234567893", "provider_npi"), ctx())
    assert [(m.rule_id, m.category, m.severity) for m in matches] == [("PG-ID-NPI", "identifier:npi", "medium")]


@pytest.mark.parametrize("extra,regex,problem", [
    ('validator = "luhn_npi"', r"\d{10}", "unknown validator"),
    ('severity_level = "x"', r"\d{10}", "unknown key"),
    ("", r"(\d{10}", "invalid regex"),
    ('mask = "rot13"', r"\d{10}", "unknown mask"),
    ("confidence = 2", r"\d{10}", "from 0 to 1"),
])
def test_bad_data_is_reported_with_file_and_key(tmp_path, extra, regex, problem):
    path = write(tmp_path, MINIMAL.format(extra=extra, regex=regex))
    with pytest.raises(DataError, match=problem) as info:
        load_identifiers(path)
    assert str(path) in str(info.value) and "kind[0]" in str(info.value)


def test_wrong_schema_version(tmp_path):
    with pytest.raises(DataError, match="schema_version"):
        load_identifiers(write(tmp_path, "schema_version = 2\n"))


def test_shipped_file_loads_from_patterns():
    assert (PATTERNS / "identifiers.toml").is_file()


def corpus_values():
    """Every leaf value of the bundled captures and fixtures, plus the table cases above."""
    from pathlib import Path

    from pixelguard_addon.capture import read_capture
    from pixelguard_addon.decoders import decode_request

    root = Path(__file__).resolve().parents[2]
    values = set()
    for path in sorted(root.glob("tests/data/**/*.har")) + sorted(root.glob("pixelguard_addon/demo/*.har")):
        try:
            for request in read_capture(str(path)):
                values.update((f.value, f.key) for f in decode_request(request).fields if not f.container)
        except Exception:  # deliberately broken captures are other tests' business
            continue
    return sorted(values)


def test_the_joined_shortcut_finds_exactly_what_the_pattern_loop_finds(identifier_table, monkeypatch):
    # Both shortcuts: the joined search of unkeyed patterns, and the plan of a value without a
    # context word (the only one an @ or a colon leaves: timestamps, IPv6, e-mails).
    fast = IdentifierDetector(identifier_table)
    slow = IdentifierDetector(identifier_table)
    monkeypatch.setattr(slow, "_only_keyed_can_match", lambda *args: False)
    monkeypatch.setattr(slow, "_plan_without_context", lambda hints, digits, may_match: slow._eligible[digits])
    context_free = []
    plan_without_context = fast._plan_without_context
    monkeypatch.setattr(fast, "_plan_without_context", lambda *args: context_free.append(args) or plan_without_context(*args))
    extra = ["call (212) 555-0143", "ssn 123-45-6789", "dob 1980-02-29", "zip 02139", "12 Main Street",
             "4539 1488 0343 6467", "NPI 1245319599", "AB1234563", "8.8.8.8", "1EG4-TE5-MK73", "x 1 y",
             "2026-11-23T12:02:55.802Z", "fe80::1ff:fe23:4567:890a", "at 10:30, 12 Main St", "ida%40example.org",
             "ida@example.org 212-555-0143", "ts:1795435374453", "phone: 2125550143", "born 02/29/1980 at 10:30"]
    cases = corpus_values() + [(value, key) for value in extra for key in ("", "phone", "note", "ts")]
    assert len(cases) > 500
    shortcut_taken = 0
    for value, key in cases:
        item = field(value, key)
        expected = slow.detect(item, ctx())
        assert fast.detect(item, ctx()) == expected, (value, key)
        digits = min(sum(ch in "0123456789" for ch in value), 64)
        scan = _Scan(value, fast._context_words, fast._context_probe)
        shortcut_taken += fast._only_keyed_can_match(value, digits, bool({"@", "%", ":"} & set(value)), scan)
    assert shortcut_taken > len(cases) // 2  # the shortcut is what most values take
    assert sum(not may_match for _, _, may_match in context_free) > 40


def test_patterns_only_regex_reads_are_joined_with_regex():
    import re

    import regex

    from pixelguard_addon.detectors.identifiers import PatternSpec, _any_of

    plain = PatternSpec("p", regex.compile(r"(?<!\d)\d{3}-\d{4}"), False, "digits")
    variable = PatternSpec("v", regex.compile(r"(?<=ab+)\d\d"), False, "digits")
    assert isinstance(_any_of([plain]), re.Pattern)
    joined = _any_of([plain, variable])
    assert not isinstance(joined, re.Pattern) and joined.search("abbb12") and joined.search("555-0143")
    assert _any_of([]).search("555-0143 abbb12") is None


def test_the_context_probe_sees_a_context_word_wherever_the_overlapped_pass_does(identifier_table):
    detector = IdentifierDetector(identifier_table)
    words = sorted({w for kind in identifier_table.kinds for w in kind.context_words})
    crafted = [f"{prefix}{word}{suffix}" for word in words for prefix, suffix in (("", ""), ("my ", ": 1"), ("x", ""))]
    values = [value.lower() for value, _ in corpus_values()] + crafted
    found_by_probe = 0
    for value in values:
        overlapped = set(detector._context_words.findall(value, overlapped=True))
        assert (detector._context_probe.search(value) is not None) == bool(overlapped), value
        found_by_probe += bool(overlapped)
        assert _Scan(value, detector._context_words, detector._context_probe)._context_found(value) == overlapped
    assert found_by_probe >= len(words)  # every word, alone, is found


def test_a_hex_digest_is_a_hash_not_a_source_of_digit_runs(detector, hashed):
    # A sha256 of a phone number holds digit runs by chance; under a phone key it is a hashed
    # phone (PG-ID-HASHED), never a phone number read out of the hex.
    import hashlib

    digest = hashlib.sha256(b"12125550142").hexdigest()
    assert detector.detect(field(digest, "udff[ph]"), ctx()) == []
    assert [m.category for m in hashed.detect(field(digest, "udff[ph]"), ctx())] == ["identifier:hashed-phone"]
    assert [m.category for m in detector.detect(field("2125550142", "udff[ph]"), ctx())] == ["identifier:phone"]
