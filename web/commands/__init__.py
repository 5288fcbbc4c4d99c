"""``rural-cars``: the one entry point for operators; one module per topic mounts its commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from rides import migrate
from rides.db import unit_of_work
from web import create_app
from web.commands.schema import require_schema
from web.commands.serving import serve_app
from web.config import ConfigurationError
from web.database import database


def _make_app() -> Flask:
    """The app for a command; a configuration that cannot run safely is a message and exit
    status 1, not a traceback."""
    try:
        return create_app()
    except ConfigurationError as error:
        raise click.ClickException(str(error)) from error


@click.group(cls=FlaskGroup, create_app=_make_app, add_version_option=False, load_dotenv=False)
def main() -> None:
    """rural-cars: ride matching for volunteer rural cars."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION."""
    engine = database().engine
    migrate.upgrade(engine, revision)
    click.echo(f"database at revision {migrate.current_revision(engine)}")


@db.command("current")
@with_appcontext
def db_current() -> None:
    """Print the schema revision of the database and of the code."""
    engine = database().engine
    click.echo(f"database: {migrate.current_revision(engine)}  code: {migrate.head_revision()}")


@main.group()
def places() -> None:
    """The province's places."""


@places.command("load")
@with_appcontext
def places_load() -> None:
    """Load the 288 municipalities into the database (idempotent)."""
    from rides.places.directory import load_municipalities

    require_schema()
    with unit_of_work(database().sessions) as session:
        result = load_municipalities(session)
    click.echo(
        f"municipalities: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged"
    )


@places.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def places_import(file: Path) -> None:
    """Import named stops (health centres, stations...) from a CSV file (idempotent)."""
    from rides.places.stop_import import import_stops, parse_stops_csv
    from rides.validation import InvalidInput

    require_schema()
    try:
        with unit_of_work(database().sessions) as session:
            result = import_stops(session, parse_stops_csv(file.read_text(encoding="utf-8")))
    except InvalidInput as error:
        lines = "\n".join(f"  {e.field}: {e.message.format(**e.params)}" for e in error.errors)
        raise click.ClickException(f"{file}: nothing imported:\n{lines}") from error
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{file}: not UTF-8 text ({error.reason})") from error
    click.echo(
        f"stops: {result.created} created, {result.updated} updated, {result.unchanged} unchanged"
    )


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Run the development server (use gunicorn 'web:create_app()' in production)."""
    serve_app(current_app._get_current_object(), host, port)  # type: ignore[attr-defined]


@main.group()
def bench() -> None:
    """Benchmarks that print tables (compare ratios measured in one run)."""


def _mount() -> None:
    """Benchmarks live with the pure packages they measure; topics in their own modules."""
    import importlib
    import pkgutil

    from geo.cli import bench_geo
    from matching.cli import darp

    bench.add_command(bench_geo, "geo")
    bench.add_command(darp, "darp")
    for module in pkgutil.iter_modules(__path__):
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        register = getattr(loaded, "register", None)
        if register is not None:
            register(main, bench)


_mount()
