"""The proxy's CA as clients need it: the PEM file for Python and curl, the SPKI pin for Chromium."""
from __future__ import annotations

import base64
import hashlib
import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

CA_CERT_FILE = "mitmproxy-ca-cert.pem"  # what mitmproxy writes into its confdir on first start


def ca_cert_path(confdir: str | Path) -> Path:
    return Path(confdir) / CA_CERT_FILE


def spki_sha256_base64(cert_pem: str | Path) -> str:
    """The value Chromium's --ignore-certificate-errors-spki-list takes: trust exactly this key,
    without installing the CA into any trust store."""
    cert = x509.load_pem_x509_certificate(Path(cert_pem).read_bytes())
    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def client_context(cert_pem: str | Path) -> ssl.SSLContext:
    """A TLS context that trusts the proxy's CA (and nothing else)."""
    return ssl.create_default_context(cafile=str(cert_pem))
