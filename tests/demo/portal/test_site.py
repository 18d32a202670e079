from http import HTTPStatus

from pixelguard_addon.demo.portal import site


def get(path, query=None, session=None, sessions=None):
    return site.route(site.Request("GET", path, query or {}, session=session, sessions=sessions or set()))


def post(path, body, sessions=None):
    return site.route(site.Request("POST", path, body=body, sessions=sessions if sessions is not None else set()))


def test_public_pages_carry_the_tag_script_and_their_page_id():
    for path, page_id in [("/", "home"), ("/conditions/hiv-prep", "condition"), ("/find-a-doctor", "find-doctor"),
                          ("/appointments/request", "appointment"), ("/MyChart/login", "login")]:
        reply = get(path)
        assert reply.status == HTTPStatus.OK
        assert b'src="/static/tags.js"' in reply.body and f'data-page="{page_id}"'.encode() in reply.body


def test_search_term_is_shown_escaped():
    reply = get("/find-a-doctor", {"q": ['<script>alert(1)</script> breast cancer']})
    assert b"<script>alert(1)" not in reply.body and b"&lt;script&gt;" in reply.body
    assert b"Breast Oncology" in reply.body


def test_appointment_button_names_the_service():
    assert b"Request an HIV PrEP appointment" in get("/appointments/request", {"service": ["hiv-prep"]}).body
    assert b"Request appointment" in get("/appointments/request", {"service": ["<x>"]}).body


def test_portal_pages_need_a_session():
    reply = get("/MyChart/app/test-results")
    assert reply.status == HTTPStatus.SEE_OTHER and ("Location", "/MyChart/login") in reply.headers


def test_login_sets_a_session_that_opens_the_portal():
    sessions: set[str] = set()
    reply = post("/MyChart/login", f"username={site.USERNAME}&password={site.PASSWORD}".encode(), sessions)
    assert reply.status == HTTPStatus.SEE_OTHER
    cookie = dict(reply.headers)["Set-Cookie"]
    token = cookie.split(";")[0].split("=", 1)[1]
    assert token in sessions and "HttpOnly" in cookie and "Secure" in cookie
    page = get("/MyChart/app/test-results", session=token, sessions=sessions)
    assert page.status == HTTPStatus.OK and b"Truvada" in page.body


def test_wrong_password_is_refused_without_a_session():
    sessions: set[str] = set()
    reply = post("/MyChart/login", b"username=ida.tarbell&password=nope", sessions)
    assert reply.status == HTTPStatus.UNAUTHORIZED and not sessions and b"did not match" in reply.body


def test_appointment_api_accepts_json_and_rejects_garbage():
    assert post("/api/appointments", b'{"email": "a@example.org"}').status == HTTPStatus.CREATED
    assert post("/api/appointments", b"not json").status == HTTPStatus.BAD_REQUEST
    assert post("/api/appointments", b"[1, 2]").status == HTTPStatus.BAD_REQUEST


def test_unknown_paths_and_favicon():
    assert get("/nope").status == HTTPStatus.NOT_FOUND
    assert get("/MyChart/app/nope", session="t", sessions={"t"}).status == HTTPStatus.NOT_FOUND
    assert get("/favicon.ico").status == HTTPStatus.NO_CONTENT
