"""The reference for what this stack can do on this machine: one endpoint, one SQLAlchemy insert.

Not part of the product. It runs under the same gunicorn settings against the same database as
the product during the load test, so booking's throughput can be read as a share of the most
any endpoint writing one row could reach here. It parses a JSON body and answers JSON, as the
API does, and commits once per request, as the product's request wrapper does.

A second endpoint, ``/rows/authenticated``, does the same after finding the caller of a bearer
token with the product's own lookup (:func:`rides.accounts.signin.person_for_token`, one query): the
first thing a booking must do, measured alone, so the load figures show what authentication
costs before any booking rule does.
"""

from __future__ import annotations

import os

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from rides.accounts.signin import person_for_token
from rides.db import make_engine, make_sessionmaker
from web.api.auth import bearer_token


class _Base(DeclarativeBase):
    pass


class BareRow(_Base):
    """One inserted row; its own table, beside the product's, in the same database."""

    __tablename__ = "reliability_bare_rows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(80))


def prepare(database_url: str) -> None:
    """Create the table once, before the workers start (two workers creating it would race)."""
    engine = make_engine(database_url)
    _Base.metadata.create_all(engine)
    engine.dispose()


def create_app(database_url: str | None = None) -> Flask:
    """The bare app on ``database_url`` (default: $DATABASE_URL); see :func:`prepare`."""
    engine = make_engine(database_url or os.environ["DATABASE_URL"])
    sessions = make_sessionmaker(engine)
    app = Flask(__name__)

    @app.post("/rows")
    def insert() -> ResponseReturnValue:
        body = request.get_json(silent=True) or {}
        with sessions() as session:
            row = BareRow(label=str(body.get("label", ""))[:80])
            session.add(row)
            session.commit()
            return jsonify({"id": row.id}), 201

    @app.post("/rows/authenticated")
    def insert_authenticated() -> ResponseReturnValue:
        body = request.get_json(silent=True) or {}
        secret = bearer_token()
        with sessions() as session:
            caller = person_for_token(session, secret) if secret else None
            if caller is None:
                return jsonify({"error": "unauthenticated"}), 401
            row = BareRow(label=f"{caller.id}:{body.get('label', '')}"[:80])
            session.add(row)
            session.commit()
            return jsonify({"id": row.id}), 201

    @app.get("/healthz")
    def healthz() -> ResponseReturnValue:
        return jsonify({"status": "ok"})

    return app
