"""Migrations are the only way the schema is made, and they match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from rides import migrate
from rides.db import make_engine
from rides.models import Base


def test_upgrade_on_empty_database_creates_every_table(empty_db_url: str) -> None:
    """The template was migrated from nothing: every model table exists at head."""
    engine = make_engine(empty_db_url)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(empty_db_url: str) -> None:
    """Autogenerate finds nothing to add: models and migrations never drift apart."""
    engine = make_engine(empty_db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again(empty_db_url: str) -> None:
    """Every migration can be undone and reapplied (operators roll back releases)."""
    engine = make_engine(empty_db_url)
    try:
        migrate.downgrade(engine, "base")
        assert migrate.current_revision(engine) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()
