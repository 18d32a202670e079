import pytest

from pixelguard_addon.thirdparty import declared_sites, is_first_party, site_of


@pytest.mark.parametrize("host,site", [
    ("www.facebook.com", "facebook.com"),
    ("region1.google-analytics.com", "google-analytics.com"),
    ("mychart.hospital.co.uk", "hospital.co.uk"),
    ("tenant-a.herokuapp.com", "tenant-a.herokuapp.com"),  # private section: each tenant its own site
    ("d111111abcdef8.cloudfront.net", "d111111abcdef8.cloudfront.net"),
    ("WWW.Example.ORG.", "example.org"),
    ("127.0.0.1", "127.0.0.1"),
    ("[::1]", "::1"),
    ("localhost", "localhost"),
    ("portal.localhost", "localhost"),
])
def test_site_of(host, site):
    assert site_of(host) == site


def test_declared_hosts_stand_for_their_site():
    sites = declared_sites(("mychart.example.org",))
    assert is_first_party("api.example.org", sites, None)
    assert not is_first_party("www.facebook.com", sites, "https://www.example.org/")


def test_without_declared_sites_the_page_decides():
    assert is_first_party("api.example.org", frozenset(), "www.example.org")
    assert not is_first_party("www.facebook.com", frozenset(), "www.example.org")
    assert not is_first_party("api.example.org", frozenset(), None)


def test_two_cloud_tenants_are_different_parties():
    assert not is_first_party("evil.herokuapp.com", frozenset(), "good.herokuapp.com")
