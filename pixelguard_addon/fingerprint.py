"""Which findings are "the same leak": the key for grouping, baselines and SARIF fingerprints.

The same tracker call on 40 page views is one leak seen 40 times. Its identity is the rule, the
vendor, the tracker host, the decode chain with array positions dropped (`events[3].text` and
`events[0].text` are the same field; so are `ndjson[1]` and `ndjson[4]`) and the page path.
It holds no value, no query string and no time, so it is stable across runs and safe to commit
(detect-secrets keeps its baseline comparable the same way: type + file + hash, no line numbers).

Renaming a rule id, or changing what goes in here, invalidates every user's baseline.
"""
from __future__ import annotations

import hashlib
import re
from typing import NamedTuple
from urllib.parse import urlsplit

from .model import Finding

VERSION = "pg1"  # bump when the parts below change, so old baselines fail loudly, not silently
_ARRAY_INDEX = re.compile(r"\[\d+\]")


class FingerprintParts(NamedTuple):
    rule: str
    vendor: str  # catalog vendor id, or the vendor name (the site) for an unknown third party
    host: str
    chain: str
    page: str  # path of the page the request came from, "" when unknown

    @property
    def id(self) -> str:
        text = "\x1f".join(self)
        return f"{VERSION}:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:24]}"


def normalise_chain(chain: str) -> str:
    """`body → ndjson[3] → json → events[0].text` → `body → ndjson[] → json → events[].text`."""
    return _ARRAY_INDEX.sub("[]", chain)


def page_path(page_url: str | None) -> str:
    if not page_url:
        return ""
    try:
        return urlsplit(page_url).path or "/"
    except ValueError:
        return ""


def fingerprint_parts(finding: Finding) -> FingerprintParts:
    return FingerprintParts(
        rule=finding.rule_id,
        vendor=finding.vendor_id or finding.vendor,
        host=finding.host.lower(),
        chain=normalise_chain(finding.chain),
        page=page_path(finding.page_url),
    )


def fingerprint(finding: Finding) -> str:
    return fingerprint_parts(finding).id
