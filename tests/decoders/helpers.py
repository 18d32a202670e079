"""Small builders shared by the decoder tests."""
from __future__ import annotations

from pixelguard_addon.decoders import Limits, decode_request
from pixelguard_addon.model import CapturedRequest, Decoded, Field


def request(
    url: str = "https://tracker.example/collect",
    *,
    method: str = "GET",
    headers: dict[str, str] | tuple[tuple[str, str], ...] = (),
    body: bytes | str = b"",
    body_complete: bool = True,
) -> CapturedRequest:
    if isinstance(headers, dict):
        headers = tuple(headers.items())
    if isinstance(body, str):
        body = body.encode()
    return CapturedRequest(method, url, headers=headers, body=body, body_complete=body_complete)


def decode(*args, limits: Limits = Limits(), decoders: tuple[str, ...] | list[str] = (), **kwargs) -> Decoded:
    """`decoders`: vendor decoder names, as a catalog vendor would list them."""
    return decode_request(request(*args, **kwargs), limits, decoders)


def chains(decoded: Decoded) -> dict[str, str]:
    """chain → value (first occurrence); containers included."""
    found: dict[str, str] = {}
    for item in decoded.fields:
        found.setdefault(item.chain, item.value)
    return found


def values(decoded: Decoded, chain: str) -> list[str]:
    return [item.value for item in decoded.fields if item.chain == chain]


def field(decoded: Decoded, chain: str) -> Field:
    matches = [item for item in decoded.fields if item.chain == chain]
    assert matches, f"no field {chain!r}; have {sorted({f.chain for f in decoded.fields})}"
    return matches[0]


def leaves(decoded: Decoded) -> list[Field]:
    return [item for item in decoded.fields if not item.container]
