"""Command line of the matching package: ``darp`` benchmarks the solvers on Cordeau instances.

Mounted by the web CLI as ``rural-cars bench darp``; ``python -m matching.cli darp`` works too.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import click

from matching.benchmarks import darp as bench
from matching.warm import warm_up

SOLVERS = ("ours", "ortools", "vroom")


def _format(value: float | None, spec: str) -> str:
    """Format a number or a dash."""
    return "-" if value is None else format(value, spec)


@click.command("darp")
@click.option(
    "--instances",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of Cordeau instance files with best_known.csv beside "
    "them (default: $RURAL_CARS_DARP_DIR or ../shared/benchmarks/darp/a).",
)
@click.option(
    "--time-limit",
    type=float,
    default=10.0,
    show_default=True,
    help="Seconds per instance and solver.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write <solver>/<instance>.json solution files here.",
)
@click.option(
    "--solvers",
    default=",".join(SOLVERS),
    show_default=True,
    help="Comma-separated subset of ours, ortools, vroom.",
)
@click.option("--only", default="", help="Comma-separated instance names to run (default all).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of our solver.")
@click.option(
    "--iterations",
    type=click.IntRange(min=1),
    default=None,
    help="Stop our search after N iterations (same seed and N, same costs on any machine; "
    "give a --time-limit large enough not to bind). Default: the time limit alone.",
)
def darp(
    directory: Path | None,
    time_limit: float,
    out: Path | None,
    solvers: str,
    only: str,
    seed: int,
    iterations: int | None,
) -> None:
    """Benchmark the solvers on the Cordeau DARP instances and print a table of gaps."""
    folder = directory or bench.default_directory()
    if not folder.is_dir():
        raise click.ClickException(f"no instance folder at {folder}")
    names = [s.strip() for s in solvers.split(",") if s.strip()]
    unknown = [s for s in names if s not in SOLVERS]
    if unknown:
        raise click.BadParameter(f"unknown solver(s): {', '.join(unknown)}", param_hint="--solvers")
    wanted = {s.strip() for s in only.split(",") if s.strip()}
    best = bench.read_best_known(folder)
    files = [f for f in bench.instance_files(folder) if not wanted or f.stem in wanted]
    header = f"{'instance':<9} {'best':>8}"
    for name in names:
        header += f" | {name:>8} {'gap%':>6} {'s':>5} {'valid':>5}"
    click.echo(header)
    click.echo("-" * len(header))
    gaps: dict[str, list[float]] = {name: [] for name in names}
    valid_count = dict.fromkeys(names, 0)
    warm_up()  # compiled (or loaded) once, before the first instance's clock starts
    for path in files:
        inst = bench.read_instance(path)
        known = best.get(inst.name)
        line = f"{inst.name:<9} {_format(known, '8.2f')}"
        for name in names:
            outcome = bench.run_one(name, inst, time_limit, seed, iterations)
            if outcome.note:
                line += f" | {outcome.note:>27}"
                continue
            value = bench.gap(outcome.cost, known)
            if value is not None and outcome.valid:
                gaps[name].append(value)
            valid_count[name] += outcome.valid
            line += (
                f" | {_format(outcome.cost, '8.2f')} {_format(value, '6.2f')} "
                f"{outcome.seconds:5.1f} {'yes' if outcome.valid else 'NO':>5}"
            )
            if out is not None and outcome.routes:
                bench.write_solution(out / name, inst, outcome)
        click.echo(line)
    click.echo("-" * len(header))
    for name in names:
        values = gaps[name]
        if values:
            click.echo(
                f"{name}: valid {valid_count[name]}/{len(files)}, mean gap "
                f"{statistics.mean(values):.2f} % over valid, max gap {max(values):.2f} %"
            )
        else:
            click.echo(f"{name}: valid {valid_count[name]}/{len(files)}, no valid solution")


@click.group()
def main() -> None:
    """Matching benchmarks."""


main.add_command(darp)

if __name__ == "__main__":
    main()
