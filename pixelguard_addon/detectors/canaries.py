"""PG-CANARY-*: the policy's synthetic test patients, found in any form a tracker may send them.

For every value of every `[[test_patient]]` the detector precomputes what a site or SDK could
turn it into (shared/reference/trackers.md §2.2): the value as typed, vendor-normalised variants
(e-mail lower-cased and trimmed, Gmail dots and +tags removed; phone digits with and without the
leading 1 and as E.164; names lower-case without punctuation; date of birth as YYYYMMDD; ZIP's
first five digits), each URL-encoded and base64-encoded, and each hashed with MD5, SHA-1,
SHA-256 and SHA-512 in hex, base64 and unpadded base64url. All forms go into one Aho-Corasick
automaton. Plain text and hex match in any case (searched in a lower-cased copy); base64 is
case-sensitive (searched in the text as is).
"""
from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from typing import Iterable, Iterator
from urllib.parse import quote, quote_plus

import ahocorasick

from ..model import Field, Match
from .base import FieldContext
from ..masking import mask_for, mask_hash

MAX_SCAN = 64 * 1024
MIN_FORM = 4  # shorter forms ("NY", "Ida") would match everywhere
BOUNDED_BELOW = 20  # forms shorter than this must not be glued to letters or digits
HASHES = (("md5", "MD5"), ("sha1", "SHA-1"), ("sha256", "SHA-256"), ("sha512", "SHA-512"))
FIELD_LABELS = {
    "name": "name", "first_name": "first name", "last_name": "last name", "email": "e-mail",
    "phone": "phone", "dob": "date of birth", "street": "street", "city": "city", "state": "state",
    "zip": "ZIP", "mrn": "record number", "member_id": "member id", "account": "account number",
    "ssn": "SSN", "reason": "reason for visit",
}
MASK_KIND = {"email": "email", "phone": "phone", "ssn": "ssn", "dob": "dob", "zip": "zip",
             "mrn": "mrn", "member_id": "member_id", "account": "account"}
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ALNUM = re.compile(r"[A-Za-z0-9]")
_ESCAPE_BEFORE = re.compile(r"%[0-9A-Fa-f]{2}$")


@dataclass(frozen=True)
class Form:
    patient: str
    field: str
    value: str  # the test value as declared (synthetic; only ever shown masked)
    description: str  # "SHA-256 hex of normalised value (lower-case, trimmed)"
    text: str  # what is searched for
    case_sensitive: bool
    algorithm: str = ""  # set for digests
    plain: bool = False  # the text itself, not encoded or hashed
    origin: str = ""  # "last word of the name: " when derived from another field


def rule_id_for(field: str) -> str:
    return "PG-CANARY-" + field.upper().replace("_", "-")


# --- normalisation (trackers.md §2.2) ---------------------------------------------------------

def _lower_trim(value: str) -> str:
    return " ".join(value.split()).lower()


def email_variants(value: str) -> list[tuple[str, str]]:
    email = value.strip().lower()
    variants = [("normalised value (lower-case, trimmed)", email)]
    local, at, domain = email.rpartition("@")
    if at:
        untagged = local.split("+", 1)[0]
        if untagged != local:
            variants.append(("value with +tag removed", f"{untagged}@{domain}"))
        if domain in ("gmail.com", "googlemail.com"):
            variants.append(("Gmail value with dots removed", f"{local.replace('.', '')}@{domain}"))
            variants.append(("Gmail value with dots and +tag removed", f"{untagged.replace('.', '')}@{domain}"))
    return variants


def phone_variants(value: str) -> list[tuple[str, str]]:
    digits = re.sub(r"\D", "", value)
    if value.strip().startswith("+"):
        national = digits[1:] if digits.startswith("1") and len(digits) == 11 else digits
    else:
        national = digits.lstrip("0")
    if len(national) == 11 and national.startswith("1"):
        national = national[1:]
    variants = [("digits only", national)]
    if len(national) == 10:
        variants += [("digits with leading 1", "1" + national), ("E.164", "+1" + national)]
    else:
        variants += [("E.164", "+" + national)]
    return variants


PHONE_DISPLAYS = ("({a}) {b}-{c}", "({a}){b}-{c}", "{a}-{b}-{c}", "{a}.{b}.{c}", "{a} {b} {c}")
DATE_DISPLAYS = ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d", "%m-%d-%Y", "%m%d%Y")


def phone_displays(value: str) -> list[tuple[str, str]]:
    """How a 10-digit number is commonly written, searched as plain text only: (shape, text)."""
    digits = phone_variants(value)[0][1]
    if len(digits) != 10:
        return []
    parts = {"a": digits[:3], "b": digits[3:6], "c": digits[6:]}
    shapes = {"a": "NNN", "b": "NNN", "c": "NNNN"}
    return [(f.format(**shapes), f.format(**parts)) for f in PHONE_DISPLAYS]


def name_variants(value: str) -> list[tuple[str, str]]:
    lowered = _lower_trim(value)
    plain = " ".join(re.sub(r"[^\w\s]|_", "", lowered).split())
    variants = [("normalised value (lower-case)", lowered), ("normalised value (lower-case, no punctuation)", plain),
                ("normalised value (lower-case, no spaces or punctuation)", plain.replace(" ", ""))]
    return variants


def date_variants(value: str) -> list[tuple[str, str]]:
    from .validators import parse_date

    date = parse_date(value)
    if date is None:
        return [("normalised value (lower-case)", _lower_trim(value))]
    return [("date as YYYYMMDD", date.strftime("%Y%m%d"))]


def date_displays(value: str) -> list[tuple[str, str]]:
    from .validators import parse_date

    date = parse_date(value)
    if date is None:
        return []
    shape = {"%Y": "YYYY", "%m": "MM", "%d": "DD"}
    return [(re.sub(r"%[Ymd]", lambda m: shape[m.group(0)], f), date.strftime(f)) for f in DATE_DISPLAYS]


def zip_variants(value: str) -> list[tuple[str, str]]:
    cleaned = re.sub(r"\s", "", value)
    return [("first five digits", cleaned.split("-", 1)[0][:5]), ("normalised value (no spaces)", cleaned)]


def place_variants(value: str) -> list[tuple[str, str]]:
    lowered = _lower_trim(value)
    return [("normalised value (lower-case)", lowered),
            ("Meta city/state form (letters only)", re.sub(r"[^a-z]", "", lowered))]


def ssn_variants(value: str) -> list[tuple[str, str]]:
    digits = re.sub(r"\D", "", value)
    variants = [("digits only", digits)]
    if len(digits) == 9:
        variants.append(("AAA-GG-SSSS", f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"))
    return variants


NORMALISERS = {
    "email": email_variants,
    "phone": phone_variants,
    "name": name_variants,
    "first_name": name_variants,
    "last_name": name_variants,
    "dob": date_variants,
    "zip": zip_variants,
    "city": place_variants,
    "state": place_variants,
    "ssn": ssn_variants,
}


def _bases(field: str, value: str) -> list[tuple[str, str]]:
    """(label, text) pairs to encode and hash: normalised variants first, then the value as typed."""
    normaliser = NORMALISERS.get(field, lambda v: [("normalised value (lower-case, trimmed)", _lower_trim(v))])
    bases = [*normaliser(value), ("value as typed", value.strip())]
    seen, unique = set(), []
    for label, text in bases:
        if text and text not in seen:
            seen.add(text)
            unique.append((label, text))
    return unique


def forms_for(patient: str, field: str, value: str, origin: str = "") -> Iterator[Form]:
    """Every form of one test value that the automaton should find."""
    for form in _forms(patient, field, value):
        yield Form(form.patient, form.field, form.value, form.description, form.text,
                   form.case_sensitive, form.algorithm, form.plain, origin) if origin else form


def _forms(patient: str, field: str, value: str) -> Iterator[Form]:
    bases = _bases(field, value)
    extra = phone_displays(value) if field == "phone" else date_displays(value) if field == "dob" else []
    plain: list[tuple[str, str]] = [(label, text) for label, text in bases]
    plain += [(f"value written as {shape}", text) for shape, text in extra]
    for label, text in plain:
        yield Form(patient, field, value, label, text, False, plain=True)
        yield Form(patient, field, value, f"URL-encoded {label}", quote(text, safe=""), False)
        yield Form(patient, field, value, f"URL-encoded (+ for space) {label}", quote_plus(text, safe=""), False)
        yield Form(patient, field, value, f"base64 of {label}", base64.b64encode(text.encode()).decode(), True)
    for label, text in bases:
        for algorithm, name in HASHES:
            digest = hashlib.new(algorithm, text.encode()).digest()
            yield Form(patient, field, value, f"{name} hex of {label}", digest.hex(), False, algorithm)
            yield Form(patient, field, value, f"{name} base64 of {label}", base64.b64encode(digest).decode(), True, algorithm)
            yield Form(patient, field, value, f"{name} base64url of {label}",
                       base64.urlsafe_b64encode(digest).decode().rstrip("="), True, algorithm)


def _derived_names(values: dict[str, str]) -> list[tuple[str, str]]:
    """A full `name` also stands for its first and last word when those fields are not given."""
    name = values.get("name", "")
    words = name.split()
    derived = []
    if len(words) >= 2:
        if "first_name" not in values:
            derived.append(("first_name", words[0], "first word of the name: "))
        if "last_name" not in values:
            derived.append(("last_name", words[-1], "last word of the name: "))
    return derived


class CanaryDetector:
    """Finds the policy's test patients' values, however encoded or hashed."""

    name = "canaries"

    def __init__(self, patients: Iterable):
        self.automaton = ahocorasick.Automaton()
        entries: dict[str, list[Form]] = {}
        for patient in patients:
            values = dict(patient.values)
            for field, value, origin in [*((f, v, "") for f, v in patient.values), *_derived_names(values)]:
                for form in forms_for(patient.label, field, value, origin):
                    if len(form.text) < MIN_FORM:
                        continue
                    key = form.text if form.case_sensitive else form.text.translate(_ASCII_LOWER)
                    entries.setdefault(key, []).append(form)
        for key, forms in entries.items():
            self.automaton.add_word(key, (len(key), tuple(forms)))
        self.size = len(entries)
        if entries:
            self.automaton.make_automaton()

    def detect(self, item: Field, context: FieldContext) -> list[Match]:
        if not self.size or not item.value:
            return []
        try:
            return self._detect(item.value[:MAX_SCAN])
        except Exception:  # pragma: no cover - never let one odd value stop the scan
            return []

    def _detect(self, text: str) -> list[Match]:
        lowered = text.translate(_ASCII_LOWER)
        found: dict[tuple[str, str], tuple[Form, str]] = {}
        passes = [(text, True)] + ([(lowered, False)] if lowered != text else [])
        for haystack, exact in passes:
            for end, (length, forms) in self.automaton.iter(haystack):
                start = end - length + 1
                for form in forms:
                    if form.case_sensitive and not exact:
                        continue  # the lower-cased copy is for case-insensitive forms only
                    if length < BOUNDED_BELOW and not _bounded(haystack, start, end + 1):
                        continue
                    found.setdefault((form.patient, form.field), (form, text[start:end + 1]))
        return [self._match(form, matched) for form, matched in found.values()]

    def _match(self, form: Form, matched: str) -> Match:
        field_label = FIELD_LABELS.get(form.field, form.field)
        description = form.description
        if form.plain and matched == form.value.strip():
            description = "value as typed"
        elif form.plain and matched != matched.lower() and matched == matched.upper():
            description = "value in upper case"
        evidence = mask_hash(form.text, form.algorithm) if form.algorithm else mask_for(MASK_KIND.get(form.field, "text"), form.value)
        return Match(
            rule_id=rule_id_for(form.field),
            category=f"test-patient:{form.field}",
            severity="critical",
            evidence=evidence,
            detail=f"{field_label}, {form.origin}{description} (test patient '{form.patient}')",
            confidence=1.0,
            term=form.field,
        )


def _bounded(text: str, start: int, end: int) -> bool:
    """Not glued to a letter or digit on either side (`2125551212` inside a longer number is not
    it). A percent-escape before the form (`%20tarbell`) is a separator, not a glued digit."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if before and _ALNUM.match(before) and not _ESCAPE_BEFORE.match(text, max(0, start - 3), start):
        return False
    return not (after and _ALNUM.match(after))
