"""What a volunteer driver reads on the road: the day's routes as stop lists.

Route views carry only what the driver needs on the road (privacy by construction): each
passenger's first name, seats, children, child seats, wheelchair, the languages they
speak and the note they wrote for the driver; never a surname, a phone number or an e-mail address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rides import access, clock
from rides.booking import lifecycle
from rides.driving import routes
from rides.driving.mileage import kilometres
from rides.models import (
    Person,
    RideRequest,
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
    #: What the rider wrote for the driver ("I have a pram"), None when nothing.
    note: str | None = None


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
    #: Until when its mark can be undone (None: nothing to undo, or too late).
    undo_until: dt.datetime | None = None

    @property
    def pending(self) -> bool:
        """Nothing recorded yet."""
        return self.status == StopStatus.PLANNED

    @property
    def skipped(self) -> bool:
        """A drop-off not needed: the passenger was not at the pickup."""
        return self.status == StopStatus.SKIPPED


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
    #: Its stops can be marked now (accepted, published, and today is its day).
    can_mark: bool = False
    #: Declined, and the decline can still be taken back (no re-plan published since).
    can_take_back: bool = False

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
        """The route was accepted: its stops are marked on its day."""
        return self.status in (RouteStatus.ACCEPTED, RouteStatus.COMPLETED)

    @property
    def marks_later(self) -> bool:
        """Accepted for a day still to come: the stop buttons appear on that day."""
        return self.recording and self.date > clock.today()


@dataclass(frozen=True)
class DriverDay:
    """The driver's routes of one day, and whether that day is today."""

    day: dt.date
    today: bool
    routes: list[RouteSheet]


@dataclass(frozen=True)
class NoShowQuestion:
    """What the driver confirms before a no-show: who, when, where, and what follows."""

    date: dt.date
    route_id: int
    stop: StopLine
    has_dropoff: bool
    has_return: bool


def passenger_of(request: RideRequest) -> Passenger:
    """The rider of this trip as their driver knows them (the route sheet, a proposed change)."""
    rider = request.rider
    return Passenger(
        first_name=rider.first_name,
        adults=request.adults,
        children=request.children,
        child_seats=request.child_seats,
        wheelchair=request.wheelchair,
        languages=tuple(rider.languages),
        note=request.driver_note,
    )


def _stop_line(stop: Stop) -> StopLine:
    return StopLine(
        id=stop.id,
        kind=stop.kind,
        status=stop.status,
        planned_at=stop.planned_at,
        place=place_label(stop.place),
        meeting_point=stop.place.meeting_point,
        passenger=passenger_of(stop.request),
        undo_until=routes.undoable_until(stop),
    )


def route_sheet(route: Route, reader: Person | None = None) -> RouteSheet:
    """The driver's view of a route; without its stops when ``reader`` may not read its
    passengers (``access.reads_passengers``: a route they declined)."""
    shown = reader is None or access.reads_passengers(reader, route)
    stops = [_stop_line(stop) for stop in route.stops] if shown else []
    return RouteSheet(
        id=route.id,
        date=route.plan.date,
        status=route.status,
        start_at=route.start_at,
        end_at=route.end_at,
        distance_m=route.distance_m,
        car=route.vehicle.label if route.vehicle is not None else None,
        stops=stops,
        can_mark=routes.marking_refusal(route) is None,
        can_take_back=routes.take_back_refusal(route) is None,
    )


def day_routes(session: Session, driver: Person, day: dt.date) -> list[RouteSheet]:
    """The driver's routes of a day's published plan."""
    found = routes.routes_of(session, day, driver, with_declined=True)
    return [route_sheet(route, driver) for route in found]


def my_day(session: Session, driver: Person, day: dt.date | None = None) -> DriverDay:
    """The driver's routes of ``day``; by default today while a route of today is still to be
    answered or driven (they are on the road), else tomorrow (the day just planned)."""
    today = clock.today()
    if day is None:
        underway = any(
            route.status in (RouteStatus.OFFERED, RouteStatus.ACCEPTED)
            for route in routes.routes_of(session, today, driver)
        )
        day = today if underway else clock.tomorrow()
    return DriverDay(day, day == today, day_routes(session, driver, day))


def no_show_question(session: Session, driver: Person, stop_id: int) -> NoShowQuestion:
    """A pickup the driver may mark a no-show now, to confirm (Conflict when it cannot be)."""
    stop = routes.get_stop(session, stop_id, driver)
    routes.check_mark(stop, StopStatus.NO_SHOW)
    request = stop.request
    return NoShowQuestion(
        date=stop.route.plan.date,
        route_id=stop.route.id,
        stop=_stop_line(stop),
        has_dropoff=any(s.request_id == request.id and s is not stop for s in stop.route.stops),
        has_return=request.return_trip is not None and request.return_trip.status in lifecycle.OPEN,
    )


def get_route_sheet(session: Session, driver: Person, route_id: int) -> RouteSheet:
    """One of the driver's routes (NotFound for anyone else's)."""
    return route_sheet(routes.get_route(session, route_id, driver), driver)
