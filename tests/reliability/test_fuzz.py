"""CI version of ``python -m tests.reliability.fuzz``: one case per operation, mode and role.

tests/web/test_api_fuzz.py fuzzes as a coordinator on each backend; this adds the newcomer's
and the driver's code paths, on PostgreSQL with a published day in the database.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import Engine

from rides.db import make_engine
from tests.reliability import fuzz
from web.database import database

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("db_url", ["postgresql"], indirect=True),
]


def test_every_role_gets_no_server_error_and_no_off_schema_answer(db_url: str) -> None:
    """Positive and negative cases as newcomer, driver and coordinator: no 5xx, no violation."""
    engine: Engine = make_engine(db_url)
    app: Flask = fuzz.make_app(db_url)
    try:
        reports = fuzz.run(app, engine, fuzz.seed(engine, requests=10, drivers=2), examples=1)
    finally:
        database(app).engine.dispose()
        engine.dispose()
    assert set(reports) == {"newcomer", "driver", "coordinator"}
    for role, (report, _seconds) in reports.items():
        assert report.requests >= 60, role
        assert report.server_errors == [], role
        assert report.violations == [], role
