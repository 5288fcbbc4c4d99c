"""A rider's trip on its own day: who comes to fetch them (the driver's first name and the
car to look for), and "I'll be late" told to the coordinators and the driver.

What the rider may read of the driver is decided by ``rides.access.rider_reads_driver``
(docs/privacy.md): only on the day, only once the driver accepted the route.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rides import access, clock, status_texts
from rides.booking import ride_requests
from rides.errors import Conflict
from rides.messaging import notifications
from rides.models import (
    DayPlan,
    Person,
    PlanStatus,
    RequestStatus,
    RideRequest,
    Route,
    RouteStatus,
    Stop,
    StopKind,
)

#: Routes whose driver said yes: only their driver is told that a rider is late.
ACCEPTED = (RouteStatus.ACCEPTED, RouteStatus.COMPLETED)


@dataclass(frozen=True)
class DriverOnDay:
    """What the rider looks for at the meeting point: a first name and a car."""

    first_name: str
    model: str | None
    colour: str | None


@dataclass(frozen=True)
class LegToday:
    """One leg of a trip on its day: its driver (when the rider may know them) and whether
    "I'll be late" and "I can't come" still make sense (confirmed, not yet picked up)."""

    request_id: int
    driver: DriverOnDay | None
    can_say_late: bool


@dataclass(frozen=True)
class LateNotice:
    """Who heard that the rider is late (the driver only on an accepted route)."""

    driver_told: bool


def carrying_route(session: Session, request: RideRequest) -> Route | None:
    """The route of the day's published plan that picks this trip up (not a declined one)."""
    query = (
        select(Route)
        .join(Stop, Stop.route_id == Route.id)
        .join(DayPlan, DayPlan.id == Route.plan_id)
        .where(
            Stop.request_id == request.id,
            Stop.kind == StopKind.PICKUP,
            DayPlan.status == PlanStatus.PUBLISHED,
            Route.status != RouteStatus.DECLINED,
        )
        .limit(1)
    )
    return session.scalars(query).first()


def leg_today(
    session: Session, request: RideRequest, *, today: dt.date | None = None
) -> LegToday | None:
    """The leg as the rider sees it on its day; None on any other day (nothing to add)."""
    if request.date != (today or clock.today()):
        return None
    route = carrying_route(session, request)
    driver = None
    if route is not None and access.rider_reads_driver(request, route):
        car = route.vehicle
        driver = DriverOnDay(
            route.driver.first_name,
            car.model if car is not None else None,
            car.colour if car is not None else None,
        )
    return LegToday(request.id, driver, late_refusal(session, request) is None)


def late_refusal(session: Session, request: RideRequest) -> Conflict | None:
    """Why "I'll be late" cannot be said for this trip now (None when it can): only for a
    confirmed trip, on its day, before its pickup is marked."""
    if request.status != RequestStatus.SCHEDULED:
        return Conflict(status_texts.TRIP_IS[request.status], code="not_scheduled")
    if request.date != clock.today():
        return Conflict(
            "You can say you will be late on the day of the ride only.", code="not_ride_day"
        )
    if ride_requests.has_started(session, request):
        return Conflict("This trip has started: the driver has picked you up.", code="started")
    return None


def say_late(session: Session, actor: Person, request_id: int) -> LateNotice:
    """The rider says "I'll be late": the coordinators and the accepted route's driver get a
    message in their language; saying it again for the same trip sends nothing more."""
    request = ride_requests.get_request(session, actor, request_id)
    refusal = late_refusal(session, request)
    if refusal is not None:
        raise refusal
    route = carrying_route(session, request)
    told = route if route is not None and route.status in ACCEPTED else None
    notifications.rider_late(session, request, told)
    session.flush()
    return LateNotice(driver_told=told is not None)
