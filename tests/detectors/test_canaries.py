from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote, quote_plus

import pytest

from pixelguard_addon.detectors.canaries import CanaryDetector, forms_for, rule_id_for
from pixelguard_addon.policy import TestPatient as Patient

from .helpers import ctx, field

PATIENT = Patient("Synthetic patient A", (
    ("email", "Test@Test.org "),
    ("phone", "(212) 555-1212"),
    ("dob", "1971-01-01"),
    ("name", "Ida Aaa Tarbell"),
    ("zip", "10013-4321"),
    ("mrn", "MV00482913"),
    ("ssn", "536-22-1234"),
    ("city", "New York"),
    ("reason", "PrEP follow-up"),
))


@pytest.fixture(scope="module")
def detector():
    return CanaryDetector([PATIENT])


def found(detector, value, key="x"):
    return [(m.rule_id, m.category) for m in detector.detect(field(value, key), ctx())]


# Fixtures from shared/reference/trackers.md §2.5 (verified with hashlib there).
FIXTURES = [
    ("email", "476869598e748d958e819c180af31982"),
    ("email", "624ddbfecf6c492001bd3660870958cb84120ff9"),
    ("email", "f303cf025f54905caca8788d2c7070d47fb49eb6515b7d886d3305a4f10396f9"),
    ("email", "8wPPAl9UkFysqHiNLHBw1H-0nrZRW32IbTMFpPEDlvk"),
    ("phone", "3a85d9e9769dbef83fbb9d8005a3c605"),
    ("phone", "2d145411bbc923915bd493e8d8a0060bee3a1076"),
    ("phone", "7ed1bed67102c5532c32d9825eca3c8698fb11d36a2a6d74de56b787b9133c6e"),
    ("phone", "ftG-1nECxVMsMtmCXso8hpj7EdNqKm103la3h7kTPG4"),
    ("phone", "747581d26fba015a5d93101bb092aae0"),
    ("phone", "26321368f6c23510f79a21085024dd5a4f958e6c22dc057a358d1b5a1fc5c932"),
    ("phone", "JjITaPbCNRD3miEIUCTdWk-Vjmwi3AV6NY0bWh_FyTI"),
    ("phone", "cf13841842080ef6f2e01f08a66a2c0d"),
    ("phone", "8fbf662c8ca3fd948bdaca78c2114489273c3f0dc7c209b1ce08232af95d696b"),
    ("phone", "j79mLIyj_ZSL2sp4whFEiSc8Pw3HwgmxzggjKvldaWs"),
    ("name", "84e52cee623c087164a3e615932f2ba8"),
    ("name", "906eee850221aec6c56a088fa596e45ab057142f69147c4aa98c8e3ac9205289"),
    ("name", "kG7uhQIhrsbFagiPpZbkWrBXFC9pFHxKqYyOOskgUok"),
    ("dob", "24a058d787a1d718b22cfadbd8ede008"),
    ("dob", "5b12992d47cfb2feb1a2c9c5939bfd18a954a6bd"),
    ("dob", "292c3087e5bb372c8b1142716708323316695750f8f8658338be25ad68e350c4"),
    ("dob", "KSwwh-W7NyyLEUJxZwgyMxZpV1D4-GWDOL4lrWjjUMQ"),
]


@pytest.mark.parametrize("field_name,digest", FIXTURES)
def test_reference_hash_fixtures(detector, field_name, digest):
    assert found(detector, digest, "ud[em]") == [(rule_id_for(field_name), f"test-patient:{field_name}")]


@pytest.mark.parametrize("field_name,digest", [f for f in FIXTURES if len(f[1]) in (32, 40, 64)])
def test_hex_matches_in_upper_case(detector, field_name, digest):
    assert found(detector, digest.upper()) == [(rule_id_for(field_name), f"test-patient:{field_name}")]


@pytest.mark.parametrize("digest", [d for _, d in FIXTURES if len(d) == 43])
def test_base64url_is_case_sensitive(detector, digest):
    assert found(detector, digest.swapcase()) == []


def encodings(text: str) -> list[tuple[str, str]]:
    """Every form the detector promises, computed here independently with hashlib/base64."""
    forms = [("raw", text), ("lower", text.lower()), ("upper", text.upper()),
             ("quote", quote(text, safe="")), ("quote_plus", quote_plus(text, safe="")),
             ("base64", base64.b64encode(text.encode()).decode()),
             ("base64 unpadded", base64.b64encode(text.encode()).decode().rstrip("="))]
    for algorithm in ("md5", "sha1", "sha256", "sha512"):
        digest = hashlib.new(algorithm, text.encode()).digest()
        forms += [(f"{algorithm} hex", digest.hex()), (f"{algorithm} HEX", digest.hex().upper()),
                  (f"{algorithm} base64", base64.b64encode(digest).decode()),
                  (f"{algorithm} base64url", base64.urlsafe_b64encode(digest).decode().rstrip("="))]
    return forms


CASES = [
    ("email", "test@test.org"),  # normalised: trimmed, lower-case
    ("phone", "2125551212"),
    ("phone", "12125551212"),
    ("phone", "+12125551212"),
    ("dob", "19710101"),
    ("zip", "10013"),
    ("mrn", "mv00482913"),
    ("ssn", "536221234"),
    ("city", "newyork"),  # Meta ct form
    ("reason", "prep follow-up"),
    ("last_name", "tarbell"),  # derived from name
]


@pytest.mark.parametrize("field_name,normalised", CASES)
@pytest.mark.parametrize("form", [name for name, _ in encodings("x")])
def test_every_form_of_every_value(detector, field_name, normalised, form):
    text = dict(encodings(normalised))[form]
    matches = detector.detect(field(f"payload={text}&x=1", "body"), ctx())
    assert [m.rule_id for m in matches] == [rule_id_for(field_name)], form


@pytest.mark.parametrize("value,field_name", [
    ("Test@Test.org", "email"),
    ("test%40test.org", "email"),
    ("(212) 555-1212", "phone"),
    ("212-555-1212", "phone"),
    ("212.555.1212", "phone"),
    ("01/01/1971", "dob"),
    ("1971-01-01", "dob"),
    ("536-22-1234", "ssn"),
    ("MV00482913", "mrn"),
])
def test_plain_forms(detector, value, field_name):
    assert [m.rule_id for m in detector.detect(field(value), ctx())] == [rule_id_for(field_name)]


@pytest.mark.parametrize("value", ["Ida+Aaa+Tarbell", "IDA AAA TARBELL", "ida%20aaa%20tarbell", "idaaaatarbell"])
def test_full_name_is_one_leak_not_also_its_last_word(detector, value):
    assert [m.rule_id for m in detector.detect(field(value), ctx())] == ["PG-CANARY-NAME"]


def test_last_word_of_the_name_alone(detector):
    assert [m.rule_id for m in detector.detect(field("dear tarbell,"), ctx())] == ["PG-CANARY-LAST-NAME"]


def test_first_and_last_name_make_a_full_name():
    detector = CanaryDetector([Patient("C", (("first_name", "Ida"), ("last_name", "Tarbell")))])
    [match] = detector.detect(field("IDA TARBELL"), ctx())
    assert match.rule_id == "PG-CANARY-NAME" and "first and last name together" in match.detail


@pytest.mark.parametrize("value,key", [("Ida", "udff[fn]"), (" ida ", "fn"), ("NY", "ud[st]")])
def test_short_values_count_as_a_whole_field(vendor_detector, detector, value, key):
    matches = detector.detect(field(value, key), ctx()) + vendor_detector.detect(field(value, key), ctx())
    assert matches and all(m.category.startswith("test-patient:") for m in matches)


@pytest.mark.parametrize("value", ["Idaho", "Ida Lee", "Hello Ida", "NYC"])
def test_short_values_are_not_searched_inside_text(detector, value):
    assert [m for m in detector.detect(field(value), ctx()) if m.rule_id == "PG-CANARY-FIRST-NAME"] == []


def test_gmail_dots_are_normalised_away():
    gmail = CanaryDetector([Patient("B", (("email", "Ida.Tarbell+test@gmail.com"),))])
    dotless = hashlib.sha256(b"idatarbell@gmail.com").hexdigest()
    untagged = hashlib.sha256(b"ida.tarbell@gmail.com").hexdigest()
    assert [m.rule_id for m in gmail.detect(field(dotless), ctx())] == ["PG-CANARY-EMAIL"]
    assert "Gmail" in gmail.detect(field(dotless), ctx())[0].detail
    assert [m.rule_id for m in gmail.detect(field(untagged), ctx())] == ["PG-CANARY-EMAIL"]


@pytest.mark.parametrize("value", [
    "21255512120",  # inside a longer number
    "x2125551212",
    "test@test.orgx",
    "10013999",
    "f303cf025f54905caca8788d2c7070d4",  # half a digest, not the MD5
    "tarbellson",
    "Idaho",  # "Ida" is shorter than 4: only a whole field counts
    "",
])
def test_non_matches(detector, value):
    assert found(detector, value) == []


def test_match_shape_and_masked_evidence(detector):
    [match] = detector.detect(field("f303cf025f54905caca8788d2c7070d47fb49eb6515b7d886d3305a4f10396f9", "ud[em]"), ctx())
    assert (match.rule_id, match.category, match.severity, match.term) == (
        "PG-CANARY-EMAIL", "test-patient:email", "critical", "email")
    assert match.evidence == "sha256:f303cf…"
    assert match.detail == ("e-mail, SHA-256 hex of Meta/Google/TikTok-normalised value (lower-case, trimmed) "
                            "(test patient 'Synthetic patient A')")


@pytest.mark.parametrize("value,secret", [
    ("Test@Test.org", "Test@Test"), ("(212) 555-1212", "555-1212"), ("536-22-1234", "536-22"),
    ("tarbell", "tarbell"), ("MV00482913", "MV00482913"), ("PrEP follow-up", "follow"),
])
def test_raw_evidence_is_masked(detector, value, secret):
    [match] = detector.detect(field(value), ctx())
    assert secret.lower() not in match.evidence.lower()


def test_detail_names_the_transformation(detector):
    details = {m.rule_id: m.detail for m in detector.detect(field(
        "a=ftG-1nECxVMsMtmCXso8hpj7EdNqKm103la3h7kTPG4&b=3a85d9e9769dbef83fbb9d8005a3c605"), ctx())}
    assert details == {"PG-CANARY-PHONE": details["PG-CANARY-PHONE"]}  # one match per field
    assert "digits only" in details["PG-CANARY-PHONE"]


def test_a_value_inside_another_is_part_of_it():
    detector = CanaryDetector([Patient("D", (("email", "ida.tarbell@example.org"), ("last_name", "Tarbell")))])
    assert [m.rule_id for m in detector.detect(field("ida.tarbell@example.org"), ctx())] == ["PG-CANARY-EMAIL"]
    assert [m.rule_id for m in detector.detect(field("tarbell"), ctx())] == ["PG-CANARY-LAST-NAME"]


def test_each_field_reported_once(detector):
    value = "em=f303cf025f54905caca8788d2c7070d47fb49eb6515b7d886d3305a4f10396f9&e=test@test.org&ph=2125551212"
    assert sorted(m.rule_id for m in detector.detect(field(value), ctx())) == ["PG-CANARY-EMAIL", "PG-CANARY-PHONE"]


def test_several_patients():
    detector = CanaryDetector([PATIENT, Patient("B", (("email", "other@example.org"),))])
    matches = detector.detect(field("test@test.org other@example.org"), ctx())
    assert sorted(m.detail.rsplit("'", 2)[1] for m in matches) == ["B", "Synthetic patient A"]


def test_forms_cover_the_promised_encodings():
    descriptions = {f.description for f in forms_for("p", "email", "Test@Test.org")}
    normalised = "Meta/Google/TikTok-normalised value (lower-case, trimmed)"
    for expected in (f"URL-encoded {normalised}", f"base64 of {normalised}", "MD5 hex of value as typed",
                     f"SHA-512 base64url of {normalised}", f"SHA-1 base64 of {normalised}"):
        assert expected in descriptions


@pytest.mark.parametrize("value", ["\ud800", "%" * 70000, "a" * 200000, "\x00" * 10])
def test_never_raises(detector, value):
    detector.detect(field(value), ctx())


def test_scan_is_capped(detector):
    assert found(detector, "x " * 40000 + "test@test.org") == []


# --- each vendor's normalisation (trackers.md §2.2) -------------------------------------------

FULL = Patient("Vendor patient", (
    ("first_name", "Ida-Marie"), ("last_name", "O'Tarbell"), ("email", "Ida.Tarbell+clinic@Gmail.com"),
    ("phone", "+1 (212) 555-1212"), ("dob", "1971-03-09"), ("city", "New York"), ("state", "New York"),
    ("street", "221B Baker St."), ("zip", "10013-4321"),
))


@pytest.fixture(scope="module")
def vendor_detector(patterns):
    from pixelguard_addon.detectors.canaries import load_state_codes

    return CanaryDetector([FULL], load_state_codes(patterns / "us_states.toml"))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def b64_sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


@pytest.mark.parametrize("vendor,key,sent,field_name,transformation", [
    ("Meta", "ud[em]", sha256("ida.tarbell+clinic@gmail.com"), "email", "Meta/Google/TikTok-normalised"),
    ("Google", "em", base64.urlsafe_b64encode(hashlib.sha256(b"idatarbell+clinic@gmail.com").digest())
     .decode().rstrip("="), "email", "Google-normalised Gmail value"),
    ("UID2", "email_hash", b64_sha256("idatarbell@gmail.com"), "email", "UID2-normalised Gmail value"),
    ("TikTok", "email", sha256("ida.tarbell+clinic@gmail.com"), "email", "Meta/Google/TikTok-normalised"),
    ("Meta", "ud[ph]", sha256("2125551212"), "phone", "Meta-normalised value (digits only, no country code)"),
    ("Snap", "u_hpn", sha256("12125551212"), "phone", "Snap/TikTok-normalised value"),
    ("Google", "pn", sha256("+12125551212"), "phone", "Google E.164"),
    ("Meta", "ud[fn]", sha256("idamarie"), "first_name", "Meta-normalised value (lower-case, no punctuation)"),
    ("Meta", "f5first", sha256("idama"), "first_name", "Meta f5first"),
    ("Meta", "fi", sha256("i"), "first_name", "Meta fi (first initial)"),
    ("Meta", "ud[ln]", sha256("otarbell"), "last_name", "Meta-normalised value (lower-case, no punctuation)"),
    ("Meta", "f5last", sha256("otarb"), "last_name", "Meta f5last"),
    ("Google", "ln0", sha256("o'tarbell"), "last_name", "Google-normalised value (lower-case)"),
    ("Meta", "ud[db]", sha256("19710309"), "dob", "Meta db value (YYYYMMDD)"),
    ("Meta", "doby", sha256("1971"), "dob", "Meta doby"),
    ("Meta", "dobm", sha256("03"), "dob", "Meta dobm"),
    ("Meta", "dobd", sha256("09"), "dob", "Meta dobd"),
    ("Meta", "ud[ct]", sha256("newyork"), "city", "Meta ct value (letters only)"),
    ("Meta", "ud[st]", sha256("ny"), "state", "Meta st value (2-letter code"),
    ("Google", "street", sha256("221b baker st"), "street", "Google-normalised value (lower-case, no punctuation)"),
    ("Meta", "ud[zp]", sha256("10013"), "zip", "Meta zp value (first five digits)"),
])
def test_vendor_normalisation_before_hashing(vendor_detector, vendor, key, sent, field_name, transformation):
    matches = {m.rule_id: m for m in vendor_detector.detect(field(sent, key), ctx())}
    match = matches[rule_id_for(field_name)]  # city and state are both "New York": both found
    assert transformation in match.detail, match.detail


@pytest.mark.parametrize("value,field_name", [
    ("New+York", "city"), ("221B%20Baker%20St.", "street"), ("+12125551212", "phone"),
    ("IDA-MARIE", "first_name"), ("newyork", "city"),
])
def test_plain_vendor_forms(vendor_detector, value, field_name):
    assert rule_id_for(field_name) in {m.rule_id for m in vendor_detector.detect(field(value), ctx())}


@pytest.mark.parametrize("value", ["i", "03", "09", "1971", "idama"])
def test_short_meta_forms_are_only_searched_hashed(vendor_detector, value):
    # an initial, a month, a day or a year as plain text would be found everywhere
    assert vendor_detector.detect(field(value, "x"), ctx()) == []


def test_one_pass_finds_case_sensitive_and_insensitive_forms_together(vendor_detector):
    value = f"a={sha256('2125551212').upper()}&b={b64_sha256('idatarbell@gmail.com')}&c=NEW%20YORK"
    assert sorted(m.rule_id for m in vendor_detector.detect(field(value), ctx())) == [
        "PG-CANARY-CITY", "PG-CANARY-EMAIL", "PG-CANARY-PHONE", "PG-CANARY-STATE"]


def test_base64_found_only_in_its_own_case(vendor_detector):
    sent = b64_sha256("idatarbell@gmail.com")
    assert vendor_detector.detect(field(sent.lower()), ctx()) == []
    assert vendor_detector.detect(field(sent.upper()), ctx()) == []
