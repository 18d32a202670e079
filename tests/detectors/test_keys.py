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


def test_a_huge_key_is_matched_but_not_remembered():
    # Keys come from the page: a remembered 1 MB key, times 8192, would be a memory attack.
    from pixelguard_addon.detectors.keys import KeyHints, _remembered_words, key_words
    from pixelguard_addon.memo import MEMO_MAX_KEY

    hints = KeyHints(["email"])
    huge = "x" * (MEMO_MAX_KEY + 1) + ".email"
    assert hints.match(huge) == "email" and key_words(huge) == ("email",)
    assert huge not in hints._cache
    before = _remembered_words.cache_info().currsize
    key_words("y" * (MEMO_MAX_KEY + 1))
    assert _remembered_words.cache_info().currsize == before
