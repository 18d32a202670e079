"""JSON Web Tokens in cookies and params."""
from __future__ import annotations

import base64
import json

from pixelguard_addon.decoders.jwt import JwtValue
from pixelguard_addon.decoders.limits import Budget, Context, Limits

from .helpers import chains, decode


def segment(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


TOKEN = ".".join([segment({"alg": "HS256", "typ": "JWT"}),
                  segment({"sub": "pt-20931", "email": "jane.doe@example.org", "plan": "hiv-care"}),
                  "c2lnbmF0dXJlX2J5dGVz"])


def test_jwt_in_cookie_exposes_payload_claims():
    decoded = decode(headers={"Cookie": f"session={TOKEN}"})
    found = chains(decoded)
    assert found["cookie.session → jwt.payload → json → email"] == "jane.doe@example.org"
    assert found["cookie.session → jwt.header → json → alg"] == "HS256"


def test_dotted_ids_are_not_jwts():
    ctx = Context(("query.x",), Budget(Limits()))
    assert JwtValue().decode("fb.1.1596403881668.1116446470", "x", ctx) is None
    assert JwtValue().decode("aaaaaaaaaa.bbbbbbbbbb.cccc", "x", ctx) is None  # segments are not JSON
