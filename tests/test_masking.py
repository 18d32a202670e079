from __future__ import annotations

import pytest

from pixelguard_addon import masking


@pytest.mark.parametrize("masker,value,expected", [
    (masking.mask_email, "mary.smith@example.org", "mar•••@•••.org"),
    (masking.mask_email, "mary%40example.org", "ma•••@•••.org"),
    (masking.mask_email, "ab@x.io", "a•••@•••.io"),
    (masking.mask_phone, "2125551212", "(212) •••-••12"),
    (masking.mask_phone, "+1 (212) 555-1212", "(212) •••-••12"),
    (masking.mask_ssn, "123-45-6789", "•••-••-6789"),
    (masking.mask_ssn, "123456789", "•••-••-6789"),
    (masking.mask_date, "1971-01-01", "1971-••-••"),
    (masking.mask_date, "01/02/1971", "••/••/1971"),
    (masking.mask_date, "19710101", "1971••••"),
    (masking.mask_zip, "10013-1234", "10•••"),
    (masking.mask_id, "MV00482913", "••••••••13"),
    (masking.mask_hash, "f303cf025f54905caca8788d2c7070d47fb49eb6515b7d886d3305a4f10396f9", "sha256:f303cf…"),
    (masking.mask_hash, "476869598e748d958e819c180af31982", "md5:476869…"),
    (masking.mask_hash, "8wPPAl9UkFysqHiNLHBw1H-0nrZRW32IbTMFpPEDlvk", "sha256:8wPPAl…"),
    (masking.mask_text, "Ida Tarbell", "Id•••"),
    (masking.mask_text, "Al", "•••"),
])
def test_masks(masker, value, expected):
    assert masker(value) == expected


def test_mask_url_keeps_path_and_hides_query_values():
    masked = masking.mask_url("https://www.example.org/conditions/hiv-prep?email=mary%40x.org&q=Ida#frag")
    assert masked == "https://www.example.org/conditions/hiv-prep?email=•••&q=•••#•••"


@pytest.mark.parametrize("kind", sorted(masking.MASKERS))
@pytest.mark.parametrize("secret", ["mary.smith@example.org", "2125551212", "536-22-1234", "Ida Tarbell",
                                    "MV00482913", "https://x.org/p?ssn=536221234"])
def test_no_masker_returns_the_raw_value(kind, secret):
    masked = masking.mask_for(kind, secret)
    assert secret not in masked
    assert "536221234" not in masked and "5551212" not in masked


def test_mask_url_of_something_else_masks_it_all():
    assert masking.mask_url("MV00482913") == "MV•••"


@pytest.mark.parametrize("junk", ["", "@", "%", "\ud800", "x" * 100000, "http://[::1"])
def test_maskers_never_raise(junk):
    for kind in masking.MASKERS:
        assert isinstance(masking.mask_for(kind, junk), str)


def test_mask_url_hides_ids_in_paths_and_matrix_values():
    masked = masking.mask_url("https://portal.example.org/patients/48213377/chart;src=123;~oref=x")
    assert "48213377" not in masked and "src=" in masked and ";~oref=" in masked
    assert masked.startswith("https://portal.example.org/patients/")


def test_masked_query_without_escapes_reads_as_pair_by_pair():
    # Queries are masked by substitutions over the whole query, keys decoded in one pass,
    # instead of pair by pair: both must give the same text, empty pieces, "=" in values and
    # escapes in keys included.
    import random

    from urllib.parse import unquote_plus

    def masked_pair(piece: str) -> str:
        key, _, value = piece.partition("=")
        if "%" in key or "+" in key:
            key = unquote_plus(key, errors="replace")
        return f"{key}={masking.HIDDEN}" if value else key

    def pair_by_pair(query: str) -> str:
        return "&".join(filter(None, (masked_pair(piece) for piece in query.split("&") if piece)))

    assert masking._masked_query("a=1&&b=&c") == "a=•••&b&c"
    rng = random.Random(1)
    for _ in range(20000):
        query = "".join(rng.choice(["a", "b", "=", "&", "+", "%", "%2B", "%3D", "%26", "%C3", "%A9", "%zz", "é"])
                        for _ in range(rng.randint(0, 14)))
        assert masking._masked_query(query) == pair_by_pair(query), query
