"""A small month computed by hand, shared by the report service and report page tests."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from rides import clock
from rides.models import (
    DayPlan,
    PlanStatus,
    Purpose,
    RequestStatus,
    Route,
    RouteStatus,
    Stop,
    StopKind,
    StopStatus,
    TimeKind,
)
from tests.factories import ATIENZA, GUADALAJARA, JADRAQUE, SIGUENZA, Factory, tomorrow


@pytest.fixture
def report_month(session: Session, make: Factory) -> str:
    """Five trips, one driven route (50 km: a no-show, a trip carried), one accepted route not
    driven yet and one declined route, all on one day (one literal day, long because every row
    the report counts is spelled out here)."""
    day = tomorrow()
    at = lambda h, m: clock.local_datetime(day, dt.time(h, m))  # noqa: E731
    atienza, jadraque = make.place(ATIENZA).id, make.place(JADRAQUE).id
    r1 = make.request(origin_id=atienza, time=dt.time(10, 30), children=1, purpose=Purpose.HEALTH)
    r2 = make.request(
        origin_id=jadraque,
        time=dt.time(12),
        adults=2,
        purpose=Purpose.SHOPPING,
        time_kind=TimeKind.LEAVE_AFTER,
    )
    r3 = make.request(origin_id=atienza, time=dt.time(11), purpose=Purpose.HEALTH)
    r4 = make.request(
        origin_id=atienza,
        destination_id=make.place(GUADALAJARA).id,
        time=dt.time(9, 30),
        purpose=Purpose.ADMINISTRATION,
    )
    r5 = make.request(origin_id=jadraque, time=dt.time(9), purpose=Purpose.TRAINING_WORK)
    for request, status in (
        (r1, RequestStatus.DONE),
        (r2, RequestStatus.SCHEDULED),
        (r3, RequestStatus.UNSERVED),
        (r4, RequestStatus.CANCELLED),
        (r5, RequestStatus.NO_SHOW),
    ):
        request.status = status
    r3.status_note = "no_wheelchair_place"
    siguenza = make.place(SIGUENZA).id
    driver = make.driver()

    def stop(request, kind, place, when, position, status=StopStatus.PLANNED):
        marked = status != StopStatus.PLANNED
        return Stop(request=request, kind=kind, place_id=place, planned_at=when, position=position,
                    status=status, marked_at=when if marked else None,
                    marked_by_id=driver.id if marked else None)  # fmt: skip

    plan = DayPlan(
        date=day,
        version=1,
        status=PlanStatus.PUBLISHED,
        routes=[
            # Driven: r5 was not at the pickup (the drop-off not needed), r1 was carried.
            Route(
                driver=driver,
                status=RouteStatus.COMPLETED,
                distance_m=50_000,
                stops=[
                    stop(r5, StopKind.PICKUP, jadraque, at(8, 20), 0, StopStatus.NO_SHOW),
                    stop(r5, StopKind.DROPOFF, siguenza, at(8, 50), 1, StopStatus.SKIPPED),
                    stop(r1, StopKind.PICKUP, atienza, at(9, 40), 2, StopStatus.DONE),
                    stop(r1, StopKind.DROPOFF, siguenza, at(10, 20), 3, StopStatus.DONE),
                ],
            ),
            # Accepted, not driven yet: its 30 km do not count.
            Route(
                driver=driver,
                status=RouteStatus.ACCEPTED,
                distance_m=30_000,
                stops=[
                    stop(r2, StopKind.PICKUP, jadraque, at(12, 6), 0),
                    stop(r2, StopKind.DROPOFF, siguenza, at(12, 40), 1),
                ],
            ),
            Route(driver=driver, status=RouteStatus.DECLINED, distance_m=99_000),
        ],
    )
    session.add(plan)
    session.flush()
    return day.strftime("%Y-%m")
