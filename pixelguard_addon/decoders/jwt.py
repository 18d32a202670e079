"""JSON Web Tokens (`header.payload.signature`, base64url): session cookies and identity
tokens whose payload often names the user (`email`, `sub`)."""
from __future__ import annotations

import re

from .base import Child, looks_textual
from .base64_value import b64decode_lenient
from .limits import Context

JWT = re.compile(r"^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$")


class JwtValue:
    name = "jwt"
    candidate = re.compile(r"\A\s*[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.")

    def decode(self, value: str, key: str, ctx: Context) -> list[Child] | None:
        text = value.strip()
        if not JWT.match(text):
            return None
        encoded_header, encoded_payload, _signature = text.split(".")
        header = _json_text(encoded_header)
        payload = _json_text(encoded_payload)
        if header is None or payload is None:
            return None
        if not ctx.take_bytes(len(header) + len(payload), ("jwt",)):
            return None
        return [Child(("jwt.header",), header, key), Child(("jwt.payload",), payload, key)]


def _json_text(segment: str) -> str | None:
    raw = b64decode_lenient(segment, altchars=b"-_")
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if text.lstrip().startswith("{") and looks_textual(text) else None
