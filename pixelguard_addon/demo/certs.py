"""The proxy's CA as clients need it (the PEM file for Python and curl, the SPKI pin for
Chromium), and throwaway server certificates for the stand-ins of vendors in tests and benchmarks
(mitmdump reaches those with ssl_insecure)."""
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


def write_leaf(store, host: str, workdir: Path) -> tuple[Path, Path]:
    """A certificate for `host` signed by the CA of `store` (a mitmproxy `CertStore`), and its
    key, as PEM files in `workdir`."""
    entry = store.get_cert(host, [])
    cert_file, key_file = Path(workdir) / f"{host}-cert.pem", Path(workdir) / f"{host}-key.pem"
    cert_file.write_bytes(entry.cert.to_pem())
    key_file.write_bytes(entry.privatekey.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()))
    return cert_file, key_file


def server_context(workdir: str | Path, host: str, ca_name: str) -> ssl.SSLContext:
    """A TLS server context (HTTP/1.1) with a certificate for `host` from a CA of its own, made
    in `workdir/<ca_name>-ca`."""
    from mitmproxy import certs as mitm_certs  # the proxy's own certificate code, only when asked

    store = mitm_certs.CertStore.from_store(Path(workdir) / f"{ca_name}-ca", ca_name, 2048)
    cert_file, key_file = write_leaf(store, host, Path(workdir))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    context.set_alpn_protocols(["http/1.1"])
    return context
