"""The same day planned on travel-time sources, each plan driven on another source's times.

A plan promises pickup times computed from its travel times. To see what a source is worth,
a generated day is planned once on each source (the model, a calibrated model, a matrix file,
an engine: any ``TRAVEL_TIMES`` setting), then each plan is **driven as promised on the
reference times**: those of a ``truth`` source (say the roads' matrix) when one is given,
otherwise, with two sources, each on the other's. The car leaves when its plan says, drives
each leg in the reference time, never picks anyone up before the time promised (it waits),
and keeps each stop's service time. A pickup whose driven time is more than :data:`LATE_S`
after the promise is one a rider would see late (or early, the other way round, had the car
not waited). Kilometres are counted both ways too.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import geo
import matching
from matching.problem import Problem
from matching.solution import Route

#: A promised pickup more than this late when driven on the other source counts.
LATE_S = 300


@dataclass(frozen=True)
class Driven:
    """Routes of a plan driven on some travel times: km and each pickup's delay (s)."""

    metres: int
    delays_s: tuple[int, ...]


@dataclass(frozen=True)
class Row:
    """One plan: its source, what it served, its km on its own and the reference times, and its
    promises kept on the reference times."""

    source: str
    requests: int
    served: int
    km_own: float
    km_other: float
    pickups: int
    late: int
    median_late_min: float
    worst_late_min: float


def drive(problem: Problem, routes: Sequence[Route], durations, distances) -> Driven:  # type: ignore[no-untyped-def]
    """Drive ``routes`` (planned on ``problem``) on other matrices of the same places."""
    shifts = {shift.id: shift for shift in problem.shifts}
    metres, delays = 0, []
    for route in routes:
        shift = shifts[route.shift]
        place, clock = shift.start, route.start_time
        for stop in route.stops:
            arrival = clock + int(durations[place, stop.node])
            start = max(arrival, stop.start)
            if stop.kind == "pickup":
                delays.append(start - stop.start)
            metres += int(distances[place, stop.node])
            clock, place = start + (stop.departure - stop.start), stop.node
        metres += int(distances[place, shift.end])
    return Driven(metres, tuple(delays))


def compare(
    sources: Sequence[str],
    *,
    requests: int,
    drivers: int,
    seed: int,
    date: dt.date,
    time_limit: float,
    truth: str | None = None,
) -> list[Row]:
    """Plan one generated day on each source and drive each plan on the reference times.

    Args:
        sources: ``TRAVEL_TIMES`` settings, e.g. ``("model", "file:truth.npz")``; exactly two
            without ``truth``.
        requests, drivers, seed, date: the day (``scenarios.demand.generate``).
        time_limit: seconds of search per plan.
        truth: the setting every plan is driven on; None drives each of two plans on the
            other's times.

    Returns:
        One row per source, in the order given.

    Raises:
        ValueError: no source, or not two without ``truth``.
    """
    from scenarios.as_problem import scenario_problem
    from scenarios.demand import generate

    if not sources or (truth is None and len(sources) != 2):
        raise ValueError("compare two sources, or any number driven on a truth")
    scenario = generate(requests, drivers, seed, date=date)
    settings = [*sources, *([truth] if truth is not None else [])]
    cache: dict[str, Problem] = {}
    for setting in settings:
        if setting not in cache:
            provider = geo.provider_from_setting(setting)
            cache[setting] = scenario_problem(scenario, provider=provider).problem
    built = [cache[setting] for setting in settings]
    if any([r.pickup for r in b.requests] != [r.pickup for r in built[0].requests] for b in built):
        raise AssertionError("the problems must number the places alike")
    rows = []
    for number, (source, problem) in enumerate(zip(sources, built, strict=False)):
        other = cache[truth] if truth is not None else built[1 - number]
        solution = matching.solve(problem, time_limit=time_limit, seed=seed)
        own = drive(problem, solution.routes, problem.durations, problem.distances)
        driven = drive(problem, solution.routes, other.durations, other.distances)
        late = [d for d in driven.delays_s if d > LATE_S]
        rows.append(
            Row(
                source=source,
                requests=len(problem.requests),
                served=len(solution.served),
                km_own=own.metres / 1000,
                km_other=driven.metres / 1000,
                pickups=len(driven.delays_s),
                late=len(late),
                median_late_min=statistics.median(late) / 60 if late else 0.0,
                worst_late_min=max(driven.delays_s, default=0) / 60,
            )
        )
    return rows


def table(rows: Sequence[Row]) -> str:
    """The rows as a fixed-width table ("driven": on the reference times)."""
    head = (
        f"{'planned on':<34} {'served':>9} {'km own':>8} {'km driven':>9} "
        f"{'late >5 min':>12} {'median':>7} {'worst':>7}"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        lines.append(
            f"{row.source[:34]:<34} {row.served:>4}/{row.requests:<4} {row.km_own:>8.1f} "
            f"{row.km_other:>9.1f} {row.late:>5}/{row.pickups:<6} {row.median_late_min:>7.1f} "
            f"{row.worst_late_min:>7.1f}"
        )
    return "\n".join(lines)
