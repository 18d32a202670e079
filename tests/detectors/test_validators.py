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
    assert set(validators.VALIDATORS) == {"email", "us_phone", "ssn", "date_of_birth", "zip", "record_number"}


@pytest.mark.parametrize("name", sorted(validators.VALIDATORS))
@pytest.mark.parametrize("junk", ["", " ", "\x00", "\ud800", "9" * 10000, "%", "%zz@x.org"])
def test_validators_never_raise(name, junk):
    assert isinstance(validators.VALIDATORS[name](junk), str)
