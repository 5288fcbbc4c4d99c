"""Signing in and booking are rate limited per address and per account."""

from __future__ import annotations

from flask import Flask

from web import create_app
from web.database import database


def _app(db_url: str) -> Flask:
    return create_app(
        {
            "DATABASE_URL": db_url,
            "SECRET_KEY": "limits",
            "RATELIMIT_ENABLED": True,
            "WTF_CSRF_ENABLED": False,
        }
    )


def test_sign_in_attempts_per_account_are_limited(db_url: str) -> None:
    """The 11th attempt on one account within a minute is refused with 429, even from a new
    address; another account is not affected."""
    app = _app(db_url)
    client = app.test_client()
    codes = [
        client.post(
            "/api/v1/tokens",
            json={"email": "a@example.org", "password": "x"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{i}"},
        ).status_code
        for i in range(11)
    ]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    other = client.post(
        "/api/v1/tokens",
        json={"email": "b@example.org", "password": "x"},
        environ_base={"REMOTE_ADDR": "10.0.1.1"},
    )
    assert other.status_code == 401
    limited = client.post("/api/v1/tokens", json={"email": "a@example.org", "password": "x"})
    assert limited.get_json()["error"]["code"] == "too_many_requests"
    database(app).engine.dispose()


def test_sign_in_page_attempts_per_address_are_limited(db_url: str) -> None:
    """From one address, the 21st sign-in form post in a minute gets the 'wait' page."""
    app = _app(db_url)
    client = app.test_client()
    codes = [
        client.post(
            "/login",
            data={"email": f"user{i}@example.org", "password": "x"},
            headers={"Accept": "text/html"},
        ).status_code
        for i in range(21)
    ]
    assert codes[:20] == [400] * 20 and codes[20] == 429
    database(app).engine.dispose()
