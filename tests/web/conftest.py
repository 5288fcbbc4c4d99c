"""Web fixtures: an app on a fresh database of each backend, its client, and signed-in callers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from rides.accounts.signin import issue_token
from rides.models import Person
from web import create_app
from web.database import database


@pytest.fixture
def app(db_url: str) -> Iterator[Flask]:
    app = create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SOLVER_TIME_LIMIT": 1.0,
            "SOLVER_MAX_TIME_LIMIT": 1.0,
        }
    )
    yield app
    database(app).engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Caller:
    """A signed-in API client: ``caller.post("/requests", json=...)`` adds the prefix and token."""

    def __init__(self, client: FlaskClient, person: Person | None, token: str | None) -> None:
        self.client = client
        self.person = person
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method: str, path: str, **kwargs: Any):
        url = path if path.startswith("/") and path.startswith("/api") else f"/api/v1{path}"
        return self.client.open(url, method=method, headers=self.headers, **kwargs)

    def get(self, path: str, **kwargs: Any):
        return self._call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any):
        return self._call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any):
        return self._call("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any):
        return self._call("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        return self._call("DELETE", path, **kwargs)


@pytest.fixture
def sign_in(client: FlaskClient, session: Session):
    """Return a function giving a signed-in Caller for a person (committed so the app sees it)."""

    def caller(person: Person | None) -> Caller:
        token = None
        if person is not None:
            token, _ = issue_token(session, person)
        session.commit()
        return Caller(client, person, token)

    return caller
