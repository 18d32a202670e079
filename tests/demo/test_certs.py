import base64
import socket
import ssl
import threading

from mitmproxy import certs as mitm_certs

from e2e.recorder import write_leaf
from pixelguard_addon.demo import certs


def make_ca(path):
    return mitm_certs.CertStore.from_store(path, "mitmproxy", 2048)


def test_spki_pin_is_a_base64_sha256_and_names_one_key(tmp_path):
    make_ca(tmp_path / "a")
    make_ca(tmp_path / "b")
    pin_a = certs.spki_sha256_base64(certs.ca_cert_path(tmp_path / "a"))
    assert len(base64.b64decode(pin_a)) == 32
    assert pin_a == certs.spki_sha256_base64(certs.ca_cert_path(tmp_path / "a"))
    assert pin_a != certs.spki_sha256_base64(certs.ca_cert_path(tmp_path / "b"))


def test_client_context_trusts_leaf_certs_the_ca_signs(tmp_path):
    store = make_ca(tmp_path)
    cert, key = write_leaf(store, "www.facebook.com", tmp_path)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=lambda: server.wrap_socket(listener.accept()[0], server_side=True).close(),
                     daemon=True).start()
    client = certs.client_context(certs.ca_cert_path(tmp_path))
    with socket.create_connection(listener.getsockname()) as raw:
        with client.wrap_socket(raw, server_hostname="www.facebook.com") as tls:
            assert tls.getpeercert()["subject"]
    listener.close()

