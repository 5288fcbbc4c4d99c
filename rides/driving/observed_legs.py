"""Observed travel times: the legs between consecutive stops a driver marked on one route.

When a driver marks a stop done, the time is kept (``Stop.marked_at``). Two stops of the same
route marked one after the other, at different places, give a drive whose time people really
had: the marks' difference minus the time the car stood at the first stop (its boarding or
alighting, as planning counts it). These legs feed ``geo``'s calibration
(``rural-cars geo calibrate --from-marks``), so the travel model learns from the drives.

A stop passed without a mark, or marked no-show (the driver waited, nobody came), breaks the
chain: the time around it is not a drive. Skipped drop-offs were not driven to and are passed
over. Legs of zero or negative time (a mark tapped late, then the next early) are dropped;
the calibration's robust fit copes with the merely late ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session, selectinload

import geo
from rides.driving.driven import driven_routes
from rides.models import DayPlan, Place, Route, Stop, StopStatus
from rides.planning.solver_input import PlanningRules, place_key, stop_service_s


@dataclass(frozen=True)
class ObservedLegs:
    """Legs read from the marks, the places they name (by matrix key) and how many routes."""

    legs: tuple[geo.Leg, ...]
    places: dict[str, Place]
    routes: int


def observed_legs(
    session: Session,
    since: dt.date,
    before: dt.date | None = None,
    rules: PlanningRules | None = None,
) -> ObservedLegs:
    """Return the legs driven on the published plans' taken routes from ``since``.

    Args:
        session: the database session.
        since: first day read.
        before: day after the last one read (None: up to today's marks).
        rules: the service times to take off each leg (the planning defaults by default).

    Returns:
        The legs (keys as planning names places: INE code or place id), their places and the
        number of driven routes read.
    """
    rules = rules or PlanningRules()
    query = (
        driven_routes(since, before)
        .options(selectinload(Route.stops).selectinload(Stop.place))
        .options(selectinload(Route.stops).selectinload(Stop.request))
        .order_by(DayPlan.date, Route.id)
    )
    routes = list(session.scalars(query))
    legs: list[geo.Leg] = []
    places: dict[str, Place] = {}
    for route in routes:
        for first, second in _consecutive_marks(route.stops):
            assert first.marked_at is not None and second.marked_at is not None
            standing = stop_service_s(first.request, first.kind, rules)
            seconds = (second.marked_at - first.marked_at).total_seconds() - standing
            if seconds <= 0:
                continue
            origin, destination = str(place_key(first.place)), str(place_key(second.place))
            places[origin], places[destination] = first.place, second.place
            legs.append(geo.Leg(origin, destination, seconds))
    return ObservedLegs(tuple(legs), places, len(routes))


def _consecutive_marks(stops: Iterable[Stop]) -> list[tuple[Stop, Stop]]:
    """Pairs of stops marked done one after the other at different places, in route order."""
    pairs: list[tuple[Stop, Stop]] = []
    previous: Stop | None = None
    for stop in sorted(stops, key=lambda s: s.position):
        if stop.status == StopStatus.SKIPPED:
            continue
        if stop.status != StopStatus.DONE or stop.marked_at is None:
            previous = None
            continue
        if previous is not None and previous.place_id != stop.place_id:
            pairs.append((previous, stop))
        previous = stop
    return pairs
