"""``rural-cars bench travel-sources``: one day planned on travel-time sources, driven on one."""

from __future__ import annotations

import datetime as dt

import click

from scenarios.travel_sources import LATE_S, compare, table
from web.commands.generated_day import generated_day_options


@click.command("travel-sources")
@click.option(
    "--source",
    "sources",
    multiple=True,
    default=("model",),
    show_default=True,
    help="A TRAVEL_TIMES setting to plan on (model, file:PATH, model:PATH, osrm:URL); "
    "give two, or any number with --truth.",
)
@click.option(
    "--truth",
    default=None,
    help="The TRAVEL_TIMES setting every plan is driven on (the roads), e.g. file:truth.npz "
    "[without it: two sources, each plan driven on the other's times].",
)
@click.option("--requests", type=click.IntRange(min=1), default=120, show_default=True)
@click.option("--drivers", type=click.IntRange(min=1), default=15, show_default=True)
@generated_day_options
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=20.0,
    show_default=True,
    help="Seconds of search per plan.",
)
def bench_travel_sources(sources: tuple[str, ...], truth: str | None, requests: int,
                         drivers: int, seed: int, day: dt.datetime,
                         time_limit: float) -> None:  # fmt: skip
    """Plan a generated day on each source; drive each plan on the --truth source's times
    (without --truth: two sources, each plan driven on the other's).

    Prints per plan: requests served, km on its own times and driven, and how many promised
    pickups come more than 5 minutes late when driven (the car waits rather than come early),
    with the median and worst delay in minutes.
    """
    if truth is None and len(sources) != 2:
        raise click.BadParameter(
            "give two, e.g. --source model --source file:m.npz, or add --truth SETTING",
            param_hint="--source",
        )
    rows = compare(sources, requests=requests, drivers=drivers, seed=seed, date=day.date(),
                   time_limit=time_limit, truth=truth)  # fmt: skip
    click.echo(table(rows))
    driven_on = f"{truth}'s" if truth is not None else "the other row's"
    click.echo(f"late: more than {LATE_S // 60} minutes after the promised pickup time, "
               f"driven on {driven_on} travel times")  # fmt: skip


def register(_main: click.Group, bench: click.Group) -> None:
    """Mount ``bench travel-sources``."""
    bench.add_command(bench_travel_sources)
