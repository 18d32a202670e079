"""multipart/form-data bodies."""
from __future__ import annotations

from pixelguard_addon.decoders.multipart import find_boundary, split_parts

from .helpers import chains, decode, field

BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
BODY = (
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="event"\r\n\r\n'
    "Lead\r\n"
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="custom_data"\r\n'
    "Content-Type: application/json\r\n\r\n"
    '{"condition": "diabetes", "page": "https://portal.example.org/diabetes/type-2"}\r\n'
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="scan"; filename="scan.png"\r\n'
    "Content-Type: image/png\r\n\r\n"
).encode() + b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x02\x03" + f"\r\n--{BOUNDARY}--\r\n".encode()


def test_parts_become_fields_with_json_unpacked():
    decoded = decode(method="POST", headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}, body=BODY)
    found = chains(decoded)
    assert found["body → multipart → event"] == "Lead"
    assert found["body → multipart → custom_data → json → condition"] == "diabetes"
    assert found["body → multipart → custom_data → json → page → url.path"] == "/diabetes/type-2"
    assert field(decoded, "body → multipart → event").key == "event"
    assert decoded.undecodable == ["body → multipart → scan: 20 bytes of binary data not decodable"]


def test_boundary_is_sniffed_when_content_type_is_wrong():
    decoded = decode(method="POST", headers={"Content-Type": "text/plain"}, body=BODY)
    assert chains(decoded)["body → multipart → event"] == "Lead"


def test_quoted_boundary_and_part_without_name():
    assert find_boundary('multipart/form-data; boundary="a b"', b"") == b"a b"
    parts = split_parts(b"--x\r\nContent-Type: text/plain\r\n\r\nhello\r\n--x--\r\n", b"x")
    assert [(p.name, p.data) for p in parts] == [("[0]", b"hello")]


def test_cut_multipart_keeps_the_complete_parts():
    cut = BODY[: BODY.index(b"custom_data") + 60]
    decoded = decode(method="POST", headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
                     body=cut, body_complete=False)
    assert chains(decoded)["body → multipart → event"] == "Lead"
    assert "body incomplete in capture" in decoded.partial
