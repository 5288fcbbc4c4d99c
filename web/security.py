"""Security headers and cookie settings for every response."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

from web.config import ConfigurationError

#: No inline script or style anywhere: every asset is a file served by the app itself.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: {tiles}; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _origin(url: str | None) -> str:
    """``https://tiles.example.org`` from a tile URL template, so one setting is enough."""
    if not url:
        return ""
    parts = urlsplit(url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


#: Files that are the same for everyone: cached, whoever asks.
SHARED_ENDPOINTS = frozenset({"static", "vendor.leaflet_asset", "vendor.municipality_boundaries"})
#: Personal without a session cookie: the API's answers to a token, a reminder link's ride.
PERSONAL_PREFIXES = ("/api/", "/r/")


def is_personal() -> bool:
    """Whether the response holds someone's data (so no browser or proxy may keep a copy):
    anything sent to a browser with a signed-in session but the shared files, the API,
    reminder links. The cookie decides, not the account: no database query after the
    response is made (a signed-in page must still say 503 when the database is down)."""
    if request.endpoint in SHARED_ENDPOINTS or request.path == "/api/v1/openapi.json":
        return False
    return request.path.startswith(PERSONAL_PREFIXES) or "_user_id" in session


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For and X-Forwarded-Proto from exactly PROXY_HOPS proxies, so rate
    limits and logs see the client, not the proxy. With 0 (no proxy) the headers are ignored:
    anyone could write them."""
    hops = int(app.config["PROXY_HOPS"])
    if hops < 0:
        raise ConfigurationError(f"PROXY_HOPS must be 0 or more, not {hops}.")
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0
        )


def init_app(app: Flask) -> None:
    """Secure cookies and the response headers of DESIGN.md's security rules."""
    trust_proxies(app)
    production = app.config["ENV_NAME"] == "production"
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=production,
    )
    tiles = app.config.get("MAP_TILES_ORIGIN") or _origin(app.config.get("MAP_TILES_URL"))
    policy = CSP.format(tiles=tiles).replace("  ", " ")

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "geolocation=(), camera=(), microphone=()"
        )
        if is_personal():
            response.headers["Cache-Control"] = "no-store"
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
