import base64
import socket
import ssl
import threading

from mitmproxy import certs as mitm_certs

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
    cert, key = certs.write_leaf(store, "www.facebook.com", tmp_path)
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



def test_spki_pin_matches_the_openssl_recipe_in_the_readme(tmp_path):
    import shutil
    import subprocess

    import pytest

    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed (the README recipe needs it, pixelguard does not)")
    make_ca(tmp_path)
    cert = certs.ca_cert_path(tmp_path)
    recipe = (f"openssl x509 -in {cert} -pubkey -noout | openssl pkey -pubin -outform der"
              " | openssl dgst -sha256 -binary | base64")
    pin = subprocess.run(["sh", "-c", recipe], capture_output=True, text=True, check=True).stdout.strip()
    assert pin == certs.spki_sha256_base64(cert)
