"""``rural-cars generate``: a seeded, realistic day of the province as a scenario file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from rides import clock
from scenarios.demand import generate as generate_day
from scenarios.scenario_files import write


@click.command("generate")
@click.option(
    "--requests",
    "requests",
    type=click.IntRange(0, 100_000),
    required=True,
    help="Number of requests, return trips included.",
)
@click.option("--drivers", type=click.IntRange(0, 20_000), required=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Day of the scenario (default: tomorrow).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Scenario file to write (JSON).",
)
def generate(requests: int, drivers: int, seed: int, day: dt.datetime | None, out: Path) -> None:
    """Write a reproducible day of REQUESTS requests and DRIVERS drivers to OUT."""
    date = day.date() if day else clock.tomorrow()
    scenario = generate_day(requests, drivers, seed, date=date)
    write(scenario, out)
    click.echo(
        f"{out}: {len(scenario.requests)} requests, {len(scenario.riders)} riders, "
        f"{len(scenario.drivers)} drivers on {date} (seed {seed})"
    )


def register(main: click.Group, _bench: click.Group) -> None:
    """Mount the command."""
    main.add_command(generate)
