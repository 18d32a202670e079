"""Google's user-provided data string on Ads/GA4 hits:
`em=tv.1~em.<sha256 b64url>~pn.<h>~fn0.<h>~ln0.<h>~pc0.<zip>~co0.<country>`.

Hashes and plaintext parts (postal code, country) sit side by side in one value; splitting
them lets the hash matcher see each digest alone (trackers.md §2.1, "Google user-provided
data")."""
from __future__ import annotations

import re

from .base import Child
from .limits import Context

USER_DATA = re.compile(r"^tv\.1~[A-Za-z0-9_]+\.")


class GoogleUserDataValue:
    name = "tv.1"
    candidate = re.compile(r"\A\s*tv\.1~")

    def decode(self, value: str, key: str, ctx: Context) -> list[Child] | None:
        text = value.strip()
        if not USER_DATA.match(text):
            return None
        children = []
        for piece in text.split("~")[1:]:
            name, dot, data = piece.partition(".")
            if dot and data:
                children.append(Child(("tv.1", name), data, name))
        return children
