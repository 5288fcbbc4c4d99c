"""Liveness and readiness for load balancers and the demo's start-up check."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from web.database import database

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 when the database answers, 503 with the reason when it does not."""
    try:
        with database().engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        body = {"status": "unavailable", "database": type(error).__name__}
        return jsonify(body), 503
    return jsonify({"status": "ok", "database": "ok"})
