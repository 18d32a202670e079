"""Redact mode: take the fields that carry PHI out of a tracker request and keep the rest.

    redacted = redact(request, findings)        # or raises CannotRedact(reason)
    redacted.url, redacted.body, redacted.removed, redacted.header_changes

Each finding's decode chain says where its value sits; the whole field at the top of that
chain goes: a query parameter, a form field, a JSON property (nested objects and list items
too), an ndjson line's property, a cookie; a Referer is cut to its origin. Two layers inside a
query parameter or form field are written back, so the rest of the field survives: JSON
(`cd[x]={"a":…}`) and base64 of JSON (Mixpanel `data=`), in the alphabet and padding the
sender used. A value nested any other way (gzip in base64, a URL inside a parameter, JSON in
a JSON string) takes its containing field with it: re-encoding such a layer exactly as the
sender did is guesswork, dropping the field is not. The body is re-encoded as it came (same
Content-Encoding, Content-Length updated).

Anything else (the page a request came from, the URL path or fragment, multipart bodies,
encodings we cannot write back) raises `CannotRedact`; the proxy then blocks instead.
No mitmproxy here.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Iterable
from urllib.parse import quote, unquote_plus, urlsplit

from .decoders import Limits
from .decoders.body import charset_of
from .decoders.compression import decompress_bounded, normalize_encoding, sniff_encoding
from .model import CapturedRequest, Finding, render_chain
from .recompress import compress

ARROW = " → "
# A decode step may end in qualifiers: "data(base64)", "diabetes(key)", "body(gzip)".
QUALIFIERS = re.compile(r"(?:\([^()]*\))+")
NDJSON_LINE = re.compile(r"ndjson\[(\d+)\](?:\([^()]*\))*")
LIMITS = Limits()


class CannotRedact(Exception):
    """The request cannot be made safe by removing fields; `reason` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RedactedRequest:
    url: str
    body: bytes
    removed: list[str]  # one line per removed field: "query.cd[buttonText]", "cookie._fbp"
    header_changes: tuple[tuple[str, str | None], ...] = ()  # (name, new value or None = drop)

    def applied_to(self, request: CapturedRequest) -> CapturedRequest:
        """The request as it will be forwarded (for the second inspection)."""
        headers = list(request.headers)
        for name, value in self.header_changes:
            kept = [(k, v) for k, v in headers if k.lower() != name]
            headers = kept if value is None else [*kept, (name, value)]
        return replace(request, url=self.url, body=self.body, headers=tuple(headers))


def redact(request: CapturedRequest, findings: Iterable[Finding]) -> RedactedRequest:
    plan = _Plan(request)
    for finding in findings:
        plan.add(finding.chain.split(ARROW))
    return plan.build()


def names_step(step: str, name: str) -> bool:
    """Whether a rendered decode step is the field `name`, maybe with qualifiers after it."""
    return step == name or (step.startswith(name) and QUALIFIERS.fullmatch(step[len(name):]) is not None)


def _key_matches(step: str, keys: Iterable[str]) -> set[str]:
    """The keys a step names: the exact one if present, else those it names with qualifiers."""
    keys = set(keys)
    if step in keys:
        return {step}
    return {key for key in keys if names_step(step, key)}


@dataclass
class _Plan:
    request: CapturedRequest
    query_edits: list[list[str]] = field(default_factory=list)  # chains from the parameter on
    cookies: set[str] = field(default_factory=set)
    trim_referer: bool = False
    body_edits: list[list[str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def add(self, steps: list[str]) -> None:
        root = steps[0]
        if root.startswith("query."):
            self.query_edits.append([root[len("query."):], *steps[1:]])
        elif root.startswith("cookie."):
            names = _key_matches(root[len("cookie."):], _cookie_names(self.request.header_values("cookie")))
            if not names:
                raise CannotRedact(f"cookie of {root!r} not found")
            self.cookies |= names
            self._removed([root])
        elif names_step(root, "header.referer"):
            self.trim_referer = True
            self._removed(["header.referer (cut to its origin)"])
        elif names_step(root, "body"):
            self.body_edits.append(steps)
        else:
            raise CannotRedact(f"{render_chain(steps)}: only query, body, Referer and cookie fields can be removed")

    def _removed(self, steps: list[str]) -> None:
        line = ARROW.join(steps)
        if line not in self.removed:
            self.removed.append(line)

    def build(self) -> RedactedRequest:
        changes: list[tuple[str, str | None]] = []
        body = self.request.body
        if self.body_edits:
            body, lines = _Body(self.request).without(self.body_edits)
            for line in lines:
                self._removed([line])
            if self.request.header("content-length") is not None:
                changes.append(("content-length", str(len(body))))
        if self.cookies:
            changes.append(("cookie", _without_cookies(self.request.header_values("cookie"), self.cookies)))
        if self.trim_referer:
            changes.append(("referer", _origin(self.request.header("referer") or "")))
        url = self.request.url
        if self.query_edits:
            base, query, fragment = _split_url(url)
            pieces, lines = _edit_pairs([piece for piece in query.split("&") if piece], self.query_edits, "query")
            url = base + ("?" + "&".join(pieces) if pieces else "") + fragment
            for line in lines:
                self._removed([line])
        return RedactedRequest(url, body, self.removed, tuple(changes))


# --- URL, cookies, Referer -------------------------------------------------------------

def _split_url(url: str) -> tuple[str, str, str]:
    rest, hash_mark, fragment = url.partition("#")
    base, _, query = rest.partition("?")
    return base, query, hash_mark + fragment


def _pair_key(piece: str) -> str:
    return unquote_plus(piece.partition("=")[0], errors="replace")


def _edit_pairs(pieces: list[str], edits: list[list[str]], where: str) -> tuple[list[str], list[str]]:
    """Pieces of `a=1&b=2` text, kept byte for byte except the fields the chains name (each
    chain starts at its field: "data(base64)", "json", "[0].x"): a field whose value has layers
    we can write back is rewritten without the named properties, any other is dropped.
    Returns the pieces and the removed lines ("query.udff[em]", "form → data(base64) → json → x")."""
    keys = Counter(_pair_key(piece) for piece in pieces if piece)
    by_key: dict[str, list[list[str]]] = {}
    for steps in edits:
        found = _key_matches(steps[0], keys)
        if not found:
            raise CannotRedact(f"{where} field {ARROW.join(steps)!r} not found")
        for key in found:
            by_key.setdefault(key, []).append(steps)
    name = "query." if where == "query" else f"form{ARROW}"
    rewritten: dict[str, str] = {}
    removed: list[str] = []
    for key, key_edits in by_key.items():
        piece = next(piece for piece in pieces if piece and _pair_key(piece) == key)
        # A repeated key: which of its values a chain meant is unknown, so they all go.
        new_value = _rewritten(piece.partition("=")[2], key, key_edits) if keys[key] == 1 else None
        if new_value is None:
            removed += list(dict.fromkeys(name + steps[0] for steps in key_edits))
            continue
        rewritten[key] = piece.partition("=")[0] + "=" + quote(new_value, safe="")
        removed += list(dict.fromkeys(name + ARROW.join(steps) for steps in key_edits))
    kept = []
    for piece in pieces:
        key = _pair_key(piece) if piece else None
        if key not in by_key:
            kept.append(piece)
        elif key in rewritten:
            kept.append(rewritten[key])
    return kept, removed


def _rewritten(raw_value: str, key: str, edits: list[list[str]]) -> str | None:
    """The field's value without the JSON properties the chains name, its layers (JSON, or
    base64 of JSON) written back as they came; None when that cannot be done safely."""
    layers = {steps[0][len(key):] if steps[0].startswith(key) else None for steps in edits}
    if len(layers) != 1 or any(len(steps) < 3 or steps[1] != "json" for steps in edits):
        return None
    layer = layers.pop()
    try:
        value = unquote_plus(raw_value, errors="strict")  # escapes that are not UTF-8: drop the field
        if layer == "":
            text, _ = _edit_json(value, [steps[1:] for steps in edits])
            return text
        if layer == "(base64)":
            return _edit_base64_json(value, [steps[1:] for steps in edits])
    except (CannotRedact, ValueError, binascii.Error):
        return None
    return None


def _edit_base64_json(value: str, edits: list[list[str]]) -> str:
    """base64 (or base64url) of JSON, edited and encoded back with the same alphabet and padding."""
    text = value.strip()
    if " " in text:  # form decoding turned an unescaped "+" into a space
        text = text.replace(" ", "+")
    url_safe = "-" in text or "_" in text
    altchars = b"-_" if url_safe else None
    raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=altchars, validate=True)
    edited, _ = _edit_json(raw.decode("utf-8"), edits)
    encoded = base64.b64encode(edited.encode("utf-8"), altchars=altchars).decode("ascii")
    # Only a length that padding would have changed shows a sender that does not pad.
    return encoded if len(text) % 4 == 0 else encoded.rstrip("=")


def _cookie_pieces(headers: list[str]) -> list[tuple[str, str]]:
    """(name, "name=value") for every cookie in the Cookie headers."""
    pieces = [piece.strip() for header in headers for piece in header.split(";")]
    return [(piece.partition("=")[0].strip(), piece) for piece in pieces if piece]


def _cookie_names(headers: list[str]) -> set[str]:
    return {name for name, _ in _cookie_pieces(headers)}


def _without_cookies(headers: list[str], names: set[str]) -> str | None:
    return "; ".join(piece for name, piece in _cookie_pieces(headers) if name not in names) or None


def _origin(referer: str) -> str:
    try:
        parts = urlsplit(referer.strip())
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise CannotRedact("Referer is not a URL that can be cut to its origin")
    return f"{parts.scheme}://{parts.netloc}/"


# --- the body --------------------------------------------------------------------------

class _Body:
    """The body decompressed and decoded to text, edited, then encoded back the same way."""

    def __init__(self, request: CapturedRequest):
        if not request.body_complete:
            raise CannotRedact("body incomplete: the rest could not be checked")
        self.encodings, self.writers, data = _undo_encodings(request)
        self.charset = charset_of(request.header("content-type") or "") or "utf-8"
        try:
            self.text = data.decode(self.charset)
        except (UnicodeDecodeError, LookupError):
            raise CannotRedact(f"body is not {self.charset} text") from None

    def without(self, edits: list[list[str]]) -> tuple[bytes, list[str]]:
        body_step = "body" + "".join(f"({e})" for e in self.encodings)
        formats = set()
        for steps in edits:
            if steps[0] != body_step:
                raise CannotRedact(f"{render_chain(steps)}: the body's encoding cannot be written back")
            if len(steps) < 2:
                raise CannotRedact("the body as a whole carries the value")
            formats.add("ndjson" if NDJSON_LINE.fullmatch(steps[1]) else steps[1])
        if len(formats) != 1:
            raise CannotRedact(f"body read in more than one way ({', '.join(sorted(formats))})")
        edit = {"json": _edit_json, "form": _edit_form, "ndjson": _edit_ndjson}.get(formats.pop())
        if edit is None:
            raise CannotRedact(f"{render_chain(edits[0])}: only JSON, form and ndjson bodies can be edited")
        text, removed = edit(self.text, [steps[1:] for steps in edits])
        try:
            data = text.encode(self.charset)
            for writer in reversed(self.writers):
                data = compress(data, writer)
        except (ValueError, ImportError) as exc:  # UnicodeEncodeError is a ValueError
            raise CannotRedact(f"body cannot be encoded back ({exc})") from None
        return data, [f"{body_step}{ARROW}{line}" for line in removed]


def _undo_encodings(request: CapturedRequest) -> tuple[list[str], list[str], bytes]:
    """Undo the body's encodings the way the body decoder does (declared ones, last applied
    first, then whatever the bytes still show). Returns the encodings as the decode chain
    names them, the exact variants to write back ("deflate-raw" for headerless deflate),
    and the plain bytes."""
    declared = [normalize_encoding(t) for t in (request.header("content-encoding") or "").split(",")]
    pending = [e for e in reversed(declared) if e]
    encodings: list[str] = []
    writers: list[str] = []
    data = request.body
    while pending or (sniffed := sniff_encoding(data)) is not None:
        encoding = pending.pop(0) if pending else sniffed
        if len(encodings) >= LIMITS.max_depth:
            raise CannotRedact("body compressed too many times")
        raw_deflate = encoding == "deflate" and sniff_encoding(data) != "deflate"
        data = _inflate(data, encoding)
        encodings.append(encoding)
        writers.append("deflate-raw" if raw_deflate else encoding)
    return encodings, writers, data


def _inflate(data: bytes, encoding: str) -> bytes:
    result = decompress_bounded(data, encoding, LIMITS.max_ratio, LIMITS.max_decoded_bytes)
    if result.error or result.limit or result.truncated:
        raise CannotRedact(f"{encoding} body not fully readable "
                           f"({result.error or result.limit or 'stream ends early'})")
    return result.data


def _edit_form(text: str, edits: list[list[str]]) -> tuple[str, list[str]]:
    # The form decoder reads the text stripped; the edges are kept as they were.
    core = text.strip()
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    if any(len(steps) < 2 for steps in edits):
        raise CannotRedact("the form as a whole carries the value")
    pieces, removed = _edit_pairs(core.split("&"), [steps[1:] for steps in edits], "form")
    return lead + "&".join(pieces) + trail, sorted(removed)


def _edit_json(text: str, edits: list[list[str]]) -> tuple[str, list[str]]:
    document = _load_json(text)
    targets = [_json_target(document, steps) for steps in edits]
    _delete(targets)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")), \
        list(dict.fromkeys(f"json{ARROW}{path}" for _, _, path in targets))


def _edit_ndjson(text: str, edits: list[list[str]]) -> tuple[str, list[str]]:
    lines = text.split("\n")
    by_line: dict[int, list[list[str]]] = {}
    for steps in edits:
        index = int(NDJSON_LINE.fullmatch(steps[0]).group(1))
        if index >= len(lines):
            raise CannotRedact(f"ndjson line {index} not found")
        by_line.setdefault(index, []).append(steps)
    removed, dropped = [], set()
    for index, line_edits in sorted(by_line.items()):
        line, ending = (lines[index][:-1], "\r") if lines[index].endswith("\r") else (lines[index], "")
        kind = {tuple(steps[1:2]) for steps in line_edits}
        if any(steps[0] != f"ndjson[{index}]" for steps in line_edits):
            kind = set()  # the line was unpacked first (base64…): it goes whole
        line_edits = [steps[1:] for steps in line_edits]
        if kind == {("json",)}:
            line, done = _edit_json(line, line_edits)
        elif kind == {("form",)}:
            line, done = _edit_form(line, line_edits)
        else:  # the line itself carries the value, or it was read in two ways: drop it whole
            dropped.add(index)
            removed.append(f"ndjson[{index}]")
            continue
        lines[index] = line + ending
        removed += [f"ndjson[{index}]{ARROW}{item}" for item in done]
    return "\n".join(line for i, line in enumerate(lines) if i not in dropped), removed


# --- JSON paths as the JSON decoder renders them: a.b[0]["x.y"].c ------------------------

PathPart = str | int


def _load_json(text: str) -> Any:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise CannotRedact("JSON body does not parse") from None
    if not isinstance(document, (dict, list)):
        raise CannotRedact("JSON body is not an object or array")
    return document


def _json_target(document: Any, steps: list[str]) -> tuple[Any, PathPart, str]:
    """(container, key, path) of the property a `json → path` chain names."""
    if len(steps) < 2:
        raise CannotRedact("JSON document as a whole carries the value")
    path = steps[1]
    node, container, key, position = document, None, None, 0
    while position < len(path):
        container = node
        key, position = _next_key(node, path, position)
        node = node[key]
    if container is None:
        raise CannotRedact(f"JSON path {path!r} names nothing")
    return container, key, path


def _next_key(node: Any, path: str, position: int) -> tuple[PathPart, int]:
    """The key at `path[position:]` that exists in `node`, and where the next one starts."""
    if path.startswith('["', position):
        try:
            key, end = json.JSONDecoder().raw_decode(path, position + 1)
        except ValueError:
            raise CannotRedact(f"JSON path {path!r} unreadable") from None
        end += 1  # the closing "]"
    elif path.startswith("[", position):
        end = path.find("]", position)
        digits = path[position + 1:end] if end > 0 else ""
        if not digits.isdigit():
            raise CannotRedact(f"JSON path {path!r} unreadable")
        key, end = int(digits), end + 1
    else:
        if path.startswith(".", position):
            position += 1
        end = min((i for i in (path.find(".", position), path.find("[", position)) if i >= 0), default=len(path))
        key = path[position:end]
        if isinstance(node, dict) and key not in node and end == len(path):
            key = next(iter(_key_matches(key, node)), key)  # "reason(base64)", "diabetes(key)"
    rest = path[end:]
    if QUALIFIERS.fullmatch(rest or "()"):
        end = len(path)
    if not _has(node, key):
        raise CannotRedact(f"JSON path {path!r} not found in the body")
    return key, end


def _has(node: Any, key: PathPart) -> bool:
    if isinstance(node, dict):
        return isinstance(key, str) and key in node
    return isinstance(node, list) and isinstance(key, int) and key < len(node)


def _delete(targets: list[tuple[Any, PathPart, str]]) -> None:
    """Delete every target; list items from the highest index down, so indexes stay right."""
    seen: set[tuple[int, PathPart]] = set()
    for container, key, _ in sorted(targets, key=lambda t: t[1] if isinstance(t[1], int) else -1, reverse=True):
        if (id(container), key) in seen:
            continue
        seen.add((id(container), key))
        del container[key]
