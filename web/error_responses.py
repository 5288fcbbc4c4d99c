"""The one place where domain errors and HTTP errors become responses."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from rides.errors import (
    Conflict,
    DomainError,
    LimitReached,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from web.api.auth import Unauthenticated

STATUS: dict[type[DomainError], int] = {
    Unauthenticated: 401,
    ValidationError: 422,
    NotFound: 404,
    PermissionDenied: 403,
    Conflict: 409,
    LimitReached: 429,
}


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """The error contract every client can rely on."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def status_for(error: DomainError) -> int:
    """HTTP status of a domain error, by the most specific class it belongs to."""
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, str]:
    """webargs' nested ``{"json": {"field": ["msg"]}}`` as ``{"field": "msg"}``."""
    flat: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = str(key) if prefix in ("", "json", "query", "form") else f"{prefix}.{key}"
            if key in ("json", "query", "form", "path", "headers") and not prefix:
                name = ""
            flat.update(flatten_messages(value, name))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        flat[prefix or "body"] = " ".join(messages)
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            flat.update(flatten_messages(value, f"{prefix}.{index}"))
    else:
        flat[prefix or "body"] = str(messages)
    return flat


def wants_json() -> bool:
    """API callers and non-browsers get JSON; people get a page in their language."""
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best != "text/html"


def error_page(status: int, message: str | None = None) -> ResponseReturnValue:
    """A plain page with the error in the reader's language and a way back."""
    titles = {
        400: _("Something in the form is not right"),
        401: _("Please sign in"),
        403: _("This page is not for your account"),
        404: _("Page not found"),
        409: _("This was changed in the meantime"),
        413: _("What was sent is too large"),
        422: _("Something in the form is not right"),
        429: _("Too many attempts; please wait a minute"),
        503: _("The service is busy; please try again in a minute"),
    }
    title = titles.get(status, _("Something went wrong"))
    return render_template("errors/page.html", title=title, message=message or ""), status


def init_app(app: Flask) -> None:
    """Register the handlers (after the API's, so these win)."""

    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> ResponseReturnValue:
        if not wants_json():
            from web.forms import error_text

            return error_page(status_for(error), error_text(error))
        response = jsonify(error_body(error.code, error.message, error.fields))
        status = status_for(error)
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="rural-cars"'
        return response, status

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        if not wants_json():
            return error_page(status)
        data = getattr(error, "data", None) or {}
        if status == 422 and "messages" in data:
            fields = flatten_messages(data["messages"])
            message = "; ".join(f"{k}: {v}" for k, v in fields.items())
            return jsonify(error_body("invalid", message, fields)), 422
        code = (error.name or "error").lower().replace(" ", "_")
        return jsonify(error_body(code, error.description or error.name)), status

    @app.errorhandler(OperationalError)
    def _database_down(_error: DBAPIError) -> ResponseReturnValue:
        if not wants_json():
            return error_page(503)
        body = error_body("unavailable", "The database is not answering; try again shortly.")
        return jsonify(body), 503
