"""Two days of marked pickups in two areas, with the times their riders were promised, shared
by the on-time report's service and page tests; and a month of them across the province for
the guide's screenshot."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
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


#: A village of each area, its driver and how far off (mean, spread in minutes) its pickups
#: are marked: on time on the A-2, later the further into the mountains.
MONTH_VILLAGES = (
    ("19130", "Lucía", 0.0, 3.0),  # Guadalajara, Corredor A-2
    ("19024", "Lucía", 1.0, 3.0),  # Alovera, Corredor A-2
    ("19071", "Ana", 2.0, 4.0),  # El Casar, Campiña
    ("19023", "Ana", 4.0, 6.0),  # Alocén, Alcarria Alta
    ("19021", "Ana", 3.0, 5.0),  # Almoguera, Alcarria Baja
    ("19044", "Pedro", 7.0, 7.0),  # Atienza, Sierra
    (MOLINA, "Pedro", 9.0, 8.0),  # Molina de Aragón
)


def month_of_pickups(seed: int = 18) -> tuple[Pickup, ...]:
    """Pickups on every weekday from the 9th to the end of :data:`MONTH`: four to seven a day
    from :data:`MONTH_VILLAGES`, one in 25 a no-show."""
    rng = random.Random(seed)
    days = [BOOKED_ON + dt.timedelta(days=n) for n in range(1, 24)]
    pickups = []
    for day in (d for d in days if d.weekday() < 5):
        for village, driver, mean, spread in rng.sample(MONTH_VILLAGES, rng.randint(4, 7)):
            if rng.random() < 0.04:
                pickups.append(Pickup(day, village, driver, None, StopStatus.NO_SHOW))
            else:
                pickups.append(Pickup(day, village, driver, round(rng.gauss(mean, spread))))
    return tuple(pickups)


def seed_on_time_days(
    session: Session, make: Factory, service_clock: ServiceClock,
    pickups: Sequence[Pickup] = PICKUPS,
) -> None:  # fmt: skip
    """Publish one plan per day whose routes (one per driver) carry ``pickups``, each
    promised at 09:00 + 20 min per trip of its day, marked at the promise + ``off_min``; and a
    superseded plan of the first day whose pickup, marked an hour late, must not count."""
    service_clock.at(BOOKED_ON, 12)
    names = sorted({pickup.driver for pickup in pickups} | {"Pedro"})
    drivers = {name: make.driver(first_name=name) for name in names}
    siguenza = make.place(SIGUENZA).id
    for day in sorted({pickup.day for pickup in pickups}):
        routes: dict[str, Route] = {}
        trips = [p for p in pickups if p.day == day]
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
