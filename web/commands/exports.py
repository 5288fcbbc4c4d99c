"""``rural-cars export gtfs-flex``: the service as a GTFS-Flex feed file."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from rides.db import unit_of_work
from rides.reporting.gtfs_flex import feed_zip, served_places
from web.database import database
from web.feeds import feed_settings


@click.group("export")
def export() -> None:
    """Open data exports."""


@export.command("gtfs-flex")
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True
)
@with_appcontext
def gtfs_flex(out: Path) -> None:
    """Write the GTFS-Flex feed (villages served, booking rule, coordinators' phone) to OUT."""
    with unit_of_work(database().sessions) as session:
        places = served_places(session)
        out.write_bytes(feed_zip(places, feed_settings(current_app)))
    click.echo(f"{out}: {len(places)} villages")


def register(main: click.Group, _bench: click.Group) -> None:
    """Mount the commands."""
    main.add_command(export)
