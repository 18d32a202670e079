"""Evidence masking: the one place that turns a value into something safe to show.

A finding's evidence must let a tester recognise *what* leaked without the report becoming a
second leak: `mar•••@•••.org`, `(212) •••-••12`, `•••-••-6789`, `sha256:f303cf…`. Every helper
here accepts any string and never raises; when a value does not look like what the helper
expects, it falls back to `mask_text`, which shows at most two characters.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from .decoders.query import form_unquote

DOT = "•"
HIDDEN = DOT * 3

_HASH_BY_LENGTH = {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}
_HEX = re.compile(r"[0-9a-fA-F]+")


def mask_text(value: str, keep: int = 2) -> str:
    """`Ida Tarbell` → `Id•••`: the first characters only, never more than a third of the value."""
    value = value.strip()
    if not value:
        return HIDDEN
    keep = min(keep, len(value) // 3)
    return value[:keep] + HIDDEN


def mask_email(value: str) -> str:
    """`mary.smith@example.org` → `mar•••@•••.org`."""
    value = value.strip().replace("%40", "@").replace("%2540", "@")
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return mask_text(value)
    tld = domain.rsplit(".", 1)[1] if "." in domain else ""
    shown = local[: min(3, max(len(local) - 2, 1))]
    return f"{shown}{HIDDEN}@{HIDDEN}" + (f".{tld}" if tld and tld.isalpha() else "")


def mask_phone(value: str) -> str:
    """`2125551212`, `+1 (212) 555-1212` → `(212) •••-••12`; other lengths keep the last two digits."""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) == 10:
        return f"({digits[:3]}) {HIDDEN}-{DOT * 2}{digits[-2:]}"
    if len(digits) >= 6:
        return DOT * (len(digits) - 2) + digits[-2:]
    return mask_text(value)


def mask_ssn(value: str) -> str:
    """`123-45-6789` → `•••-••-6789`."""
    digits = re.sub(r"\D", "", value)
    if len(digits) != 9:
        return mask_text(value, keep=0)
    return f"{HIDDEN}-{DOT * 2}-{digits[-4:]}"


def mask_date(value: str) -> str:
    """Keep the year only (Safe Harbor allows it): `1971-01-01` → `1971-••-••`, `01/02/1971` → `••/••/1971`.

    Anything but digits and date separators is not a date: masked whole."""
    value = value.strip()
    if re.fullmatch(r"(19|20)\d{6}", value):
        return value[:4] + DOT * 4
    found = re.search(r"(?<!\d)(19|20)\d\d(?!\d)", value)
    if not found or re.search(r"[^\d\s./-]", value):
        return mask_text(value, keep=0)
    year = found.group(0)
    start, end = found.span()
    return re.sub(r"\d", DOT, value[:start]) + year + re.sub(r"\d", DOT, value[end:])


def mask_zip(value: str) -> str:
    """`10013-1234` → `10•••`: two digits say the region, not the neighbourhood."""
    digits = re.sub(r"\D", "", value)
    return digits[:2] + HIDDEN if len(digits) >= 5 else mask_text(value, keep=0)


def mask_id(value: str) -> str:
    """Record numbers and other ids: `MV00482913` → `••••••••13`."""
    value = value.strip()
    if len(value) < 6:
        return HIDDEN
    return DOT * min(len(value) - 2, 10) + value[-2:]


def hash_name(value: str) -> str:
    """The digest a hex or base64 string most likely is, from its length."""
    value = value.strip()
    if _HEX.fullmatch(value) and len(value) in _HASH_BY_LENGTH:
        return _HASH_BY_LENGTH[len(value)]
    stripped = value.rstrip("=")
    return {22: "md5", 27: "sha1", 43: "sha256", 86: "sha512"}.get(len(stripped), "hash")


def mask_hash(value: str, algorithm: str = "") -> str:
    """`f303cf02…` → `sha256:f303cf…`: six characters are enough to compare, not to reverse."""
    value = value.strip()
    return f"{algorithm or hash_name(value)}:{value[:6]}…"


def mask_url(url: str) -> str:
    """Keep scheme, host and path (the path is the point of a page-context finding); mask query values."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "<unparseable URL>"
    if not parts.netloc and not parts.path.startswith("/"):
        return mask_text(url)  # not a URL: nothing in it is known to be safe to show
    query = _masked_query(parts.query)
    fragment = HIDDEN if parts.fragment else ""
    path = _LONG_NUMBER.sub(HIDDEN, _MATRIX_VALUE.sub(rf"\1{HIDDEN}", parts.path))
    return urlunsplit((parts.scheme, parts.netloc, path, query, fragment))


def _masked_query(query: str) -> str:
    """Read as parse_qsl(keep_blank_values=True) would, without decoding the values it hides:
    `a=1&&b=&c%5Bx%5D` → `a=•••&b&c[x]`. Values are masked first; what escapes are left then
    belong to keys, and decode in one pass (an unescaped character ends every run of escapes,
    so each key decodes as it would alone)."""
    masked = _EMPTY_VALUE.sub("", _PAIR_VALUE.sub(_MASKED_VALUE, query))
    if "&&" in masked or masked[:1] == "&" or masked[-1:] == "&":
        masked = _EMPTY_PIECES.sub("&", masked).strip("&")
    return form_unquote(masked)


_PAIR_VALUE = re.compile(r"=[^&]+")  # from a pair's first "=" to its end
_MASKED_VALUE = "=" + HIDDEN
_EMPTY_VALUE = re.compile(r"=(?=&|$)")
_EMPTY_PIECES = re.compile(r"&{2,}")


_LONG_NUMBER = re.compile(r"\d{4,}")  # patient, account and order ids in paths
_MATRIX_VALUE = re.compile(r"(;[^;=/]+=)[^;/]*")  # Floodlight-style ;key=value


def mask_for(kind: str, value: str) -> str:
    """Mask by identifier kind or test-patient field name."""
    masker = MASKERS.get(kind, mask_text)
    try:
        return masker(value)
    except Exception:  # pragma: no cover - masking must never take a finding down with it
        return HIDDEN


MASKERS = {
    "email": mask_email,
    "phone": mask_phone,
    "ssn": mask_ssn,
    "dob": mask_date,
    "date": mask_date,
    "zip": mask_zip,
    "mrn": mask_id,
    "member_id": mask_id,
    "account": mask_id,
    "id": mask_id,
    "hash": mask_hash,
    "url": mask_url,
    "text": mask_text,
}
