"""The portal's pages and forms: public condition pages, a find-a-doctor search, an appointment
form, and MyChart pages behind a login. Pure functions from a `Request` to a `Reply`."""
from __future__ import annotations

import html
import json
import secrets
from dataclasses import dataclass, field
from http import HTTPStatus
from importlib.resources import files
from string import Template
from urllib.parse import parse_qs

from ..patient import demo_patient

SESSION_COOKIE = "mv_session"
USERNAME, PASSWORD = "ida.tarbell", "demo-password"  # the portal's demo account, printed on its login page
HTML = "text/html; charset=utf-8"
SERVICES = {"hiv-prep": "Request an HIV PrEP appointment"}
DOCTORS = {  # search word -> doctors shown; enough for the search page to look real
    "cancer": ["Dr. Amara Okafor, Breast Oncology", "Dr. Lewis Chen, Medical Oncology"],
    "hiv": ["Dr. Rosa Delgado, Infectious Disease"],
}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    body: bytes = b""
    session: str | None = None
    sessions: set[str] = field(default_factory=set)

    def arg(self, name: str) -> str:
        return (self.query.get(name) or [""])[0]

    @property
    def signed_in(self) -> bool:
        return self.session is not None and self.session in self.sessions


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str = HTML
    headers: tuple[tuple[str, str], ...] = ()


def route(request: Request) -> Reply:
    key = (request.method, request.path)
    if key in PUBLIC:
        return PUBLIC[key](request)
    if request.path.startswith("/MyChart/app/"):
        if not request.signed_in:
            return redirect("/MyChart/login")
        if key in SIGNED_IN:
            return SIGNED_IN[key](request)
    return not_found()


def page(template: str, title: str, page_id: str, **values: str) -> Reply:
    content = Template(_template(template)).substitute(values)
    document = Template(_template("layout")).substitute(title=html.escape(title), page=page_id, content=content)
    return Reply(HTTPStatus.OK, document.encode())


def not_found() -> Reply:
    reply = page("not_found", "Page not found | Mercy Valley Health", "not-found")
    return Reply(HTTPStatus.NOT_FOUND, reply.body)


def redirect(location: str, *headers: tuple[str, str]) -> Reply:
    return Reply(HTTPStatus.SEE_OTHER, b"", "text/plain", (("Location", location), *headers))


def _template(name: str) -> str:
    return (files(__package__) / "templates" / f"{name}.html").read_text(encoding="utf-8")


def home(_: Request) -> Reply:
    return page("home", "Mercy Valley Health | Home", "home")


def condition(_: Request) -> Reply:
    return page("condition", "HIV PrEP Clinic | Mercy Valley Health", "condition")


def find_doctor(request: Request) -> Reply:
    query = request.arg("q").strip()
    return page("find_doctor", "Find a Doctor | Mercy Valley Health", "find-doctor",
                query=html.escape(query), results=_results(query))


def _results(query: str) -> str:
    if not query:
        return ""
    names = [name for word, doctors in DOCTORS.items() if word in query.lower() for name in doctors]
    items = "".join(f"<li>{html.escape(name)}</li>" for name in names) or "<li>No doctors found.</li>"
    return f'<h2>Results for “{html.escape(query)}”</h2><ul id="doctor-results">{items}</ul>'


def appointment(request: Request) -> Reply:
    service = request.arg("service")
    button = SERVICES.get(service, "Request appointment")
    return page("appointment", "Request an Appointment | Mercy Valley Health", "appointment",
                service=html.escape(service if service in SERVICES else ""), button=html.escape(button))


def save_appointment(request: Request) -> Reply:
    try:
        fields = json.loads(request.body or b"{}")
    except ValueError:
        fields = None
    if not isinstance(fields, dict) or not fields.get("email"):
        return _json(HTTPStatus.BAD_REQUEST, {"error": "an appointment request needs at least an e-mail"})
    return _json(HTTPStatus.CREATED, {"status": "received"})


def login_form(_: Request, error: str = "") -> Reply:
    return page("login", "Sign in | MyChart | Mercy Valley Health", "login",
                error=html.escape(error), username=USERNAME, password=PASSWORD)


def login(request: Request) -> Reply:
    form = parse_qs(request.body.decode("utf-8", "replace"))
    if form.get("username") != [USERNAME] or form.get("password") != [PASSWORD]:
        reply = login_form(request, "That username and password did not match.")
        return Reply(HTTPStatus.UNAUTHORIZED, reply.body)
    token = secrets.token_hex(16)
    request.sessions.add(token)
    cookie = f"{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Lax"
    return redirect("/MyChart/app/home", ("Set-Cookie", cookie))


def portal_home(_: Request) -> Reply:
    patient = demo_patient()
    return page("portal_home", "MyChart - Home | Mercy Valley Health", "portal-home",
                first_name=html.escape(patient["first_name"]), mrn=html.escape(patient["mrn"]))


def test_results(_: Request) -> Reply:
    return page("test_results", "MyChart - Test Results | Mercy Valley Health", "test-results")


def no_icon(_: Request) -> Reply:
    return Reply(HTTPStatus.NO_CONTENT, b"", "image/x-icon")


def save_message(_: Request) -> Reply:
    return _json(HTTPStatus.CREATED, {"status": "sent"})


def _json(status: int, data: dict) -> Reply:
    return Reply(status, json.dumps(data).encode(), "application/json")


PUBLIC = {
    ("GET", "/"): home,
    ("GET", "/favicon.ico"): no_icon,
    ("GET", "/conditions/hiv-prep"): condition,
    ("GET", "/find-a-doctor"): find_doctor,
    ("GET", "/appointments/request"): appointment,
    ("POST", "/api/appointments"): save_appointment,
    ("GET", "/MyChart/login"): login_form,
    ("POST", "/MyChart/login"): login,
}
SIGNED_IN = {
    ("GET", "/MyChart/app/home"): portal_home,
    ("GET", "/MyChart/app/test-results"): test_results,
    ("POST", "/MyChart/app/messages"): save_message,
}
