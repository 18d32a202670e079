"""Protocol Buffers without a schema: Google Analytics for Firebase (`app-measurement.com/a`)
and other binary bodies of vendors that name this decoder.

The wire format is walked (varint, 64-bit, length-delimited, 32-bit) and every
length-delimited field that reads as text is yielded under its field-number path:
`protobuf → 1[0].2[3].1` is field 1 of the fourth field-2 message inside the first field-1
message. A length-delimited field that is not text is tried as a nested message; bytes that
are neither are skipped. Numbers are not yielded: without a schema a varint could be a time,
an enum or a flag, and nothing says which.

A body is only taken for protobuf when it parses to its last byte and holds at least one
string; anything else stays undecodable, which keeps an encrypted body from passing for a
decoded one.
"""
from __future__ import annotations

from .base import Child, looks_textual
from .limits import Context

MAX_NESTING = 16
MAX_STRINGS = 5000
VARINT, FIXED64, LENGTH_DELIMITED, FIXED32 = 0, 1, 2, 5


class ProtobufError(ValueError):
    pass


class ProtobufBody:
    name = "protobuf"

    def decode_body(self, data: bytes, ctx: Context) -> list[Child] | None:
        strings: list[tuple[str, str]] = []
        try:
            _walk(data, "", 0, strings)
        except ProtobufError:
            return None
        if not strings:  # nothing readable: for all we know, bytes that happened to parse
            return None
        if len(strings) > MAX_STRINGS:
            ctx.partial("protobuf string limit", ("protobuf",))
            del strings[MAX_STRINGS:]
        return [Child(("protobuf", path), text, path) for path, text in strings]


def read_varint(data: bytes, offset: int) -> tuple[int, int]:
    """(value, next offset); at most 10 bytes, as the format allows."""
    value = 0
    for shift in range(0, 70, 7):
        if offset >= len(data):
            raise ProtobufError("varint runs past the end")
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, offset
    raise ProtobufError("varint longer than 10 bytes")


def encode_varint(value: int) -> bytes:
    """The inverse of read_varint, for building fixtures and tests."""
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def encode_field(number: int, payload: bytes | str | int) -> bytes:
    """One field: an int as a varint, text or bytes length-delimited (fixtures and tests)."""
    if isinstance(payload, int):
        return encode_varint(number << 3 | VARINT) + encode_varint(payload)
    data = payload.encode() if isinstance(payload, str) else payload
    return encode_varint(number << 3 | LENGTH_DELIMITED) + encode_varint(len(data)) + data


def parse_fields(data: bytes) -> list[tuple[int, int, bytes | int]]:
    """[(field number, wire type, payload)] of one message; raises unless it parses exactly."""
    fields: list[tuple[int, int, bytes | int]] = []
    offset = 0
    while offset < len(data):
        tag, offset = read_varint(data, offset)
        number, wire = tag >> 3, tag & 7
        if number == 0:
            raise ProtobufError("field number 0")
        if wire == VARINT:
            value, offset = read_varint(data, offset)
            fields.append((number, wire, value))
        elif wire in (FIXED64, FIXED32):
            size = 8 if wire == FIXED64 else 4
            if offset + size > len(data):
                raise ProtobufError("fixed-size field runs past the end")
            fields.append((number, wire, data[offset:offset + size]))
            offset += size
        elif wire == LENGTH_DELIMITED:
            size, offset = read_varint(data, offset)
            if offset + size > len(data):
                raise ProtobufError("length-delimited field runs past the end")
            fields.append((number, wire, data[offset:offset + size]))
            offset += size
        else:  # groups (3, 4) are long deprecated; 6 and 7 do not exist
            raise ProtobufError(f"wire type {wire}")
    return fields


def _walk(data: bytes, prefix: str, depth: int, strings: list[tuple[str, str]]) -> bool:
    """Collect the strings of one message; False when `data` is not a message."""
    if depth > MAX_NESTING or not data:
        return False
    try:
        fields = parse_fields(data)
    except ProtobufError:
        if depth == 0:
            raise
        return False
    seen: dict[int, int] = {}
    for number, wire, payload in fields:
        occurrence = seen.get(number, 0)
        seen[number] = occurrence + 1
        if wire != LENGTH_DELIMITED or len(strings) > MAX_STRINGS:
            continue
        assert isinstance(payload, bytes)
        path = f"{prefix}{number}[{occurrence}]"
        # A nested message starts with a tag byte; for fields 1-3 that byte is a control
        # character, which text never starts with. Try the message reading first then.
        if payload[:1] < b"\x20" and _walk(payload, path + ".", depth + 1, strings):
            continue
        text = _text(payload)
        if text is not None:
            strings.append((path, text))
        else:
            _walk(payload, path + ".", depth + 1, strings)
    return True


def _text(payload: bytes) -> str | None:
    """A string field: UTF-8 that reads as text throughout."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if text and looks_textual(text, threshold=1.0) else None
