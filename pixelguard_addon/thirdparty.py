"""Who is first party: registrable domains from the public suffix list.

The private section of the list is honoured, as browsers do: two tenants of
herokuapp.com or cloudfront.net are different parties. IP literals and localhost are
their own site. A request is first party when its site is one the policy declares, or
(when the policy declares none) the site of the page it came from.
"""
from __future__ import annotations

import ipaddress
from functools import lru_cache

from publicsuffixlist import PublicSuffixList

_PSL: PublicSuffixList | None = None


def _psl() -> PublicSuffixList:
    global _PSL
    if _PSL is None:  # ~0.1 s to build; only pay it when a site is first asked for
        _PSL = PublicSuffixList(accept_unknown=False)
    return _PSL


@lru_cache(maxsize=65536)
def site_of(host: str) -> str:
    """The registrable domain (eTLD+1) of a host; an IP or single-label host is its own site."""
    host = host.strip().strip("[]").rstrip(".").lower()
    if not host:
        return ""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if "." not in host or host.endswith(".localhost"):
        return "localhost" if host.endswith("localhost") else host
    return _psl().privatesuffix(host) or host


def declared_sites(first_party: tuple[str, ...]) -> frozenset[str]:
    """Policy entries may be hosts or sites ("portal.example.org" means example.org's site)."""
    return frozenset(site_of(entry) for entry in first_party if entry)


def is_first_party(host: str, first_party_sites: frozenset[str], page_host: str | None) -> bool:
    site = site_of(host)
    if first_party_sites:
        return site in first_party_sites
    return bool(page_host) and site == site_of(page_host or "")
