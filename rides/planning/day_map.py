"""The coordinator's map of a day as GeoJSON: the newest plan's routes, the villages they
pass through, and where the requests it could not serve start from.

Read-only, and the same for every coordinator: the map script draws it over the province's
municipal outlines (``geo.boundaries_file``). Each village says how many stops it has, so
the script can keep the busier village's label when two labels would overlap.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rides.models import DayPlan, Place, RequestStatus, RideRequest, Route
from rides.places.directory import place_label
from rides.planning import day_plans

#: How many colours the map script has: routes take them in turn.
COLOURS = 8


def day_map(session: Session, day: dt.date) -> dict[str, Any]:
    """The newest plan as GeoJSON: one LineString per route (driver's start, each stop,
    driver's end; ``[longitude, latitude]``), one Point per village used (``kind`` "place",
    with its number of stops) and one per village where unserved requests start (``kind``
    "unserved", with their number)."""
    plan = day_plans.latest_plan(session, day)
    _load_requests(session, day)
    routes = [r for r in plan.routes if r.stops] if plan else []
    features = [_route_feature(route, index) for index, route in enumerate(routes)]
    places: dict[int, Place] = {}
    stops: Counter[int] = Counter()
    for route in routes:
        for place in _route_places(route):
            places[place.id] = place
        stops.update(stop.place.id for stop in route.stops)
    features += [_point(place, kind="place", stops=stops[place.id]) for place in places.values()]
    features += _unserved_features(plan)
    return {
        "type": "FeatureCollection",
        "day": day.isoformat(),
        "version": plan.version if plan else None,
        "features": features,
    }


def _route_places(route: Route) -> list[Place]:
    """The places a route passes, in order: the shift's start, each stop, the shift's end."""
    points = [route.shift.start_place] if route.shift else []
    points += [stop.place for stop in route.stops]
    points += [route.shift.end_place] if route.shift else []
    return points


def _route_feature(route: Route, index: int) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {
            "type": "LineString",
            "coordinates": [[p.longitude, p.latitude] for p in _route_places(route)],
        },
        "properties": {
            "kind": "route",
            "route_id": route.id,
            "driver": route.driver.display_name,
            "status": route.status.value,
            "colour": index % COLOURS,
            "stops": len(route.stops),
        },
    }


def _point(place: Place, **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
        "properties": {"place_id": place.id, "name": place_label(place), **properties},
    }


def _unserved_features(plan: DayPlan | None) -> list[dict[str, Any]]:
    """One point per pickup village of the plan's unserved requests still open (the same
    ones the day page lists as not served), with how many start there."""
    if plan is None:
        return []
    closed = (RequestStatus.CANCELLED, RequestStatus.DONE)
    open_requests = [u.request for u in plan.unserved if u.request.status not in closed]
    counts = Counter(request.origin.id for request in open_requests)
    origins = {request.origin.id: request.origin for request in open_requests}
    return [
        _point(origins[place_id], kind="unserved", requests=count)
        for place_id, count in sorted(counts.items())
    ]


def _load_requests(session: Session, day: dt.date) -> None:
    """The day's requests with their places, loaded once (stops and unserved requests then
    find them in the session instead of one query each)."""
    query = (
        select(RideRequest)
        .where(RideRequest.date == day)
        .options(
            selectinload(RideRequest.origin).selectinload(Place.municipality),
            selectinload(RideRequest.destination).selectinload(Place.municipality),
        )
    )
    session.scalars(query).all()
