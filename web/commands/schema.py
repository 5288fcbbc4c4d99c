"""The check every command that touches data makes first: is the schema there and current?"""

from __future__ import annotations

import sys

import click

from rides import migrate
from web.database import database


def require_schema() -> None:
    """Exit with status 2 and say what to run when the database is not at the code's revision."""
    engine = database().engine
    if migrate.current_revision(engine) != migrate.head_revision():
        click.echo("The database schema is not up to date: run 'rural-cars db upgrade'.", err=True)
        sys.exit(2)
