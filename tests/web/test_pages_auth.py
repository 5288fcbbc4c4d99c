"""Signing in to the pages, the language switch, and the security headers on every page."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.web.pages import csrf_token, sign_in_page
from web import create_app
from web.database import database


def test_sign_in_page_is_accessible_html(client: FlaskClient) -> None:
    """The form has labelled fields, a language attribute and a direction."""
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="es" dir="ltr">' in html
    assert 'for="email"' in html and 'for="password"' in html


def test_wrong_password_keeps_the_email_and_says_so(
    client: FlaskClient, make: Factory, session: Session
) -> None:
    """A failed sign-in answers 400 with one message for any mistake, e-mail kept (in Spanish,
    the language of a browser that asks for none)."""
    make.coordinator(email="carmen@example.org", password="right password")
    session.commit()
    response = sign_in_page(client, "carmen@example.org", "wrong password")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Correo electrónico o contraseña incorrectos." in html
    assert 'value="carmen@example.org"' in html


def test_sign_in_without_csrf_token_is_refused(
    client: FlaskClient, make: Factory, session: Session
) -> None:
    """A form posted from elsewhere (no token) is refused and signs nobody in."""
    make.coordinator(email="carmen@example.org", password="right password")
    session.commit()
    response = client.post(
        "/login", data={"email": "carmen@example.org", "password": "right password"}
    )
    assert response.status_code == 400
    with client.session_transaction() as stored:
        assert "_user_id" not in stored


def test_arabic_pages_are_right_to_left(client: FlaskClient) -> None:
    """Choosing Arabic sets the cookie and lays the page out right to left."""
    token = csrf_token(client)
    response = client.post("/language", data={"language": "ar", "csrf_token": token})
    assert response.status_code == 302
    assert '<html lang="ar" dir="rtl">' in client.get("/login").get_data(as_text=True)


def test_browser_language_is_used_until_one_is_chosen(client: FlaskClient) -> None:
    """A Romanian browser gets Romanian pages."""
    html = client.get("/login", headers={"Accept-Language": "ro-RO,ro;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="ro" dir="ltr">' in html


def test_security_headers_on_pages(client: FlaskClient) -> None:
    """CSP without inline scripts, no framing, no sniffing, a referrer policy, HttpOnly cookies."""
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_leaflet_is_served_by_the_app(client: FlaskClient) -> None:
    """The map library comes from the app itself, never a CDN."""
    response = client.get("/vendor/leaflet/leaflet.js")
    response.close()
    assert response.status_code == 200


@pytest.mark.parametrize(("env_name", "secure"), [("production", True), ("development", False)])
def test_the_language_cookie_is_secure_in_production(
    db_url: str, env_name: str, secure: bool
) -> None:
    """In production the ``lang`` cookie is sent over HTTPS only, like the session cookie."""
    app = create_app(
        {"DATABASE_URL": db_url, "ENV_NAME": env_name, "SECRET_KEY": "k" * 40,
         "WTF_CSRF_ENABLED": False}
    )  # fmt: skip
    response = app.test_client().post(
        "/language", data={"language": "fr"}, base_url="https://localhost"
    )
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("lang="))
    assert ("; Secure" in cookie) is secure and "HttpOnly" in cookie
    database(app).engine.dispose()
