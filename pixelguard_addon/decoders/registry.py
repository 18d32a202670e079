"""Decoders by name, as the vendor catalog (`patterns/trackers.toml`, `decoders = [...]`) names them.

Two kinds of entry:

* `always`: a format the standard pipeline reads for every request (JSON, base64, ndjson
  batches, Google's `tv.1~` string…). A vendor names it to document what its payloads need,
  and the coverage table shows it; naming it changes nothing at run time.
* vendor-only: a format too loose to try on every value or body (lz-string, schema-less
  protobuf, `;`-joined parameters). It runs only for requests of a vendor that names it,
  including requests recognised by a vendor's endpoint signature on another host.

A value decoder (`decode(value, key, ctx)`) is tried before the standard ones on every text
value of the request, its body included; a body decoder (`decode_body(data, ctx)`) is tried on
bodies that are not text. The catalog refuses a name that is not here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

from .base import Child, ValueDecoder
from .base64_value import Base64Value
from .device_string import DeviceStringValue
from .form import FormValue
from .google_user_data import GoogleUserDataValue
from .json_value import JsonValue
from .jwt import JwtValue
from .limits import Context
from .lz64 import Lz64Value
from .ndjson import NdjsonValue
from .newrelic_bel import BelValue
from .protobuf import ProtobufBody
from .semicolon_params import SemicolonParamsValue


class BodyDecoder(Protocol):
    """Reads a whole binary body. None when it is not its format."""

    name: str

    def decode_body(self, data: bytes, ctx: Context) -> list[Child] | None: ...


@dataclass(frozen=True)
class Registered:
    decoder: ValueDecoder | BodyDecoder
    reads: str  # what the format is, for docs/coverage.md
    always: bool  # part of the standard pipeline for every request

    @property
    def is_body_decoder(self) -> bool:
        return hasattr(self.decoder, "decode_body")


DECODERS: dict[str, Registered] = {
    # -- vendor-only ---------------------------------------------------------------------------
    "lz64": Registered(Lz64Value(), "lz-string base64 (PostHog `compression=lz64`)", always=False),
    "protobuf": Registered(ProtobufBody(), "protobuf without a schema (strings by field path)", always=False),
    "newrelic_bel": Registered(BelValue(), "New Relic `bel.7;` serialisation", always=False),
    "floodlight_params": Registered(SemicolonParamsValue(), "`;`-joined `k=v` inside a value (Floodlight `data=`)",
                                    always=False),
    "device_string": Registered(DeviceStringValue(), "`&`-joined device strings (`dv`)", always=False),
    # -- read for every request ----------------------------------------------------------------
    "google_user_data": Registered(GoogleUserDataValue(), "Google user-provided data `tv.1~em.…`", always=True),
    "ndjson_batch": Registered(NdjsonValue(), "newline-delimited batch (GA4, Datadog, Sentry envelope)",
                               always=True),
    "base64_json": Registered(Base64Value(), "base64 / base64url JSON (Mixpanel `data=`, Snowplow `cx`)",
                              always=True),
    "json_strings": Registered(JsonValue(), "JSON inside query/form values (Meta `cd[…]`, app events `custom_events`)",
                               always=True),
    "form": Registered(FormValue(), "url-encoded form body", always=True),
    "jwt": Registered(JwtValue(), "JSON Web Tokens", always=True),
}


def vendor_decoders(names: Iterable[str]) -> tuple[tuple[ValueDecoder, ...], tuple[BodyDecoder, ...]]:
    """The vendor-only decoders among `names`: (value decoders, body decoders). Unknown names
    are the catalog's to refuse; here they are skipped."""
    values: list[ValueDecoder] = []
    bodies: list[BodyDecoder] = []
    for name in names:
        entry = DECODERS.get(name)
        if entry is None or entry.always:
            continue
        if entry.is_body_decoder:
            bodies.append(entry.decoder)  # type: ignore[arg-type]
        else:
            values.append(entry.decoder)  # type: ignore[arg-type]
    return tuple(values), tuple(bodies)
