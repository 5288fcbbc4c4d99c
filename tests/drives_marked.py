"""Drives marked in the database on a known "true" road time, for calibration from the marks."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy.orm import Session

import geo
from rides import clock
from rides.models import DayPlan, PlanStatus, Route, RouteStatus, Stop, StopKind, StopStatus
from tests.factories import ATIENZA, GUADALAJARA, JADRAQUE, MOLINA, SIGUENZA, Factory, tomorrow

TOWNS = (ATIENZA, GUADALAJARA, JADRAQUE, MOLINA, SIGUENZA)
#: The roads are this much slower than the embedded model says.
SLOWER = 1.3
#: What planning's rules take for a plain pickup (boarding).
BOARDING_S = 120


def true_seconds(origin: str, destination: str) -> float:
    """The hidden road time: the model's, slower."""
    towns = [geo.municipality(origin), geo.municipality(destination)]
    return float(geo.ModelProvider().matrix(towns).time_s[0, 1]) * SLOWER


def seed_marked_drives(session: Session, make: Factory) -> list[tuple[str, str, float]]:
    """One published plan with a completed route per ordered pair of towns, both stops marked
    done at the true time; plus one route whose drop-off nobody marked (no leg). Returns the
    legs expected: (from, to, seconds)."""
    day = tomorrow()
    driver = make.driver()
    routes, expected = [], []
    for number, (a, b) in enumerate(itertools.permutations(TOWNS, 2)):
        origin, destination = make.place(a), make.place(b)
        request = make.request(origin_id=origin.id, destination_id=destination.id)
        start = clock.local_datetime(day, dt.time(8)) + dt.timedelta(minutes=number)
        seconds = true_seconds(a, b)
        arrive = start + dt.timedelta(seconds=BOARDING_S + seconds)
        stops = [
            _stop(request, StopKind.PICKUP, origin.id, start, 0, driver.id),
            _stop(request, StopKind.DROPOFF, destination.id, arrive, 1, driver.id),
        ]
        routes.append(Route(driver=driver, status=RouteStatus.COMPLETED, stops=stops))
        expected.append((a, b, seconds))
    lone = make.request(origin_id=make.place(ATIENZA).id)
    at = clock.local_datetime(day, dt.time(9))
    unmarked = _stop(lone, StopKind.DROPOFF, make.place(SIGUENZA).id, at, 1, None)
    routes.append(
        Route(
            driver=driver,
            status=RouteStatus.COMPLETED,
            stops=[_stop(lone, StopKind.PICKUP, lone.origin_id, at, 0, driver.id), unmarked],
        )
    )
    session.add(DayPlan(date=day, version=1, status=PlanStatus.PUBLISHED, routes=routes))
    session.flush()
    return expected


def _stop(request, kind, place_id, when, position, marked_by):  # type: ignore[no-untyped-def]
    marked = marked_by is not None
    return Stop(
        request=request, kind=kind, place_id=place_id, planned_at=when, position=position,
        status=StopStatus.DONE if marked else StopStatus.PLANNED,
        marked_at=when if marked else None, marked_by_id=marked_by,
    )  # fmt: skip
