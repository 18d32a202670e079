"""New Relic Browser's `bel.7;` serialisation (AJAX and interaction harvests, `/events/1/…`).

Records are separated by `;`, fields by `,`; a string field starts with `'` and escapes
`,` `;` `\\` with a backslash. Each string is written once and later referred to by its
base-36 index in a per-payload string table, so only the first occurrence is yielded. Custom
attribute records are `<type>,<key>,<value>`: their string value is yielded under its key,
`bel.7 → [3].enduser.id`; other strings by record and field, `bel.7 → [0][7]`. Format read from the agent's
`src/common/serialize/bel-serializer.js` and `features/ajax/aggregate/index.js`.
"""
from __future__ import annotations

import re

from .base import Child
from .limits import Context

BEL = re.compile(r"^bel\.\d+;")
ATTRIBUTE_TYPES = frozenset("5679")  # string, double, true/false, null


class BelValue:
    name = "bel"
    candidate = BEL

    def decode(self, value: str, key: str, ctx: Context) -> list[Child] | None:
        if not BEL.match(value):
            return None
        version, _, body = value.partition(";")
        table: list[str] = []
        children: list[Child] = []
        for index, record in enumerate(split_records(body)):
            fields = [_string(field) for field in record]
            attribute_key = _attribute_key(record, fields, table)
            for position, text in enumerate(fields):
                if text is None:
                    continue
                table.append(text)
                if position == 1 and attribute_key is not None:
                    continue  # the attribute's name: schema, shown as the value's key
                if attribute_key is not None and position == 2:
                    children.append(Child((version, f"[{index}].{attribute_key}"), text, attribute_key))
                else:
                    children.append(Child((version, f"[{index}][{position}]"), text, key))
        return children


def split_records(body: str) -> list[list[str]]:
    """`a,'x\\,y;b` → [['a', "'x,y"], ['b']]: escapes undone, structure kept."""
    records: list[list[str]] = [[]]
    field: list[str] = []
    chars = iter(body)
    for char in chars:
        if char == "\\":
            field.append(next(chars, ""))
        elif char == ",":
            records[-1].append("".join(field))
            field = []
        elif char == ";":
            records[-1].append("".join(field))
            records.append([])
            field = []
        else:
            field.append(char)
    records[-1].append("".join(field))
    return [record for record in records if record != [""]]


def _string(field: str) -> str | None:
    return field[1:] if field.startswith("'") and len(field) > 1 else None


def _attribute_key(record: list[str], fields: list[str | None], table: list[str]) -> str | None:
    """The attribute's name when `record` is a custom attribute `<type>,<key>[,<value>]`."""
    if len(record) < 2 or record[0] not in ATTRIBUTE_TYPES:
        return None
    if fields[1] is not None:
        return fields[1]
    try:  # the key was written before: a base-36 reference into the string table
        return table[int(record[1], 36)]
    except (ValueError, IndexError):
        return None
