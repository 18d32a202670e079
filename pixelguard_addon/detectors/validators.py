"""Validators: does a regex match really look like the identifier it resembles?

Each takes the matched text (and options from patterns/identifiers.toml) and returns "" when the
value is plausible, else a short reason it was rejected (handy in tests and in debugging a
missed finding). They are pure, never raise, and are looked up by name from `VALIDATORS`.
"""
from __future__ import annotations

import datetime as _dt
import functools
import ipaddress
import re
from typing import Callable, Iterable
from urllib.parse import unquote

Validator = Callable[..., str]

_EMAIL = re.compile(r"([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*)\.([A-Za-z]+)")


@functools.lru_cache(maxsize=4096)
def known_tld(tld: str) -> bool:
    """Is `tld` a top-level domain on the public suffix list (the offline copy the
    publicsuffixlist package ships; the same list decides first and third party)?"""
    from ..thirdparty import _psl  # built once per process, shared with site_of

    return _psl().publicsuffix(tld.lower(), accept_unknown=False) == tld.lower()


def email(value: str, reject_tlds: Iterable[str] = (), check_tld: bool = False) -> str:
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
    if check_tld and not known_tld(tld):
        return f".{tld} is not a top-level domain"
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


def _institution_id(value: str, shape: str, what: str, min_digits: int) -> str:
    """Ids with no standard format (record, member numbers): a shape and enough digits."""
    if not re.fullmatch(shape, value):
        return f"not {what}"
    return f"fewer than {min_digits} digits" if len(_digits(value)) < min_digits else ""


def record_number(value: str, min_digits: int = 4) -> str:
    value = value.strip()
    problem = _institution_id(value, r"[A-Za-z0-9]{6,12}", "6-12 letters and digits", min_digits)
    if not problem and len(set(value)) == 1 and value.isdigit():
        return "one repeated digit"
    return problem


def member_id(value: str, min_digits: int = 3) -> str:
    """Health plan member / subscriber ids: payer-specific, 6-20 letters and digits."""
    value = value.strip()
    problem = _institution_id(value, r"[A-Za-z0-9-]{6,20}", "6-20 letters, digits and dashes", min_digits)
    if not problem and len(set(value.replace("-", ""))) < 3:
        return "too few distinct characters"
    return problem


def account_number(value: str) -> str:
    """Bank or billing account numbers: 6-17 digits (dashes and spaces allowed)."""
    digits = _digits(value)
    if not 6 <= len(digits) <= 17 or re.search(r"[^\d\s-]", value.strip()):
        return "not 6-17 digits"
    if len(set(digits)) < 3:
        return "too few distinct digits"
    return ""


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


_CARD_PREFIXES = re.compile(r"4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|6(?:011|5|4[4-9])|3(?:0[0-5]|[68])")
_CARD_LENGTHS = {"4": (13, 16, 19), "5": (16,), "2": (16,), "34": (15,), "37": (15,), "6": (16, 19), "3": (14, 16)}


def credit_card(value: str) -> str:
    digits = _digits(value)
    if not 13 <= len(digits) <= 19:
        return "not 13-19 digits"
    prefix = _CARD_PREFIXES.match(digits)
    if not prefix:
        return "no card network starts so"
    lengths = _CARD_LENGTHS.get(digits[:2]) or _CARD_LENGTHS.get(digits[:1], ())
    if len(digits) not in lengths:
        return "wrong length for the card network"
    if len(set(digits)) < 4:
        return "too few distinct digits"
    return "" if luhn_ok(digits) else "Luhn check digit fails"


def npi(value: str) -> str:
    """National Provider Identifier: 10 digits, first 1 or 2, Luhn over "80840" + the number."""
    digits = _digits(value)
    if len(digits) != 10 or value.strip() != digits:
        return "not 10 digits"
    if digits[0] not in "12":
        return "does not start with 1 or 2"
    return "" if luhn_ok("80840" + digits) else "Luhn check digit (with 80840 prefix) fails"


_DEA = re.compile(r"([ABCDEFGHJKLMPRSTUX])([A-Z9])(\d{7})")


def dea(value: str) -> str:
    """DEA registration: registrant-type letter, name letter (or 9), 7 digits; d7 = (d1+d3+d5 +
    2·(d2+d4+d6)) mod 10."""
    found = _DEA.fullmatch(value.strip().upper())
    if not found:
        return "not 2 letters and 7 digits"
    d = [int(c) for c in found.group(3)]
    check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
    return "" if check == d[6] else "check digit fails"


_MBI = re.compile(r"[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d"
                  r"[AC-HJKMNP-RT-Y]{2}\d\d")


def mbi(value: str) -> str:
    """Medicare Beneficiary Identifier (CMS format; letters S, L, O, I, B, Z never used)."""
    compact = value.strip().upper().replace("-", "")
    if value.strip() != value.strip().upper():
        return "MBIs are upper case"
    return "" if _MBI.fullmatch(compact) else "not the MBI character pattern"


def ip_address(value: str, private: bool = False) -> str:
    """A public IPv4/IPv6 address; private, loopback and reserved ones only when `private`
    (the detector passes it when the key says the value is an address)."""
    try:
        address = ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return "not an IP address"
    if address.is_unspecified:
        return "unspecified address"
    if not address.is_global and not private:
        return "private, loopback or reserved range (no key context)"
    return ""


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def device_id(value: str) -> str:
    """IDFA / GAID / IDFV (UUID) or Android ID (16 hex); the all-zero id means "limited ad
    tracking" and identifies no one."""
    value = value.strip()
    if not (_UUID.fullmatch(value) or re.fullmatch(r"[0-9a-fA-F]{16}", value)):
        return "not a UUID or 16 hex digits"
    if set(value.replace("-", "")) <= {"0"}:
        return "all-zero id (limited ad tracking)"
    if len(set(value.replace("-", "").lower())) < 4:
        return "too few distinct digits"
    return ""


_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?")


def person_name(value: str, placeholders: Iterable[str] = ()) -> str:
    """A person's name as a form sends it: 1-4 words of letters, not a placeholder."""
    words = value.strip().split()
    if not 1 <= len(words) <= 4 or len(value.strip()) > 60:
        return "not 1-4 words"
    if not all(_NAME_WORD.fullmatch(word) for word in words):
        return "not letters"
    if value.strip().lower() in {p.lower() for p in placeholders}:
        return "placeholder"
    if len(value.strip()) < 2:
        return "one letter"
    return ""


VALIDATORS: dict[str, Validator] = {
    "email": email,
    "us_phone": us_phone,
    "ssn": ssn,
    "date_of_birth": date_of_birth,
    "zip": zip_code,
    "record_number": record_number,
    "member_id": member_id,
    "account_number": account_number,
    "credit_card": credit_card,
    "npi": npi,
    "dea": dea,
    "mbi": mbi,
    "ip_address": ip_address,
    "device_id": device_id,
    "person_name": person_name,
}
