"""Signing in and booking are rate limited per address and per account."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from web import create_app
from web.database import database


def _app(db_url: str, proxy_hops: int = 0) -> Flask:
    return create_app(
        {
            "DATABASE_URL": db_url,
            "SECRET_KEY": "limits",
            "RATELIMIT_ENABLED": True,
            "WTF_CSRF_ENABLED": False,
            "PROXY_HOPS": proxy_hops,
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


def _failed_sign_ins(client: FlaskClient, forwarded_for: str, count: int) -> list[int]:
    """``count`` failed sign-in form posts (each for another account) relayed by the proxy
    at 10.0.0.1 for the client ``forwarded_for``."""
    return [
        client.post(
            "/login",
            data={"email": f"guess{i}@example.org", "password": "x"},
            headers={"Accept": "text/html", "X-Forwarded-For": forwarded_for},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        ).status_code
        for i in range(count)
    ]


def test_behind_a_proxy_one_client_does_not_lock_out_another(db_url: str) -> None:
    """With PROXY_HOPS=1 the limit counts the client the proxy names: 20 failed sign-ins from
    one client lock that client out, and another client behind the same proxy still signs in."""
    app = _app(db_url, proxy_hops=1)
    client = app.test_client()
    assert _failed_sign_ins(client, "203.0.113.7", 21) == [400] * 20 + [429]
    assert _failed_sign_ins(client, "198.51.100.9", 1) == [400]
    database(app).engine.dispose()


def test_without_a_configured_proxy_the_header_is_ignored(db_url: str) -> None:
    """With PROXY_HOPS=0 (the default) X-Forwarded-For is anyone's to write, so it is ignored:
    changing it does not escape the limit on the connection's address."""
    app = _app(db_url)
    client = app.test_client()
    assert _failed_sign_ins(client, "203.0.113.7", 20) == [400] * 20
    assert _failed_sign_ins(client, "198.51.100.9", 1) == [429]
    database(app).engine.dispose()
