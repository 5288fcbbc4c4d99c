"""Two days of marked pickups in two areas, with the times their riders were promised, shared
by the on-time report's service and page tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rides import clock
from rides.models import (
    DayPlan,
    PlanStatus,
    RequestStatus,
    RideRequest,
    Route,
    RouteStatus,
    Stop,
    StopKind,
    StopStatus,
)
from tests.clocks import ServiceClock
from tests.factories import GUADALAJARA, MOLINA, SIGUENZA, Factory

#: Monday 8 March 2027: the clock stands at noon; the days reported are the 9th and the 10th.
BOOKED_ON = dt.date(2027, 3, 8)
FIRST, SECOND = dt.date(2027, 3, 9), dt.date(2027, 3, 10)
MONTH = "2027-03"


@dataclass(frozen=True)
class Pickup:
    """One trip of the seed: its day, village, driver and how it went (minutes from the
    promise, None when not marked done)."""

    day: dt.date
    village: str
    driver: str
    off_min: float | None
    status: StopStatus = StopStatus.DONE


#: Guadalajara is on the A-2, Molina in the Señorío de Molina (``geo.areas``).
PICKUPS = (
    Pickup(FIRST, GUADALAJARA, "Lucía", 2),
    Pickup(FIRST, GUADALAJARA, "Lucía", -4),
    Pickup(FIRST, MOLINA, "Pedro", 9),
    Pickup(FIRST, MOLINA, "Pedro", 31),
    Pickup(SECOND, MOLINA, "Pedro", 14),
    Pickup(SECOND, MOLINA, "Pedro", None, StopStatus.NO_SHOW),
    Pickup(SECOND, GUADALAJARA, "Lucía", None, StopStatus.PLANNED),
    Pickup(SECOND, GUADALAJARA, "Lucía", -12),
)


def seed_on_time_days(session: Session, make: Factory, service_clock: ServiceClock) -> None:
    """Publish one plan per day whose routes (one per driver) carry :data:`PICKUPS`, each
    promised at 09:00 + 20 min per trip of its day, marked at the promise + ``off_min``; and a
    superseded plan of the first day whose pickup, marked an hour late, must not count."""
    service_clock.at(BOOKED_ON, 12)
    drivers = {name: make.driver(first_name=name) for name in ("Lucía", "Pedro")}
    siguenza = make.place(SIGUENZA).id
    for day in (FIRST, SECOND):
        routes: dict[str, Route] = {}
        trips = [p for p in PICKUPS if p.day == day]
        for number, pickup in enumerate(trips):
            promised = clock.local_datetime(day, dt.time(9)) + dt.timedelta(minutes=20 * number)
            request = _trip(make, pickup, day, promised)
            route = routes.setdefault(
                pickup.driver,
                Route(driver=drivers[pickup.driver], status=RouteStatus.COMPLETED),
            )
            marked = None  # not marked yet
            if pickup.status == StopStatus.NO_SHOW:  # the driver waited a quarter of an hour
                marked = promised + dt.timedelta(minutes=15)
            elif pickup.off_min is not None:
                marked = promised + dt.timedelta(minutes=pickup.off_min)
            position = len(route.stops)
            route.stops += [
                _stop(request, StopKind.PICKUP, request.origin_id, promised, position,
                      pickup.status, marked, drivers[pickup.driver].id),
                _stop(request, StopKind.DROPOFF, siguenza, promised + dt.timedelta(minutes=40),
                      position + 1, StopStatus.PLANNED, None, None),
            ]  # fmt: skip
        session.add(DayPlan(date=day, version=2, status=PlanStatus.PUBLISHED,
                            routes=list(routes.values())))  # fmt: skip
    old = _trip(make, Pickup(FIRST, MOLINA, "Pedro", 60), FIRST, _at(FIRST, 8))
    stale = _stop(old, StopKind.PICKUP, old.origin_id, _at(FIRST, 8), 0, StopStatus.DONE,
                  _at(FIRST, 9), drivers["Pedro"].id)  # fmt: skip
    route = Route(driver=drivers["Pedro"], status=RouteStatus.ACCEPTED, stops=[stale])
    session.add(DayPlan(date=FIRST, version=1, status=PlanStatus.SUPERSEDED, routes=[route]))
    session.flush()


def _at(day: dt.date, hour: int) -> dt.datetime:
    return clock.local_datetime(day, dt.time(hour))


def _trip(make: Factory, pickup: Pickup, day: dt.date, promised: dt.datetime) -> RideRequest:
    local = promised.astimezone(clock.LOCAL_TZ).time()
    request = make.request(origin_id=make.place(pickup.village).id, date=day, time=local)
    request.status = {
        StopStatus.DONE: RequestStatus.SCHEDULED,
        StopStatus.NO_SHOW: RequestStatus.NO_SHOW,
        StopStatus.PLANNED: RequestStatus.SCHEDULED,
    }[pickup.status]
    request.confirmed_pickup_at = promised
    return request


def _stop(request, kind, place_id, planned, position, status, marked, by):  # type: ignore[no-untyped-def]
    return Stop(request=request, kind=kind, place_id=place_id, planned_at=planned,
                position=position, status=status, marked_at=marked, marked_by_id=by)  # fmt: skip
