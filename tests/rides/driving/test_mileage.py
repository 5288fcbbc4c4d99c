"""Mileage for reimbursement: which routes count, per day and month, and the CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from rides import clock
from rides.driving.mileage import (
    mileage_by_driver,
    mileage_csv,
    mileage_log,
    next_month,
    previous_month,
)
from rides.models import (
    DayPlan,
    Person,
    PlanStatus,
    Route,
    RouteStatus,
    Stop,
    StopKind,
    StopStatus,
)
from tests.factories import Factory

MARCH = dt.date(2030, 3, 1)


def add_route(
    session: Session, driver: Person, day: dt.date, metres: int,
    status: RouteStatus = RouteStatus.ACCEPTED, plan_status: PlanStatus = PlanStatus.PUBLISHED,
    *, driven: bool = True,
) -> Route:  # fmt: skip
    """A route of ``metres`` in a plan of ``day`` (one plan per day and status), with one stop
    marked done when ``driven`` (no shift: its km are its planned distance)."""
    plan = session.query(DayPlan).filter_by(date=day, status=plan_status).one_or_none()
    if plan is None:
        version = session.query(DayPlan).filter_by(date=day).count() + 1
        plan = DayPlan(date=day, version=version, status=plan_status)
        session.add(plan)
    route = Route(driver_id=driver.id, status=status, distance_m=metres)
    if driven:
        trip = Factory(session).request()
        at = clock.local_datetime(day, dt.time(10))
        route.stops = [Stop(request_id=trip.id, kind=StopKind.PICKUP, place_id=trip.origin_id,
                            planned_at=at, position=0, status=StopStatus.DONE, marked_at=at,
                            marked_by_id=driver.id)]  # fmt: skip
    plan.routes.append(route)
    session.flush()
    return route


@pytest.fixture
def march(session: Session, make: Factory) -> tuple[Person, Person]:
    """Hand-made month: what counts for Javier is 12.345 + 7.655 km on 3 March and 40.05 km
    on 17 March (60.05 km, 3 driven routes); everything else must be left out."""
    javier, lucia = make.driver(first_name="Javier"), make.driver(first_name="Lucía")
    add_route(session, javier, dt.date(2030, 3, 3), 12_345)
    add_route(session, javier, dt.date(2030, 3, 3), 7_655, RouteStatus.COMPLETED)
    add_route(session, javier, dt.date(2030, 3, 17), 40_050)
    # Not driven, not his, not the current plan, or another month:
    add_route(session, javier, dt.date(2030, 3, 3), 33_000, driven=False)  # accepted, no mark
    add_route(session, javier, dt.date(2030, 3, 5), 50_000, RouteStatus.DECLINED)
    add_route(session, javier, dt.date(2030, 3, 6), 60_000, RouteStatus.OFFERED)
    add_route(session, javier, dt.date(2030, 3, 17), 70_000, plan_status=PlanStatus.SUPERSEDED)
    add_route(session, javier, dt.date(2030, 3, 18), 80_000, plan_status=PlanStatus.DRAFT)
    add_route(session, javier, dt.date(2030, 2, 28), 90_000)
    add_route(session, javier, dt.date(2030, 4, 1), 100_000)
    add_route(session, lucia, dt.date(2030, 3, 3), 21_000)
    return javier, lucia


def test_month_of_one_driver_day_by_day(session: Session, march) -> None:
    """Only routes of published plans of the month driven (a stop marked) count."""
    javier, _lucia = march
    log = mileage_log(session, javier.id, dt.date(2030, 3, 20))
    assert log.month == MARCH
    assert [(d.date, d.routes, d.distance_m, d.km) for d in log.days] == [
        (dt.date(2030, 3, 3), 2, 20_000, 20.0),
        (dt.date(2030, 3, 17), 1, 40_050, 40.1),
    ]
    assert (log.routes, log.distance_m, log.km) == (3, 60_050, 60.1)


def test_total_is_rounded_once_from_the_metres(session: Session, make: Factory) -> None:
    """Three days of 1.05 km show 1.1 each (halves up) but the month is 3.2 km (3.15 rounded
    once), not 3.3, the sum of rounded days."""
    driver = make.driver()
    for day in (1, 2, 3):
        add_route(session, driver, dt.date(2030, 3, day), 1_050)
    log = mileage_log(session, driver.id, MARCH)
    assert [d.km for d in log.days] == [1.1, 1.1, 1.1]
    assert log.distance_m == 3_150 and log.km == 3.2


def test_all_drivers_and_by_driver(session: Session, march) -> None:
    """The coordinators' views: everyone together, and one log per driver who drove."""
    javier, lucia = march
    everyone = mileage_log(session, None, MARCH)
    assert (everyone.routes, everyone.distance_m) == (4, 81_050)
    logs = mileage_by_driver(session, MARCH)
    assert set(logs) == {javier.id, lucia.id}
    assert logs[lucia.id].km == 21.0 and logs[javier.id].driver_id == javier.id


def test_empty_month(session: Session, march) -> None:
    """A month without driving has no days and zero kilometres."""
    javier, _ = march
    log = mileage_log(session, javier.id, dt.date(2030, 1, 15))
    assert (log.days, log.routes, log.km) == ([], 0, 0.0)


def test_csv_rows_and_total(session: Session, march) -> None:
    """One row per day with one decimal, then the total."""
    javier, _ = march
    text = mileage_csv(mileage_log(session, javier.id, MARCH))
    assert text.splitlines() == [
        "date,routes,km",
        "2030-03-03,2,20.0",
        "2030-03-17,1,40.1",
        "total,3,60.1",
    ]


def test_month_arithmetic() -> None:
    """Previous and next month across year ends."""
    assert next_month(dt.date(2030, 12, 31)) == dt.date(2031, 1, 1)
    assert previous_month(dt.date(2030, 1, 1)) == dt.date(2029, 12, 1)
    assert next_month(dt.date(2030, 1, 31)) == dt.date(2030, 2, 1)
