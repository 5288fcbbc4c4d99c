"""CI version of ``python -m tests.reliability.concurrency``: the same checks, smaller crowds.

Under gunicorn (2 workers) when it is installed, else werkzeug's threaded server.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

import pytest
from flask import Flask
from sqlalchemy import Engine

from tests.reliability import concurrency
from tests.reliability.servers import GunicornSettings, gunicorn, gunicorn_available, threaded

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("db_url", ["postgresql"], indirect=True),
]


def served(app: Flask, db_url: str) -> AbstractContextManager[str]:
    """The app under gunicorn when it is installed, else in a thread of this process."""
    if gunicorn_available():
        environment = {"DATABASE_URL": db_url, "SECRET_KEY": "test-secret"}
        return gunicorn(concurrency.PRODUCT_APP, environment, GunicornSettings())
    return threaded(app)


def test_races_have_one_winner_and_crowds_lose_nothing(
    app: Flask, db_url: str, engine: Engine
) -> None:
    """20 accepts of one route: one wins; 40 distinct bookings at once: 40 rows, no duplicate;
    10 copies of one booking: one row."""
    setup = concurrency.prepare(engine, 40)
    with served(app, db_url) as base:
        checks = concurrency.run_checks(f"{base}/api/v1", engine, setup, accepts=20, taps=10)
    assert [c for c in checks if not c.ok] == []
