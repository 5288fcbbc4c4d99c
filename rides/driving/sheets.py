"""What a volunteer driver reads on the road: the day's routes as stop lists.

Route views carry only what the driver needs on the road (privacy by construction): each
passenger's first name, seats, children, child seats, wheelchair and the languages they
speak; never a surname, a phone number or an e-mail address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rides.driving import routes
from rides.driving.mileage import kilometres
from rides.models import (
    Person,
    Route,
    RouteStatus,
    Stop,
    StopKind,
    StopStatus,
)
from rides.places.directory import place_label


@dataclass(frozen=True)
class Passenger:
    """A rider as their driver knows them."""

    first_name: str
    adults: int
    children: int
    child_seats: int
    wheelchair: bool
    languages: tuple[str, ...]


@dataclass(frozen=True)
class StopLine:
    """One stop of a route: when, where, who, and what happened."""

    id: int
    kind: StopKind
    status: StopStatus
    planned_at: dt.datetime
    place: str
    meeting_point: str | None
    passenger: Passenger

    @property
    def pending(self) -> bool:
        """Nothing recorded yet."""
        return self.status == StopStatus.PLANNED


@dataclass(frozen=True)
class RouteSheet:
    """A route as its driver reads it."""

    id: int
    date: dt.date
    status: RouteStatus
    start_at: dt.datetime | None
    end_at: dt.datetime | None
    distance_m: int
    car: str | None
    stops: list[StopLine]

    @property
    def km(self) -> float:
        """Planned kilometres, one decimal."""
        return kilometres(self.distance_m)

    @property
    def offered(self) -> bool:
        """Waiting for the driver's answer."""
        return self.status == RouteStatus.OFFERED

    @property
    def recording(self) -> bool:
        """Stops can be marked (the route was accepted)."""
        return self.status in (RouteStatus.ACCEPTED, RouteStatus.COMPLETED)


def _passenger(stop: Stop) -> Passenger:
    request = stop.request
    rider = request.rider
    return Passenger(
        first_name=rider.first_name,
        adults=request.adults,
        children=request.children,
        child_seats=request.child_seats,
        wheelchair=request.wheelchair,
        languages=tuple(rider.languages),
    )


def route_sheet(route: Route) -> RouteSheet:
    """The driver's view of a route."""
    stops = [
        StopLine(
            id=stop.id,
            kind=stop.kind,
            status=stop.status,
            planned_at=stop.planned_at,
            place=place_label(stop.place),
            meeting_point=stop.place.meeting_point,
            passenger=_passenger(stop),
        )
        for stop in route.stops
    ]
    return RouteSheet(
        id=route.id,
        date=route.plan.date,
        status=route.status,
        start_at=route.start_at,
        end_at=route.end_at,
        distance_m=route.distance_m,
        car=route.vehicle.label if route.vehicle is not None else None,
        stops=stops,
    )


def day_routes(session: Session, driver: Person, day: dt.date) -> list[RouteSheet]:
    """The driver's routes of a day's published plan."""
    return [route_sheet(route) for route in routes.routes_of(session, day, driver)]


def get_route_sheet(session: Session, driver: Person, route_id: int) -> RouteSheet:
    """One of the driver's routes (NotFound for anyone else's)."""
    return route_sheet(routes.get_route(session, route_id, driver))
