"""Fresh databases for tests: each test gets its own copy of a migrated template.

A template is migrated once per test session (schema only, or schema plus the province's
places) and copied per test: a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on
PostgreSQL. PostgreSQL tests skip only when CI is unset and no server answers.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from rides import migrate
from rides.db import make_engine, make_sessionmaker, unit_of_work
from rides.places.directory import load_municipalities

POSTGRES_URL = os.environ.get(
    "RURAL_CARS_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = tuple(os.environ.get("RURAL_CARS_TEST_BACKENDS", "sqlite,postgresql").split(","))


def prepare(engine: Engine, *, with_places: bool) -> None:
    """Migrate to head and optionally load the municipalities."""
    migrate.upgrade(engine)
    if with_places:
        with unit_of_work(make_sessionmaker(engine)) as session:
            load_municipalities(session)


class SqliteTemplates:
    """Template files in a session temp folder, copied per test."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.templates: dict[bool, Path] = {}

    def fresh(self, with_places: bool, target: Path) -> str:
        if with_places not in self.templates:
            path = self.folder / f"template-{'places' if with_places else 'empty'}.sqlite3"
            engine = make_engine(f"sqlite:///{path}")
            prepare(engine, with_places=with_places)
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            self.templates[with_places] = path
        shutil.copyfile(self.templates[with_places], target)
        return f"sqlite:///{target}"

    def close(self) -> None:
        """Nothing to drop: the temp folder goes with the session."""


class PostgresTemplates:
    """Template databases on the server, cloned per test and dropped afterwards."""

    def __init__(self, admin_url: str) -> None:
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"rc_test_{uuid.uuid4().hex[:8]}"
        self.templates: dict[bool, str] = {}
        self.created: list[str] = []

    def _url(self, name: str) -> str:
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    def _create(self, name: str, template: str | None = None) -> None:
        clause = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        self.created.append(name)

    def fresh(self, with_places: bool) -> str:
        if with_places not in self.templates:
            name = f"{self.prefix}_tpl_{'places' if with_places else 'empty'}"
            self._create(name)
            engine = make_engine(self._url(name), poolclass=None)
            prepare(engine, with_places=with_places)
            engine.dispose()
            self.templates[with_places] = name
        name = f"{self.prefix}_{uuid.uuid4().hex[:10]}"
        self._create(name, self.templates[with_places])
        return self._url(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self.created:
            self.created.remove(name)

    def close(self) -> None:
        with self.admin.connect() as connection:
            for name in reversed(self.created):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def postgres_available() -> str | None:
    """None when the server answers, else why not."""
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def require_postgres() -> None:
    """Skip (outside CI) or fail (under CI) when PostgreSQL does not answer."""
    why = postgres_available()
    if why is None:
        return
    message = f"PostgreSQL at {POSTGRES_URL} is not answering ({why})"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; under CI the PostgreSQL tests must run", pytrace=False)
    pytest.skip(message)


@contextmanager
def fresh_database(
    backend: str,
    sqlite: SqliteTemplates,
    postgres: PostgresTemplates | None,
    tmp_path: Path,
    *,
    with_places: bool,
) -> Iterator[str]:
    """Yield the URL of a brand-new database of ``backend``; drop it afterwards."""
    if backend == "sqlite":
        yield sqlite.fresh(with_places, tmp_path / "test.sqlite3")
        return
    assert postgres is not None
    url = postgres.fresh(with_places)
    try:
        yield url
    finally:
        postgres.drop(url)
