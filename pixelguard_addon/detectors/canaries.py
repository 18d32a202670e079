"""PG-CANARY-*: the policy's synthetic test patients, found in any form a tracker may send them.

For every value of every `[[test_patient]]` the detector precomputes what a site or SDK could
turn it into, following each vendor's normalisation before hashing (shared/reference/trackers.md
§2.2): the value as typed; e-mail lower-cased and trimmed (Meta, Google, TikTok, Snap), +tag
removed, Gmail dots removed (Google) and dots and +tag removed (UID2); phone digits without
country code (Meta), with it (Snap, TikTok) and as E.164 (Google); names lower-case with and
without punctuation, Meta's f5first/f5last (first five letters) and fi (first initial); date of
birth as YYYYMMDD (Meta db) and Meta's doby/dobm/dobd; ZIP's first five digits (Meta zp); city
in letters only (Meta ct); state as its two-letter code (Meta st); street lower-case without
punctuation (Google). Each is searched as plain text (any case), URL-encoded and base64-encoded,
and each is hashed with MD5, SHA-1, SHA-256 and SHA-512 in hex (any case), base64 and unpadded
base64url. All forms go into one Aho-Corasick automaton, searched in one pass per value. A
finding names the field and the transformation: "e-mail, SHA-256 hex of Meta/Google/TikTok-
normalised value (lower-case, trimmed)".
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
from .base import FieldContext, ascii_lower
from ..masking import mask_for, mask_hash

MAX_SCAN = 64 * 1024
MIN_FORM = 4  # shorter forms ("NY", "Ida") would match everywhere: searched as whole fields only
MIN_WHOLE_FIELD = 2
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


def load_state_codes(path) -> dict[str, str]:
    """patterns/us_states.toml: lower-case state name → two-letter code (Meta's `st` form)."""
    from pathlib import Path

    from .loading import TomlFile

    toml = TomlFile(Path(path))
    toml.check_keys(toml.data, {"schema_version", "states"}, [])
    states = toml.data.get("states", {})
    if not isinstance(states, dict) or not all(isinstance(v, str) and len(v) == 2 for v in states.values()):
        raise toml.fail(["states"], "must map state names to two-letter codes")
    return {name.lower(): code.upper() for name, code in states.items()}


def rule_id_for(field: str) -> str:
    return "PG-CANARY-" + field.upper().replace("_", "-")


# --- normalisation (trackers.md §2.2) ---------------------------------------------------------
# Each normaliser returns Bases: what a vendor's SDK hashes (or sends) after its own clean-up,
# labelled with whose rule it is, so a finding says "SHA-256 hex of Meta-normalised value".


@dataclass(frozen=True)
class Base:
    label: str
    text: str
    hash_only: bool = False  # too short or too common to search as plain text (Meta's "fi", "dobm")


def _lower_trim(value: str) -> str:
    return " ".join(value.split()).lower()


def email_variants(value: str) -> list[Base]:
    email = value.strip().lower()
    variants = [Base("Meta/Google/TikTok-normalised value (lower-case, trimmed)", email)]
    local, at, domain = email.rpartition("@")
    if at:
        untagged = local.split("+", 1)[0]
        if untagged != local:
            variants.append(Base("value with +tag removed", f"{untagged}@{domain}"))
        if domain in ("gmail.com", "googlemail.com"):
            variants.append(Base("Google-normalised Gmail value (dots removed)", f"{local.replace('.', '')}@{domain}"))
            variants.append(Base("UID2-normalised Gmail value (dots and +tag removed)",
                                 f"{untagged.replace('.', '')}@{domain}"))
    return variants


def phone_variants(value: str) -> list[Base]:
    digits = re.sub(r"\D", "", value)
    if value.strip().startswith("+"):
        national = digits[1:] if digits.startswith("1") and len(digits) == 11 else digits
    else:
        national = digits.lstrip("0")
    if len(national) == 11 and national.startswith("1"):
        national = national[1:]
    variants = [Base("Meta-normalised value (digits only, no country code)", national)]
    if len(national) == 10:
        variants += [Base("Snap/TikTok-normalised value (digits only, with country code 1)", "1" + national),
                     Base("Google E.164 value (+1 and digits)", "+1" + national)]
    else:
        variants += [Base("E.164 value", "+" + national)]
    return variants


PHONE_DISPLAYS = ("({a}) {b}-{c}", "({a}){b}-{c}", "{a}-{b}-{c}", "{a}.{b}.{c}", "{a} {b} {c}")
DATE_DISPLAYS = ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d", "%m-%d-%Y", "%m%d%Y")


def phone_displays(value: str) -> list[tuple[str, str]]:
    """How a 10-digit number is commonly written, searched as plain text only: (shape, text)."""
    digits = phone_variants(value)[0].text
    if len(digits) != 10:
        return []
    parts = {"a": digits[:3], "b": digits[3:6], "c": digits[6:]}
    shapes = {"a": "NNN", "b": "NNN", "c": "NNNN"}
    return [(f.format(**shapes), f.format(**parts)) for f in PHONE_DISPLAYS]


def _plain_name(value: str) -> str:
    return " ".join(re.sub(r"[^\w\s]|_", "", _lower_trim(value)).split())


def name_variants(value: str) -> list[Base]:
    plain = _plain_name(value)
    return [Base("Google-normalised value (lower-case)", _lower_trim(value)),
            Base("Meta-normalised value (lower-case, no punctuation)", plain),
            Base("value without spaces or punctuation", plain.replace(" ", ""))]


def first_name_variants(value: str) -> list[Base]:
    compact = _plain_name(value).replace(" ", "")
    return [*name_variants(value), Base("Meta f5first (first 5 letters)", compact[:5], hash_only=True),
            Base("Meta fi (first initial)", compact[:1], hash_only=True)]


def last_name_variants(value: str) -> list[Base]:
    compact = _plain_name(value).replace(" ", "")
    return [*name_variants(value), Base("Meta f5last (first 5 letters)", compact[:5], hash_only=True)]


def date_variants(value: str) -> list[Base]:
    from .validators import parse_date

    date = parse_date(value)
    if date is None:
        return [Base("normalised value (lower-case)", _lower_trim(value))]
    return [Base("Meta db value (YYYYMMDD)", date.strftime("%Y%m%d")),
            Base("Meta doby value (YYYY)", date.strftime("%Y"), hash_only=True),
            Base("Meta dobm value (MM)", date.strftime("%m"), hash_only=True),
            Base("Meta dobd value (DD)", date.strftime("%d"), hash_only=True)]


def date_displays(value: str) -> list[tuple[str, str]]:
    from .validators import parse_date

    date = parse_date(value)
    if date is None:
        return []
    shape = {"%Y": "YYYY", "%m": "MM", "%d": "DD"}
    return [(re.sub(r"%[Ymd]", lambda m: shape[m.group(0)], f), date.strftime(f)) for f in DATE_DISPLAYS]


def zip_variants(value: str) -> list[Base]:
    cleaned = re.sub(r"\s", "", value)
    return [Base("Meta zp value (first five digits)", cleaned.split("-", 1)[0][:5]),
            Base("normalised value (no spaces)", cleaned)]


def city_variants(value: str) -> list[Base]:
    lowered = _lower_trim(value)
    return [Base("normalised value (lower-case)", lowered),
            Base("Meta ct value (letters only)", re.sub(r"[^a-z]", "", lowered))]


def state_variants(value: str, codes: dict[str, str] | None = None) -> list[Base]:
    lowered = _lower_trim(value)
    code = (codes or {}).get(lowered, lowered if re.fullmatch(r"[a-z]{2}", lowered) else "")
    variants = [Base("normalised value (lower-case)", lowered),
                Base("value in letters only", re.sub(r"[^a-z]", "", lowered))]
    if code:
        variants.append(Base("Meta st value (2-letter code, lower-case)", code.lower()))
    return variants


def street_variants(value: str) -> list[Base]:
    lowered = _lower_trim(value)
    return [Base("normalised value (lower-case)", lowered),
            Base("Google-normalised value (lower-case, no punctuation)", " ".join(re.sub(r"[^\w\s]", "", lowered).split()))]


def ssn_variants(value: str) -> list[Base]:
    digits = re.sub(r"\D", "", value)
    variants = [Base("digits only", digits)]
    if len(digits) == 9:
        variants.append(Base("AAA-GG-SSSS", f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"))
    return variants


NORMALISERS = {
    "email": email_variants,
    "phone": phone_variants,
    "name": name_variants,
    "first_name": first_name_variants,
    "last_name": last_name_variants,
    "dob": date_variants,
    "zip": zip_variants,
    "city": city_variants,
    "state": state_variants,
    "street": street_variants,
    "ssn": ssn_variants,
}


def _bases(field: str, value: str, state_codes: dict[str, str] | None = None) -> list[Base]:
    """What to encode and hash: vendor-normalised variants first, then the value as typed."""
    if field == "state":
        normalised = state_variants(value, state_codes)
    else:
        normalised = NORMALISERS.get(field, lambda v: [Base("normalised value (lower-case, trimmed)", _lower_trim(v))])(value)
    seen, unique = set(), []
    for base in [*normalised, Base("value as typed", value.strip())]:
        if base.text and base.text not in seen:
            seen.add(base.text)
            unique.append(base)
    return unique


def forms_for(patient: str, field: str, value: str, origin: str = "",
              state_codes: dict[str, str] | None = None) -> Iterator[Form]:
    """Every form of one test value that the automaton should find."""
    for form in _forms(patient, field, value, state_codes):
        yield Form(form.patient, form.field, form.value, form.description, form.text,
                   form.case_sensitive, form.algorithm, form.plain, origin) if origin else form


def _forms(patient: str, field: str, value: str, state_codes: dict[str, str] | None) -> Iterator[Form]:
    bases = _bases(field, value, state_codes)
    extra = phone_displays(value) if field == "phone" else date_displays(value) if field == "dob" else []
    plain = [(b.label, b.text) for b in bases if not b.hash_only]
    plain += [(f"value written as {shape}", text) for shape, text in extra]
    for label, text in plain:
        yield Form(patient, field, value, label, text, False, plain=True)
        yield Form(patient, field, value, f"URL-encoded {label}", quote(text, safe=""), False)
        yield Form(patient, field, value, f"URL-encoded (+ for space) {label}", quote_plus(text, safe=""), False)
        # unpadded: also found where the padding was dropped or the value continues
        yield Form(patient, field, value, f"base64 of {label}", base64.b64encode(text.encode()).decode().rstrip("="), True)
    for base in bases:
        for algorithm, name in HASHES:
            digest = hashlib.new(algorithm, base.text.encode()).digest()
            yield Form(patient, field, value, f"{name} hex of {base.label}", digest.hex(), False, algorithm)
            yield Form(patient, field, value, f"{name} base64 of {base.label}",
                       base64.b64encode(digest).decode(), True, algorithm)
            yield Form(patient, field, value, f"{name} base64url of {base.label}",
                       base64.urlsafe_b64encode(digest).decode().rstrip("="), True, algorithm)


def _derived_names(values: dict[str, str]) -> list[tuple[str, str, str]]:
    """A full `name` also stands for its first and last word when those fields are not given,
    and first and last name together stand for the full name (forms send "IDA TARBELL")."""
    name = values.get("name", "")
    words = name.split()
    derived = []
    if len(words) >= 2:
        if "first_name" not in values:
            derived.append(("first_name", words[0], "first word of the name: "))
        if "last_name" not in values:
            derived.append(("last_name", words[-1], "last word of the name: "))
    if not name and values.get("first_name") and values.get("last_name"):
        derived.append(("name", f"{values['first_name']} {values['last_name']}", "first and last name together: "))
    return derived


class CanaryDetector:
    """Finds the policy's test patients' values, however encoded or hashed.

    Every form goes into one automaton under its ASCII-lower-cased text, so one pass over a
    lower-cased copy of the value finds them all; a case-sensitive form (base64) found there is
    kept only if the original text has it exactly. ASCII lower-casing keeps offsets aligned.
    """

    name = "canaries"

    def __init__(self, patients: Iterable, state_codes: dict[str, str] | None = None):
        self.automaton = ahocorasick.Automaton()
        entries: dict[str, list[Form]] = {}
        # Short plain values ("Ida", "NY") would match inside every other word: they count only
        # as a whole field (`udff[fn]=Ida`).
        self.whole_field: dict[str, list[Form]] = {}
        for patient in patients:
            values = dict(patient.values)
            for field, value, origin in [*((f, v, "") for f, v in patient.values), *_derived_names(values)]:
                for form in forms_for(patient.label, field, value, origin, state_codes):
                    key = ascii_lower(form.text)
                    if len(form.text) >= MIN_FORM:
                        entries.setdefault(key, []).append(form)
                    elif form.plain and len(form.text) >= MIN_WHOLE_FIELD:
                        self.whole_field.setdefault(key, []).append(form)
        for key, forms in entries.items():
            self.automaton.add_word(key, (len(key), tuple(forms)))
        self.size = len(entries) + len(self.whole_field)
        if entries:
            self.automaton.make_automaton()

    def context_key(self, context: FieldContext) -> None:
        return None  # the value says it all

    def detect(self, item: Field, context: FieldContext) -> list[Match]:
        if not self.size or not item.value:
            return []
        whole = self.whole_field.get(ascii_lower(item.value.strip()))
        if whole:
            return [self._match(form, item.value.strip()) for form in _one_per_field(whole)]
        try:
            return self._detect(item.value[:MAX_SCAN])
        except Exception:  # pragma: no cover - never let one odd value stop the scan
            return []

    def _detect(self, text: str) -> list[Match]:
        lowered = ascii_lower(text)
        found: dict[tuple[str, str], tuple[Form, str, int, int]] = {}
        for end, (length, forms) in self.automaton.iter(lowered):
            start = end - length + 1
            if length < BOUNDED_BELOW and not _bounded(lowered, start, end + 1):
                continue
            written = text[start:end + 1]
            for form in forms:
                if form.case_sensitive and written != form.text:
                    continue  # base64 is case-sensitive: the lower-cased copy only found a candidate
                found.setdefault((form.patient, form.field), (form, written, start, end + 1))
        if not found:
            return []
        spans = [(start, end) for _, _, start, end in found.values()]
        return [self._match(form, matched) for form, matched, start, end in found.values()
                if not _inside_another(start, end, spans)]

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


def _one_per_field(forms: list[Form]) -> list[Form]:
    seen, kept = set(), []
    for form in forms:
        if (form.patient, form.field) not in seen:
            seen.add((form.patient, form.field))
            kept.append(form)
    return kept


def _inside_another(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """"tarbell" inside "ida.tarbell@example.org" is part of the e-mail, not a second leak."""
    return any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)


def _bounded(text: str, start: int, end: int) -> bool:
    """Not glued to a letter or digit on either side (`2125551212` inside a longer number is not
    it). A percent-escape before the form (`%20tarbell`) is a separator, not a glued digit."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if before and _ALNUM.match(before) and not _ESCAPE_BEFORE.match(text, max(0, start - 3), start):
        return False
    return not (after and _ALNUM.match(after))
