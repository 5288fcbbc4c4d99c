"""The one place where domain errors and HTTP errors become responses."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from rides.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationError

STATUS = {ValidationError: 422, NotFound: 404, PermissionDenied: 403, Conflict: 409}


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """The error contract every client can rely on."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def status_for(error: DomainError) -> int:
    """HTTP status of a domain error, by the most specific class it belongs to."""
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> ResponseReturnValue:
        return jsonify(error_body(error.code, error.message, error.fields)), status_for(error)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> ResponseReturnValue:
        code = (error.name or "error").lower().replace(" ", "_")
        return jsonify(error_body(code, error.description or error.name)), error.code or 500

    @app.errorhandler(OperationalError)
    def _database_down(_error: DBAPIError) -> ResponseReturnValue:
        body = error_body("unavailable", "The database is not answering; try again shortly.")
        return jsonify(body), 503
