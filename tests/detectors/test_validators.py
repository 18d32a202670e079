from __future__ import annotations

import datetime as dt

import pytest

from pixelguard_addon.detectors import validators

REJECT_TLDS = ("png", "js", "css", "jpg")


@pytest.mark.parametrize("value,valid", [
    ("mary.smith@example.org", True),
    ("a+tag@mail.co.uk", True),
    ("x@sub.domain.health", True),
    ("test%40test.org", True),
    ("test%2540test.org", True),
    ("logo@2x.png", False),
    ("bundle@1.2.3.js", False),
    ("sprite@retina.css", False),
    ("user@host", False),
    ("user@example.c", False),
    ("user@example." + "a" * 25, False),
    ("user@example.c0m", False),
    (".dot@example.org", False),
    ("two..dots@example.org", False),
    ("x@-bad.org", False),
    ("not an email", False),
])
def test_email(value, valid):
    assert (validators.email(value, reject_tlds=REJECT_TLDS) == "") is valid


@pytest.mark.parametrize("value,valid", [
    ("2125551212", True),
    ("12125551212", True),
    ("+1 (212) 555-1212", True),
    ("212.555.1212", True),
    ("1125551212", False),  # area code starts 1
    ("0125551212", False),  # area code starts 0
    ("2121551212", False),  # exchange starts 1
    ("2120551212", False),  # exchange starts 0
    ("9115551212", False),  # N11 area code
    ("2124111212", False),  # N11 exchange
    ("2222222222", False),  # repeated digit
    ("212555121", False),  # 9 digits
    ("22125551212", False),  # 11 digits not starting 1
])
def test_us_phone(value, valid):
    assert (validators.us_phone(value) == "") is valid


DUMMIES = ("078-05-1120", "219-09-9999")


@pytest.mark.parametrize("value,valid", [
    ("123-45-6780", True),
    ("536-22-1234", True),
    ("536221234", True),
    ("000-12-3456", False),
    ("666-12-3456", False),
    ("900-12-3456", False),
    ("999-12-3456", False),
    ("123-00-4567", False),
    ("123-45-0000", False),
    ("078-05-1120", False),
    ("219-09-9999", False),
    ("111-11-1111", False),
    ("12-345-678", False),
])
def test_ssn(value, valid):
    assert (validators.ssn(value, dummies=DUMMIES) == "") is valid


TODAY = dt.date(2025, 6, 1)


@pytest.mark.parametrize("value,valid", [
    ("1971-01-01", True),
    ("01/02/1971", True),
    ("1/2/1971", True),
    ("19710101", True),
    ("2000-02-29", True),
    ("1900-01-01", True),
    ("2025-06-01", True),
    ("1899-12-31", False),  # before 1900
    ("2025-06-02", False),  # after "today"
    ("1971-13-01", False),
    ("1971-02-30", False),
    ("2001-02-29", False),  # not a leap year
    ("19711301", False),
    ("yesterday", False),
])
def test_date_of_birth(value, valid):
    assert (validators.date_of_birth(value, today=TODAY) == "") is valid


@pytest.mark.parametrize("value,valid", [
    ("10013", True), ("02115-1234", True), ("00000", False), ("1234", False), ("123456", False),
])
def test_zip_code(value, valid):
    assert (validators.zip_code(value) == "") is valid


@pytest.mark.parametrize("value,valid", [
    ("MV00482913", True),
    ("123456", True),
    ("A1B2C3D4", True),
    ("ABCDEF12", False),  # fewer than 4 digits
    ("12345", False),  # too short
    ("1234567890123", False),  # too long
    ("000000", False),  # one repeated digit
    ("MV-004829", False),  # punctuation
])
def test_record_number(value, valid):
    assert (validators.record_number(value) == "") is valid


def test_registry_names_every_validator():
    assert set(validators.VALIDATORS) == {"email", "us_phone", "ssn", "date_of_birth", "zip", "record_number",
                                          "member_id", "account_number", "credit_card", "npi", "dea", "mbi",
                                          "ip_address", "device_id", "person_name"}


@pytest.mark.parametrize("name", sorted(validators.VALIDATORS))
@pytest.mark.parametrize("junk", ["", " ", "\x00", "\ud800", "9" * 10000, "%", "%zz@x.org"])
def test_validators_never_raise(name, junk):
    assert isinstance(validators.VALIDATORS[name](junk), str)


@pytest.mark.parametrize("value,valid", [
    ("mary@example.org", True), ("x@clinic.health", True), ("a@b.museum", True),
    ("user@host.internal", False), ("user@printer.local", False), ("x@y.zzzz", False),
])
def test_email_tld_is_checked_against_the_public_suffix_list(value, valid):
    assert (validators.email(value, check_tld=True) == "") is valid


@pytest.mark.parametrize("value", ["2125550123", "6465550199"])
def test_us_phone_fictional_range_still_counts(value):
    # 555-01XX is reserved for fiction, which is what testers type into forms: a leak all the same
    assert validators.us_phone(value) == ""


@pytest.mark.parametrize("value,valid", [
    ("1EG4-TE5-MK73", True),  # CMS's own example
    ("1EG4TE5MK73", True),
    ("9AA0A00AA00", True),
    ("0EG4TE5MK73", False),  # position 1 is 1-9
    ("1SG4TE5MK73", False),  # S is never used
    ("1EG4TE5MK7", False),  # 10 characters
    ("1eg4te5mk73", False),  # lower case: not how an MBI is written
    ("1EGATE5MK73", False),  # position 4 is a digit
])
def test_mbi(value, valid):
    assert (validators.mbi(value) == "") is valid


@pytest.mark.parametrize("value,valid", [
    ("1234567893", True),  # CMS's example NPI
    ("1245319599", True),
    ("1234567890", False),  # check digit
    ("3234567893", False),  # starts 3
    ("123456789", False),
    ("12345678930", False),
])
def test_npi(value, valid):
    assert (validators.npi(value) == "") is valid


@pytest.mark.parametrize("value,valid", [
    ("AB1234563", True), ("BJ6125341", True), ("ab1234563", True), ("A91234563", True),
    ("AB1234564", False),  # check digit
    ("IB1234563", False),  # I is no registrant type
    ("AB123456", False),
])
def test_dea(value, valid):
    assert (validators.dea(value) == "") is valid


@pytest.mark.parametrize("value,valid", [
    ("4539 1488 0343 6467", True),  # Visa
    ("5425-2334-3010-9903", True),  # Mastercard
    ("2223000048410010", True),  # Mastercard 2-series
    ("3714 496353 98431", True),  # Amex, 15 digits
    ("6011 0009 9013 9424", True),  # Discover
    ("4539 1488 0343 6468", False),  # Luhn
    ("1234 5678 9012 3452", False),  # no network starts with 1
    ("4111 1111 1111 1111", False),  # the test card: too few distinct digits
    ("453914880343", False),  # 12 digits
])
def test_credit_card(value, valid):
    assert (validators.credit_card(value) == "") is valid


@pytest.mark.parametrize("value,private,valid", [
    ("8.8.8.8", False, True), ("2001:4860:4860::8888", False, True),
    ("192.168.1.10", False, False), ("10.0.0.1", False, False), ("127.0.0.1", False, False),
    ("::1", False, False), ("fe80::1", False, False), ("169.254.1.1", False, False),
    ("192.168.1.10", True, True), ("127.0.0.1", True, True),
    ("0.0.0.0", True, False), ("256.1.1.1", False, False), ("1.2.3", False, False),
])
def test_ip_address(value, private, valid):
    assert (validators.ip_address(value, private=private) == "") is valid


@pytest.mark.parametrize("value,valid", [
    ("cd5e3b16-64b8-4fb5-9ea3-6b3b0a6d2c8e", True), ("CD5E3B16-64B8-4FB5-9EA3-6B3B0A6D2C8E", True),
    ("9774d56d682e549c", True),  # Android ID
    ("00000000-0000-0000-0000-000000000000", False),  # limited ad tracking
    ("0000000000000000", False), ("cd5e3b16-64b8-4fb5-9ea3", False), ("not-a-uuid", False),
])
def test_device_id(value, valid):
    assert (validators.device_id(value) == "") is valid


@pytest.mark.parametrize("value,valid", [
    ("Ida", True), ("Ida Tarbell", True), ("O'Brien-Smith", True), ("José María", True), ("Jr.", True),
    ("undefined", False), ("null", False), ("John Doe", False), ("abc123", False), ("x", False),
    ("a b c d e", False), ("<script>", False),
])
def test_person_name(value, valid):
    assert (validators.person_name(value, placeholders=("undefined", "null", "john doe")) == "") is valid


@pytest.mark.parametrize("value,valid", [
    ("W123456789", True), ("XYZ123456789012", True), ("ABC-123-456", True),
    ("W12", False), ("ABCDEFGH12", False), ("AAA111", False), ("x" * 25, False),
])
def test_member_id(value, valid):
    assert (validators.member_id(value) == "") is valid


@pytest.mark.parametrize("value,valid", [
    ("12345678901", True), ("000123456789", True), ("1234-5678-90", True),
    ("12345", False), ("111111111", False), ("12345678901234567890", False), ("12AB5678", False),
])
def test_account_number(value, valid):
    assert (validators.account_number(value) == "") is valid
