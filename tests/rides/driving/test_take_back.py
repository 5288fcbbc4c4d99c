"""Taking back a decline (issue 17): the route is the driver's again, accepted as offered,
while the plan that offered it is current and its day not over; a re-plan keeps it whole."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.booking.ride_requests import book_ride
from rides.driving.routes import decline_route, take_back_decline
from rides.errors import Conflict, NotFound
from rides.models import AuditEntry, PlanStatus, Route, RouteStatus
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.clocks import ServiceClock
from tests.factories import Factory

DAY = dt.date(2026, 12, 4)
FAST = PlanSettings(time_limit=1.0)


@pytest.fixture
def declined(session: Session, make: Factory, service_clock: ServiceClock) -> Route:
    """Javier's route of 4 December, offered on the 2nd and declined at once."""
    service_clock.at(DAY - dt.timedelta(days=2), 12)
    javier = make.driver(first_name="Javier")
    make.shift(javier, date=DAY, start_time=dt.time(7), end_time=dt.time(16))
    book_ride(session, make.newcomer(first_name="Amina"), make.ride_spec(date=DAY))
    plan = publish_plan(session, plan_day(session, DAY, FAST))
    (route,) = [r for r in plan.routes if r.stops]
    decline_route(session, javier, route.id, "flat tyre")
    return route


@pytest.mark.parametrize("days_before", [1, 0], ids=["day-before", "the-day"])
def test_taken_back_the_day_before_and_on_the_day(
    session: Session, declined: Route, service_clock: ServiceClock, days_before: int
) -> None:
    stops = [(s.request_id, s.planned_at) for s in declined.stops]
    service_clock.at(DAY - dt.timedelta(days=days_before), 23, 59)
    take_back_decline(session, declined.driver, declined.id)
    assert declined.status == RouteStatus.ACCEPTED
    assert [(s.request_id, s.planned_at) for s in declined.stops] == stops
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "take_back_decline"))
    assert entry.one().entity_id == declined.id


def test_refused_the_day_after(
    session: Session, declined: Route, service_clock: ServiceClock
) -> None:
    service_clock.at(DAY + dt.timedelta(days=1), 0)
    with pytest.raises(Conflict) as refused:
        take_back_decline(session, declined.driver, declined.id)
    assert refused.value.code == "day_over" and declined.status == RouteStatus.DECLINED


def test_a_re_plan_after_the_take_back_keeps_the_route_whole(
    session: Session, declined: Route, service_clock: ServiceClock
) -> None:
    """The decline asked for a re-plan; if it runs after the take-back, the accepted route
    and its confirmed times are carried into the new version."""
    take_back_decline(session, declined.driver, declined.id)
    stops = [(s.request_id, s.kind, s.planned_at) for s in declined.stops]
    new = publish_plan(session, plan_day(session, DAY, FAST))
    assert declined.plan.status == PlanStatus.SUPERSEDED
    (kept,) = [r for r in new.routes if r.driver_id == declined.driver_id]
    assert kept.status == RouteStatus.ACCEPTED
    assert [(s.request_id, s.kind, s.planned_at) for s in kept.stops] == stops


def test_refused_once_a_re_plan_is_published(session: Session, declined: Route) -> None:
    publish_plan(session, plan_day(session, DAY, FAST))
    with pytest.raises(Conflict) as refused:
        take_back_decline(session, declined.driver, declined.id)
    assert refused.value.code == "replanned" and declined.status == RouteStatus.DECLINED


def test_another_driver_cannot_take_it(session: Session, declined: Route, make: Factory) -> None:
    with pytest.raises(NotFound):
        take_back_decline(session, make.driver(first_name="Lucía"), declined.id)
    assert declined.status == RouteStatus.DECLINED
