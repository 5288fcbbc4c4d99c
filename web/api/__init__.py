"""The versioned JSON API under ``/api/v1``; its OpenAPI document is generated from the code."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api
from flask_wtf import CSRFProtect

from web.api.schemas import ErrorSchema
from web.converters import DatabaseId, openapi_schema


class RuralCarsApi(Api):
    """flask-smorest, documenting our one error body as every operation's default error."""

    ERROR_SCHEMA = ErrorSchema


def init_app(app: Flask, csrf: CSRFProtect) -> None:
    """Attach the API: document settings, bearer security scheme, the blueprints.

    The API takes bearer tokens only, never the session cookie, so it needs no CSRF token.
    """
    from web.api import (
        availability,
        changes,
        inbox,
        people,
        places,
        planning_runs,
        plans,
        requests,
        routes,
        tokens,
    )

    app.config.setdefault("API_TITLE", "rural-cars")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = RuralCarsApi(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "POST /api/v1/tokens"}
    )
    api.spec.options["security"] = [{"bearerAuth": []}]
    api.register_converter(DatabaseId, openapi_schema)
    for module in (
        tokens,
        requests,
        availability,
        routes,
        plans,
        places,
        people,
        changes,
        planning_runs,
        inbox,
    ):
        csrf.exempt(module.bp)
        api.register_blueprint(module.bp)
