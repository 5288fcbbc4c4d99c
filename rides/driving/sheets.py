"""What a volunteer driver sees and does: the day's routes as stop lists, shifts and the car.

Route views carry only what the driver needs on the road (privacy by construction): each
passenger's first name, seats, children, child seats, wheelchair and the languages they
speak; never a surname, a phone number or an e-mail address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rides import access, clock
from rides.driving import availability, routes
from rides.driving.availability import ShiftSpec, VehicleSpec
from rides.driving.mileage import kilometres
from rides.models import (
    Person,
    Route,
    RouteStatus,
    Shift,
    Stop,
    StopKind,
    StopStatus,
    Vehicle,
)
from rides.places.directory import place_label
from rides.places.lookup import resolve_fields


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


@dataclass(frozen=True)
class Availability:
    """A driver's coming shifts and their car."""

    shifts: list[Shift]
    car: Vehicle | None


@dataclass(frozen=True)
class ShiftDraft:
    """A shift as typed on the page: place names instead of ids."""

    date: dt.date
    start_time: dt.time
    end_time: dt.time
    start_place: str
    end_place: str | None = None


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


def accept(session: Session, driver: Person, route_id: int) -> Route:
    """Take an offered route."""
    return routes.accept_route(session, routes.get_route(session, route_id, driver), driver)


def decline(session: Session, driver: Person, route_id: int, reason: str | None) -> Route:
    """Decline an offered route, with an optional reason for the coordinator."""
    route = routes.get_route(session, route_id, driver)
    return routes.decline_route(session, route, driver, (reason or "").strip() or None)


def record(session: Session, driver: Person, stop_id: int, outcome: StopStatus) -> Stop:
    """Mark a stop done (picked up / dropped off) or a pickup as a no-show."""
    return routes.record_stop(session, routes.get_stop(session, stop_id, driver), driver, outcome)


def my_availability(
    session: Session, driver: Person, *, today: dt.date | None = None
) -> Availability:
    """The driver's shifts from today on and their (first active) car."""
    today = today or clock.today()
    shifts = [s for s in availability.find_shifts(session, driver_id=driver.id) if s.date >= today]
    cars = availability.vehicles_of(session, driver)
    return Availability(shifts, cars[0] if cars else None)


def add_shift(session: Session, driver: Person, draft: ShiftDraft) -> Shift:
    """Offer a shift whose places are typed names; the end place defaults to the start."""
    places = resolve_fields(
        session,
        {"start_place": draft.start_place, "end_place": draft.end_place},
        optional=frozenset({"end_place"}),
    )
    start, end = places["start_place"], places["end_place"]
    assert start is not None
    spec = ShiftSpec(
        date=draft.date, start_time=draft.start_time, end_time=draft.end_time,
        start_place_id=start.id, end_place_id=end.id if end is not None else None,
    )  # fmt: skip
    return availability.add_shift(session, driver, spec, actor=driver)


def withdraw_shift(session: Session, driver: Person, shift_id: int) -> Shift:
    """Take back one of the driver's shifts."""
    shift = access.check_shift(driver, availability.get_shift(session, shift_id))
    availability.withdraw_shift(session, shift, actor=driver)
    return shift


def save_car(session: Session, driver: Person, spec: VehicleSpec) -> Vehicle:
    """Describe the driver's car: update the first one, or register it when there is none."""
    cars = availability.vehicles_of(session, driver)
    if cars:
        return availability.update_vehicle(session, cars[0], spec, actor=driver)
    return availability.add_vehicle(session, driver, spec, actor=driver)
