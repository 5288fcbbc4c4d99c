"""Shared fixtures: a fresh database per test on each backend, sessions, factories."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

import matching
from rides.db import make_engine, make_sessionmaker
from tests import databases
from tests.clocks import service_clock  # noqa: F401 - shared fixture
from tests.factories import Factory
from tests.reports_month import report_month  # noqa: F401 - shared fixture
from tests.smtp_server import mailbox  # noqa: F401 - shared fixture
from tests.twilio_server import twilio  # noqa: F401 - shared fixture


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the solver's kernels before the first test, so that no test with a time budget
    pays for the compilation of a fresh checkout (later runs load them from numba's cache)."""
    matching.warm_up()


@pytest.fixture(scope="session")
def sqlite_templates(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[databases.SqliteTemplates]:
    templates = databases.SqliteTemplates(tmp_path_factory.mktemp("db-templates"))
    yield templates
    templates.close()


@pytest.fixture(scope="session")
def postgres_templates() -> Iterator[databases.PostgresTemplates | None]:
    if databases.postgres_available() is not None:
        yield None
        return
    templates = databases.PostgresTemplates(databases.POSTGRES_URL)
    yield templates
    templates.close()


def _backend_url(
    request: pytest.FixtureRequest,
    sqlite_templates: databases.SqliteTemplates,
    postgres_templates: databases.PostgresTemplates | None,
    tmp_path: Path,
    with_places: bool,
) -> Iterator[str]:
    backend: str = request.param
    if backend == "postgresql":
        databases.require_postgres()
    with databases.fresh_database(
        backend, sqlite_templates, postgres_templates, tmp_path, with_places=with_places
    ) as url:
        yield url


def _backend_params() -> list[pytest.param]:
    return [
        pytest.param(name, marks=[pytest.mark.postgres] if name == "postgresql" else [], id=name)
        for name in databases.BACKENDS
    ]


@pytest.fixture(params=_backend_params())
def db_url(request, sqlite_templates, postgres_templates, tmp_path) -> Iterator[str]:
    """A fresh, migrated database with the province's municipalities, on each backend."""
    yield from _backend_url(request, sqlite_templates, postgres_templates, tmp_path, True)


@pytest.fixture(params=_backend_params())
def empty_db_url(request, sqlite_templates, postgres_templates, tmp_path) -> Iterator[str]:
    """A fresh, migrated, empty database on each backend."""
    yield from _backend_url(request, sqlite_templates, postgres_templates, tmp_path, False)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on a fresh database; tests commit or flush as the code under test does."""
    db_session = make_sessionmaker(engine)()
    yield db_session
    db_session.rollback()
    db_session.close()


@pytest.fixture
def make(session: Session) -> Factory:
    """Small factories for people, cars, shifts, places and requests."""
    return Factory(session)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The operating day's property test runs first: the state machine starts from a process
    no other test has touched, as each service process does (see docs/reliability.md)."""
    first = [item for item in items if "test_day_invariant.py" in item.nodeid]
    items[:] = first + [item for item in items if item not in first]
