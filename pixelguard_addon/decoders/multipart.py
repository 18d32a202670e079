"""multipart/form-data bodies: one field per part, `body → multipart → <name>`.

Parsed on bytes with a small hand-written splitter (not `email`), so a cut or malformed body
still yields the parts before the damage.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

BOUNDARY_PARAM = re.compile(r'boundary\s*=\s*(?:"([^"]+)"|([^;,\s]+))', re.IGNORECASE)
# Sniffing: `--<boundary>` on the first line, then a part header.
SNIFF_BOUNDARY = re.compile(rb"^\r?\n?--([!-~]{1,200})\r?\n(?i:content-)")
PART_NAME = re.compile(r'\bname\s*=\s*(?:"([^"]*)"|([^;\s]+))', re.IGNORECASE)
PART_FILENAME = re.compile(r'\bfilename\s*=\s*(?:"([^"]*)"|([^;\s]+))', re.IGNORECASE)


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str
    data: bytes


def find_boundary(content_type: str, body: bytes) -> bytes | None:
    """The boundary from `Content-Type: multipart/…; boundary=…`, else sniffed from the body."""
    if content_type.lower().lstrip().startswith("multipart/"):
        match = BOUNDARY_PARAM.search(content_type)
        if match:
            return (match.group(1) or match.group(2)).encode("latin-1", errors="replace")
    match = SNIFF_BOUNDARY.match(body)
    return match.group(1) if match else None


def split_parts(body: bytes, boundary: bytes) -> list[Part]:
    delimiter = b"--" + boundary
    chunks = body.split(delimiter)
    parts = []
    # chunks[0] is the preamble; a chunk starting with "--" is the closing delimiter.
    for index, chunk in enumerate(chunks[1:]):
        if chunk.startswith(b"--"):
            break
        part = _parse_part(chunk, index)
        if part is not None:
            parts.append(part)
    return parts


def _parse_part(chunk: bytes, index: int) -> Part | None:
    chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk.lstrip(b"\n")
    head, separator, data = chunk.partition(b"\r\n\r\n")
    if not separator:
        head, separator, data = chunk.partition(b"\n\n")
    if not separator:
        return None
    # The line break before the next delimiter belongs to the delimiter, not the data.
    if data.endswith(b"\r\n"):
        data = data[:-2]
    elif data.endswith(b"\n"):
        data = data[:-1]
    headers = _headers(head.decode("utf-8", errors="replace"))
    disposition = headers.get("content-disposition", "")
    return Part(
        name=_param(PART_NAME, disposition) or f"[{index}]",
        filename=_param(PART_FILENAME, disposition),
        content_type=headers.get("content-type", ""),
        data=data,
    )


def _headers(head: str) -> dict[str, str]:
    headers = {}
    for line in head.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    return headers


def _param(pattern: re.Pattern[str], header: str) -> str | None:
    match = pattern.search(header)
    if not match:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)
