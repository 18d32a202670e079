"""The request body: undo compression, pick a format by Content-Type *and* by sniffing,
then hand the text to the walker.

Trackers routinely mislabel bodies (`navigator.sendBeacon` sends JSON as `text/plain`, HAR
exports keep `Content-Encoding: gzip` on bodies they already decompressed), so the declared
type is a first guess, never the last word.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import CapturedRequest
from .base import Child, ValueDecoder, looks_textual
from .base64_value import Base64Value
from .compression import decompress_bounded, normalize_encoding, sniff_encoding
from .form import FormValue
from .json_value import JsonValue
from .limits import Context
from .multipart import find_boundary, split_parts
from .ndjson import NdjsonValue
from .walker import Walker

JSON = JsonValue()
LOOSE_FORM = FormValue(strict=False)
SNIFFED_NDJSON = NdjsonValue(strict=True)
DECLARED_NDJSON = NdjsonValue(strict=False)
BASE64 = Base64Value()

# What to try for each declared type, in order. Anything else (text/plain, none, a wrong
# type) is sniffed: `{`/`[` → JSON, lines → ndjson, base64 text, `a=b&c=d` → form. base64
# goes before form because its "=" padding would read as a one-key form.
SNIFF = (JSON, SNIFFED_NDJSON, BASE64, LOOSE_FORM)
BY_CONTENT_TYPE: dict[str, tuple[ValueDecoder, ...]] = {
    "application/x-www-form-urlencoded": (LOOSE_FORM, JSON, SNIFFED_NDJSON),
    "application/json": (JSON, SNIFFED_NDJSON, LOOSE_FORM),
    "application/x-ndjson": (DECLARED_NDJSON, JSON),
    "application/ndjson": (DECLARED_NDJSON, JSON),
    "application/jsonl": (DECLARED_NDJSON, JSON),
    "application/x-sentry-envelope": (DECLARED_NDJSON, JSON),
}


@dataclass
class BodyBytes:
    data: bytes
    steps: tuple[str, ...]
    cut: bool  # not the whole body: capture incomplete, or a limit stopped decompression


def walk_body(request: CapturedRequest, walker: Walker) -> None:
    if not request.body:
        return
    body = BodyBytes(request.body, ("body",), cut=not request.body_complete)
    body = _decompress(request, body, walker)
    if body is None:
        return
    content_type = request.header("content-type") or ""
    boundary = find_boundary(content_type, body.data)
    if boundary is not None:
        _walk_multipart(body, boundary, walker)
        return
    text = _to_text(body.data, _charset(content_type))
    ctx = Context(body.steps, walker.budget)
    # A short protobuf of mostly strings can pass for text: a vendor's body decoders get any
    # body with a control character first.
    if walker.vendor_bodies and (text is None or not looks_textual(text, threshold=1.0)):
        if _walk_binary(body, walker):
            return
    if text is None:
        ctx.undecodable(f"{len(body.data)} bytes of binary data not decodable")
        return
    mime = _mime(content_type)
    declared = _declared_decoders(mime)
    root = Child(body.steps, text, "body", decoders=declared or SNIFF)
    unpacked = walker.walk(root, depth=len(body.steps) - 1)
    if declared and not unpacked and not body.cut and text.strip():
        ctx.undecodable(f"declared {mime} but not readable as such")


def _walk_binary(body: BodyBytes, walker: Walker) -> bool:
    """A binary body read by one of the vendor's body decoders (protobuf); False if none can."""
    ctx = Context(body.steps, walker.budget)
    for decoder in walker.vendor_bodies:
        children = decoder.decode_body(body.data, ctx)
        if children is None:
            continue
        depth = len(body.steps) - 1
        for child in children:
            walker.walk(Child(body.steps + child.steps, child.value, child.key, child.final), depth=depth + 1)
        return True
    return False


def _declared_decoders(mime: str) -> tuple[ValueDecoder, ...] | None:
    if mime.endswith("+json"):  # application/vnd.api+json, application/reports+json…
        mime = "application/json"
    return BY_CONTENT_TYPE.get(mime)


def _decompress(request: CapturedRequest, body: BodyBytes, walker: Walker) -> BodyBytes | None:
    """Undo declared encodings (last applied first), then any compression the bytes still show."""
    declared = [normalize_encoding(token) for token in (request.header("content-encoding") or "").split(",")]
    for encoding in reversed([e for e in declared if e]):
        body = _inflate(body, encoding, walker)
        if body is None:
            return None
    while (encoding := sniff_encoding(body.data)) is not None:
        inflated = _inflate(body, encoding, walker)
        if inflated is None or inflated is body:
            return inflated
        body = inflated
    return body


def _inflate(body: BodyBytes, encoding: str, walker: Walker) -> BodyBytes | None:
    """One decompression step. Returns the body unchanged when the bytes turn out not to be
    compressed after all, None when nothing readable is left."""
    steps = body.steps + (f"({encoding})",)
    ctx = Context(steps, walker.budget)
    if len(body.steps) - 1 >= walker.budget.limits.max_depth:
        ctx.partial("depth limit")
        return None
    budget = walker.budget
    result = decompress_bounded(body.data, encoding, budget.limits.max_ratio, budget.bytes_left)
    if not result.data and not result.limit and _not_really(encoding, body.data):
        return body
    budget.take_bytes(len(result.data), steps)  # within budget: the cap was what was left
    result.report(ctx)
    if not result.data:
        if not result.error and not result.limit:
            ctx.undecodable(f"{encoding} stream held no data")
        return None
    return BodyBytes(result.data, steps, cut=body.cut or bool(result.limit or result.truncated or result.error))


def _not_really(encoding: str, data: bytes) -> bool:
    """Whether a failed decompression just means the bytes were never compressed that way:
    a header left on a body the HAR export already decoded, a wrong header on a body whose
    magic bytes say otherwise, or "x^…" text that sniffed like zlib. The bytes are then read
    as they are (and sniffed again)."""
    sniffed = sniff_encoding(data)
    if sniffed is not None and sniffed != encoding:
        return True
    if sniffed == encoding and encoding != "deflate":  # gzip/zstd magic is certain; zlib's is 2 bytes
        return False
    return _to_text(data, None) is not None


def _walk_multipart(body: BodyBytes, boundary: bytes, walker: Walker) -> None:
    steps = body.steps
    parts = split_parts(body.data, boundary)
    depth = len(steps) - 1
    if not parts:
        Context(steps, walker.budget).undecodable("multipart body without readable parts")
        return
    if not walker.emit(steps, body.data.decode("utf-8", errors="replace"), "body", container=True):
        return
    for part in parts:
        part_steps = steps + ("multipart", part.name)
        text = _to_text(part.data, _charset(part.content_type))
        if text is None:
            Context(part_steps, walker.budget).undecodable(f"{len(part.data)} bytes of binary data not decodable")
        elif text:
            walker.walk(Child(part_steps, text, part.name), depth=depth + 1)


def _to_text(data: bytes, charset: str | None) -> str | None:
    """The body as text, or None when it is binary. Invalid bytes in otherwise textual data
    (a latin-1 "é", a cut multi-byte character at the end of a truncated body) become U+FFFD."""
    try:
        text = data.decode(charset or "utf-8", errors="replace")
    except LookupError:  # unknown charset, or a bytes-to-bytes codec such as "hex"
        text = data.decode("utf-8", errors="replace")
    return text if looks_textual(text) else None


def _mime(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"') or None
    return None


charset_of = _charset  # public: redact.py writes a body back in the charset it was read in
