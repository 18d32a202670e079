import http.client

import pytest

from pixelguard_addon.demo.portal import PortalServer
from pixelguard_addon.demo.portal.server import MAX_BODY


@pytest.fixture(scope="module")
def portal():
    with PortalServer() as server:
        yield server


def fetch(portal, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", portal.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_pages_send_the_full_url_referrer_policy(portal):
    response, body = fetch(portal, "GET", "/conditions/hiv-prep")
    assert response.status == 200 and b"HIV PrEP Clinic" in body
    assert response.getheader("Referrer-Policy") == "no-referrer-when-downgrade"


def test_static_files_are_served_with_their_type(portal):
    response, body = fetch(portal, "GET", "/static/tags.js")
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/javascript")
    assert b"https://www.facebook.com/tr/" in body


@pytest.mark.parametrize("path", ["/static/../site.py", "/static/portal/site.py", "/static/nothing.js",
                                  "/static/__init__.py"])
def test_static_never_serves_anything_else(portal, path):
    assert fetch(portal, "GET", path)[0].status == 404


def test_session_cookie_round_trip_over_http(portal):
    response, _ = fetch(portal, "POST", "/MyChart/login", b"username=ida.tarbell&password=demo-password",
                        {"Content-Type": "application/x-www-form-urlencoded"})
    cookie = response.getheader("Set-Cookie").split(";")[0]
    assert fetch(portal, "GET", "/MyChart/app/home", headers={"Cookie": cookie})[0].status == 200
    assert fetch(portal, "GET", "/MyChart/app/home", headers={"Cookie": "mv_session=forged"})[0].status == 303
    assert fetch(portal, "GET", "/MyChart/app/home", headers={"Cookie": '"\\;;=bad'})[0].status == 303


def test_posts_are_recorded_and_oversized_ones_refused(portal):
    fetch(portal, "POST", "/api/appointments", b'{"email":"a@example.org"}', {"Content-Type": "application/json"})
    assert ("POST", "/api/appointments", b'{"email":"a@example.org"}') in portal.received
    response, _ = fetch(portal, "POST", "/api/appointments", b"x" * (MAX_BODY + 1))
    assert response.status == 413
