"""What was driven, read from the marks: the one definition mileage, reports and funders use.

A route was **driven** when a stop of it was marked done or no-show on the day: the car was
on the road, even when nobody was waiting at a pickup (the volunteer still drove there). A
route that was accepted but has no mark was not driven, or not yet, whatever the plan says.

Its kilometres are **the route as driven**: from the start of the driver's shift through
every stop the car went to, in route order, to the end of the shift. The car went to every
stop up to the last one marked (a stop passed without a tap was still on the way), except
the drop-offs skipped after a no-show; stops after the last mark were not driven. Distances
come from the travel provider the planner uses, so a route driven as planned counts what the
planner computed for it, and a shorter day counts less. A route whose shift is gone (only
hand-made data) counts its planned distance.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

import geo
from rides.models import (
    DayPlan,
    Place,
    PlanStatus,
    Route,
    RouteStatus,
    Shift,
    Stop,
    StopStatus,
)
from rides.planning.solver_input import place_key

#: Route statuses of a route its driver took (accepted, then completed once every stop is marked).
TAKEN = (RouteStatus.ACCEPTED, RouteStatus.COMPLETED)
#: The marks that say the car was at a stop (a skipped drop-off was not needed, so not driven to).
AT_THE_STOP = (StopStatus.DONE, StopStatus.NO_SHOW)
#: What computing driven distances reads, loaded with the routes in a few queries.
LOADING: tuple[Any, ...] = (
    selectinload(Route.stops).selectinload(Stop.place),
    selectinload(Route.shift).selectinload(Shift.start_place),
    selectinload(Route.shift).selectinload(Shift.end_place),
)


def taken_routes(since: dt.date, before: dt.date | None = None) -> Select[Route]:
    """Routes of published plans from ``since`` (up to ``before``, excluded) that their driver
    accepted: what the drivers' calendars show, driven or not."""
    query = (
        select(Route)
        .join(DayPlan)
        .where(
            DayPlan.status == PlanStatus.PUBLISHED,
            DayPlan.date >= since,
            Route.status.in_(TAKEN),
        )
    )
    return query if before is None else query.where(DayPlan.date < before)


def driven_routes(since: dt.date, before: dt.date | None = None) -> Select[Route]:
    """Taken routes with at least one stop marked done or no-show: what mileage, the monthly
    reports and the funders' figures count."""
    marked = select(Stop.id).where(Stop.route_id == Route.id, Stop.status.in_(AT_THE_STOP)).exists()
    return taken_routes(since, before).where(marked)


def is_driven(route: Route) -> bool:
    """Whether a stop of the route was marked done or no-show (``driven_routes`` in Python)."""
    return any(stop.status in AT_THE_STOP for stop in route.stops)


def driven_stops(route: Route) -> list[Stop]:
    """The stops the car went to: all up to the last one marked, without skipped drop-offs."""
    marked = [index for index, stop in enumerate(route.stops) if stop.status in AT_THE_STOP]
    if not marked:
        return []
    return [s for s in route.stops[: marked[-1] + 1] if s.status != StopStatus.SKIPPED]


@dataclass(frozen=True)
class _Point:
    """A place as the travel providers see it (the key a matrix file knows it by)."""

    key: Hashable
    latitude: float
    longitude: float


def driven_metres(
    routes: Sequence[Route], provider: geo.TravelTimeProvider | None = None
) -> dict[int, int]:
    """Each route's distance as driven, in metres, by route id (one travel matrix for all)."""
    paths: dict[int, list[Place]] = {}
    for route in routes:
        if route.shift is not None:
            visited = [stop.place for stop in driven_stops(route)]
            shift = route.shift
            paths[route.id] = [shift.start_place, *visited, shift.end_place] if visited else []
    places = {place.id: place for path in paths.values() for place in path}
    index = {place_id: i for i, place_id in enumerate(places)}
    distance = _distances(list(places.values()), provider)
    metres = {}
    for route in routes:
        path = paths.get(route.id)
        if path is None:
            metres[route.id] = route.distance_m
        else:
            legs = itertools.pairwise(path)
            metres[route.id] = sum(int(distance[index[a.id]][index[b.id]]) for a, b in legs)
    return metres


def _distances(places: list[Place], provider: geo.TravelTimeProvider | None) -> Any:
    """Road metres between every pair of ``places`` (nothing to ask for when there is none)."""
    if not places:
        return []
    points = [_Point(place_key(p), p.latitude, p.longitude) for p in places]
    distance_m, _time_s = geo.travel_matrix(points, provider=provider)
    return distance_m
