"""Helpers for page tests: read the CSRF token from a form and sign in like a browser."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token a page's form carries."""
    html = client.get(path).get_data(as_text=True)
    match = _TOKEN.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in_page(client: FlaskClient, email: str, password: str):
    """Submit the sign-in form with its CSRF token."""
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def browse_as(client: FlaskClient, person_id: int) -> FlaskClient:
    """Put a signed-in session cookie for ``person_id`` in the client (no form round trip)."""
    with client.session_transaction() as cookie:
        cookie["_user_id"] = str(person_id)
        cookie["_fresh"] = True
    return client
