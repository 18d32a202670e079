"""Validators: does a regex match really look like the identifier it resembles?

Each takes the matched text (and options from patterns/identifiers.toml) and returns "" when the
value is plausible, else a short reason it was rejected (handy in tests and in debugging a
missed finding). They are pure, never raise, and are looked up by name from `VALIDATORS`.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Callable, Iterable
from urllib.parse import unquote

Validator = Callable[..., str]

_EMAIL = re.compile(r"([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*)\.([A-Za-z]+)")


def email(value: str, reject_tlds: Iterable[str] = ()) -> str:
    value = unquote(unquote(value.strip()))
    found = _EMAIL.fullmatch(value)
    if not found:
        return "not local@domain.tld"
    local, domain, tld = found.groups()
    tld = tld.lower()
    if not 2 <= len(tld) <= 24:
        return "top-level domain length"
    if tld in {t.lower().lstrip(".") for t in reject_tlds}:
        return f"file extension .{tld}, not a domain"
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return "dots in local part"
    if any(label.startswith("-") or label.endswith("-") for label in domain.split(".")):
        return "hyphen at label edge"
    return ""


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def us_phone(value: str) -> str:
    digits = _digits(value)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return "not 10 digits (11 with a leading 1)"
    area, exchange = digits[:3], digits[3:6]
    if area[0] in "01" or exchange[0] in "01":
        return "area code and exchange must start 2-9"
    if area[1:] == "11" or exchange[1:] == "11":
        return "N11 service code"
    if len(set(digits)) == 1:
        return "one repeated digit"
    return ""


def ssn(value: str, dummies: Iterable[str] = ()) -> str:
    digits = _digits(value)
    if len(digits) != 9:
        return "not 9 digits"
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area[0] == "9":
        return "area 000, 666 or 900-999 is never issued"
    if group == "00" or serial == "0000":
        return "group 00 or serial 0000 is never issued"
    if digits in {_digits(d) for d in dummies}:
        return "well-known dummy number"
    if len(set(digits)) == 1 or digits in "0123456789" or digits == "123456789":
        return "sequential or repeated digits"
    return ""


_DATE_FORMATS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), ("m", "d", "y")),
    (re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})"), ("m", "d", "y")),
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), ("y", "m", "d")),
)


def parse_date(value: str) -> _dt.date | None:
    value = value.strip()
    for pattern, order in _DATE_FORMATS:
        found = pattern.fullmatch(value)
        if found:
            parts = dict(zip(order, (int(g) for g in found.groups())))
            try:
                return _dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


def date_of_birth(value: str, earliest_year: int = 1900, today: _dt.date | None = None) -> str:
    date = parse_date(value)
    if date is None:
        return "not a calendar date"
    if date.year < earliest_year:
        return f"before {earliest_year}"
    if date > (today or _dt.date.today()):
        return "in the future"
    return ""


def zip_code(value: str) -> str:
    digits = _digits(value)
    if len(digits) not in (5, 9):
        return "not 5 or 5+4 digits"
    if digits[:5] == "00000":
        return "00000 is not a ZIP code"
    return ""


def record_number(value: str, min_digits: int = 4) -> str:
    value = value.strip()
    if not re.fullmatch(r"[A-Za-z0-9]{6,12}", value):
        return "not 6-12 letters and digits"
    digits = _digits(value)
    if len(digits) < min_digits:
        return f"fewer than {min_digits} digits"
    if len(set(digits)) == 1 and len(digits) == len(value):
        return "one repeated digit"
    return ""


VALIDATORS: dict[str, Validator] = {
    "email": email,
    "us_phone": us_phone,
    "ssn": ssn,
    "date_of_birth": date_of_birth,
    "zip": zip_code,
    "record_number": record_number,
}
