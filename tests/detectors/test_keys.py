from __future__ import annotations

import pytest

from pixelguard_addon.detectors.keys import KeyHints, innermost, key_words


@pytest.mark.parametrize("key,words", [
    ("ud[em]", ("em",)),
    ("user_data.em", ("em",)),
    ("$email", ("email",)),
    ("sha256_email_address", ("sha256", "email", "address")),
    ("phoneNumber", ("phone", "number")),
    ("patientID", ("patient", "id")),
    ("cd[buttonFeatures].innerText", ("inner", "text")),
    ("", ()),
])
def test_key_words(key, words):
    assert key_words(key) == words


def test_innermost():
    assert innermost("context.user.email") == "email"
    assert innermost("udff[ph]") == "ph"


@pytest.mark.parametrize("key,hit", [
    ("ud[em]", "em"),
    ("u_hem", "hem"),
    ("sha256_email_address", "email"),
    ("patient_id", "patientId"),
    ("patientId", "patientId"),
    ("item", ""),
    ("emoji", ""),
    ("patient", ""),
    ("", ""),
])
def test_hints_match_whole_words(key, hit):
    hints = KeyHints(["em", "hem", "email", "patientId"])
    assert hints.match(key) == hit
