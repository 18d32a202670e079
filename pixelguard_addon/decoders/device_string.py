"""`&`-joined device strings (X `dv`, Snap `dv`): `America/New_York&en-US&Google Inc.&Linux
x86_64&255&1280&720&…`. Once the query decoder has undone the outer escaping these read as a
broken form (pieces without `=`); splitting them lets each part be matched on its own."""
from __future__ import annotations

import re

from .base import Child
from .limits import Context

MIN_PARTS = 4


class DeviceStringValue:
    name = "device-string"
    candidate = re.compile("&")

    def decode(self, value: str, key: str, ctx: Context) -> list[Child] | None:
        parts = value.split("&")
        if len(parts) < MIN_PARTS or any("=" in part for part in parts):
            return None
        return [Child((f"[{index}]",), part, key, final=True) for index, part in enumerate(parts) if part]
