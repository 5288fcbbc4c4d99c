"""``rural-cars bench scale``: our large solve against plain OR-Tools, 50 to 5,000 requests."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from matching.ortools_model import BASELINE_FIRST_SOLUTION
from scenarios import scale
from web.commands.generated_day import generated_day_options


def _sizes(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[int, ...]:
    """Parse "50,200,500" into sizes (each at least 8, so every day has a driver)."""
    try:
        sizes = tuple(int(part) for part in value.split(",") if part.strip())
    except ValueError as exc:
        raise click.BadParameter("a comma-separated list of integers, e.g. 50,200") from exc
    if not sizes or any(n < 8 for n in sizes):
        raise click.BadParameter("sizes must be integers of at least 8 (drivers = N / 8)")
    return sizes


class LiveLine:
    """One status line on stderr, rewritten in place while a method solves."""

    def __init__(self) -> None:
        """Nothing shown yet; off a terminal, one line per phase instead of a live line."""
        self.width = 0
        self.live = sys.stderr.isatty()
        self.last: tuple[int, str, str] | None = None

    def show(
        self, n: int, method: str, elapsed: float, best: int | None, served: int, phase: str
    ) -> None:
        """Rewrite the line: size, method, time, best objective so far, served, phase."""
        objective = "-" if best is None else f"{best:,}"
        text = (f"N={n} {method}: {elapsed:6.1f} s  phase {phase:<8} served {served:>5}  "
                f"best objective {objective}")  # fmt: skip
        if not self.live:
            if self.last != (n, method, phase):
                click.echo(text, err=True)
                self.last = (n, method, phase)
            return
        click.echo("\r" + text.ljust(self.width), nl=False, err=True)
        self.width = len(text)

    def done(self, record: scale.Record) -> None:
        """Replace the line by the method's outcome."""
        outcome = (
            f"N={record.n} {record.method}: {scale.cell(record.seconds)} s, "
            f"served {scale.cell(record.served_pct)} %, {scale.cell(record.km, 0)} km, "
            f"valid {scale.cell(record.valid)}" + (f" ({record.error})" if record.error else "")
        )
        click.echo(("\r" if self.live else "") + outcome.ljust(self.width), err=True)
        self.width = 0


@click.command("scale")
@click.option(
    "--sizes",
    default=",".join(str(n) for n in scale.DEFAULT_SIZES),
    show_default=True,
    callback=_sizes,
    help="Numbers of requests; each day has N/8 drivers.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds per method and size.",
)
@generated_day_options
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes for ours (default: 1 up to 1,000 requests, then 2).",
)
@click.option(
    "--method",
    "methods",
    type=click.Choice(scale.METHODS),
    multiple=True,
    help="Only these methods (default: both).",
)
@click.option(
    "--first-solution",
    default=BASELINE_FIRST_SOLUTION,
    show_default=True,
    type=click.Choice(
        ["PARALLEL_CHEAPEST_INSERTION", "LOCAL_CHEAPEST_INSERTION", "LOCAL_CHEAPEST_COST_INSERTION"]
    ),
    help="OR-Tools' first-solution strategy (only local cheapest insertion finishes "
    "in time on a loaded machine).",
)
@click.option(
    "--language-bonus",
    type=click.IntRange(min=0),
    default=None,
    help="Metres of reward per rider served in their own language, instead of the "
    "generated day's (0: both methods plan on distance alone).",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the records to this JSON file.",
)
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Draw served % and km per served request against N (PNG, matplotlib).",
)
@click.option(
    "--from-json",
    "from_json",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Print (and plot) the records of an earlier run; solve nothing.",
)
def bench_scale(
    sizes: tuple[int, ...],
    time_limit: float,
    seed: int,
    day: dt.datetime,
    workers: int | None,
    methods: tuple[scale.Method, ...],
    first_solution: str,
    language_bonus: int | None,
    json_path: Path | None,
    plot_path: Path | None,
    from_json: Path | None,
) -> None:
    """Plan generated days of each size with ours and with plain OR-Tools; print a table."""
    if from_json is not None:
        earlier = scale.read_json(from_json)
        if plot_path is not None:
            scale.plot(earlier, plot_path)
        click.echo(scale.table(earlier))
        return
    line = LiveLine()
    click.echo(
        f"bench scale: sizes {','.join(map(str, sizes))}, {time_limit:g} s per method, "
        f"seed {seed}, day {day.date()}"
        + ("" if language_bonus is None else f", language bonus {language_bonus} m"),
        err=True,
    )
    records = scale.run(
        sizes,
        time_limit=time_limit,
        seed=seed,
        date=day.date(),
        workers=workers,
        methods=methods or scale.METHODS,
        listener=line.show,
        on_record=line.done,
        first_solution=first_solution,
        language_bonus=language_bonus,
    )
    if json_path is not None:
        scale.write_json(records, json_path)
    if plot_path is not None:
        scale.plot(records, plot_path)
    click.echo(scale.table(records))
    if not all(r.valid for r in records):
        sys.exit(1)


def register(_main: click.Group, bench: click.Group) -> None:
    """Mount ``bench scale``."""
    bench.add_command(bench_scale)
