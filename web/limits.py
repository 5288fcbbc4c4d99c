"""Rate limits on signing in and booking, per address and per account.

Storage is in memory by default (one process); with several workers set RATELIMIT_STORAGE_URI
to the Redis server (e.g. ``redis://127.0.0.1:6379``) so every worker counts together.
"""

from __future__ import annotations

import hashlib

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[])

SIGN_IN_PER_ADDRESS = "20 per minute"
SIGN_IN_PER_ACCOUNT = "10 per minute"
BOOKING_PER_ADDRESS = "120 per hour"
BOOKING_PER_ACCOUNT = "30 per hour"


def account_key() -> str:
    """The account a request acts for: the e-mail being signed in, else the credentials used."""
    email = ""
    if request.is_json:
        body = request.get_json(silent=True)
        email = str(body.get("email", "")) if isinstance(body, dict) else ""
    else:
        email = request.form.get("email", "")
    if email:
        return "email:" + email.strip().lower()
    credentials = request.headers.get("Authorization", "") or request.cookies.get("session", "")
    if credentials:
        return "credentials:" + hashlib.sha256(credentials.encode()).hexdigest()[:32]
    return "address:" + get_remote_address()


def init_app(app: Flask) -> None:
    """Attach the limiter with the configured storage."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)


sign_in_limits = [
    limiter.limit(SIGN_IN_PER_ADDRESS, methods=["POST"]),
    limiter.limit(SIGN_IN_PER_ACCOUNT, key_func=account_key, methods=["POST"]),
]
booking_limits = [
    limiter.limit(BOOKING_PER_ADDRESS, methods=["POST"]),
    limiter.limit(BOOKING_PER_ACCOUNT, key_func=account_key, methods=["POST"]),
]


def limited(limits):  # type: ignore[no-untyped-def]
    """Apply a list of limits as one decorator."""

    def decorate(view):  # type: ignore[no-untyped-def]
        for limit in reversed(limits):
            view = limit(view)
        return view

    return decorate
