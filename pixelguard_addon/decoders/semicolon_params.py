"""`key=value;key=value` values: Floodlight and Google Ads `data=event=conversion;u1=…`.

The request path's own matrix parameters (`/activity;src=…;~oref=…`) are read for every
request by the URL decoder; this reads the same shape inside a query value. Only for vendors
that name it: prose with semicolons and equals signs exists elsewhere.
"""
from __future__ import annotations

import re

from .base import Child
from .limits import Context
from .query import unquote_text

PARAM_KEY = re.compile(r"^[\w.\[\]~$-]{1,64}$")


class SemicolonParamsValue:
    name = "semicolon-params"
    candidate = re.compile(";")

    def decode(self, value: str, key: str, ctx: Context) -> list[Child] | None:
        pieces = [piece for piece in value.strip().split(";") if piece]
        if len(pieces) < 2:
            return None
        pairs = [piece.partition("=") for piece in pieces]
        if not all(sep and PARAM_KEY.match(name) for name, sep, _ in pairs):
            return None
        return [Child((f";{name}",), unquote_text(item), name) for name, _, item in pairs if item]
