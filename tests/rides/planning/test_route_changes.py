"""Changes to an accepted route wait for its driver: accepted, declined, or stale (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.booking.ride_requests import cancel_ride
from rides.driving.routes import accept_route
from rides.errors import Conflict
from rides.models import (
    ChangeStatus,
    DayPlan,
    OutboxMessage,
    RequestStatus,
    Route,
    RouteStatus,
)
from rides.planning import route_changes
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan, published_plan
from rides.planning.route_changes import TimedRoute, TimedStop
from rides.planning.unserved_reasons import TAKEN_OFF
from tests.factories import ATIENZA, JADRAQUE, Factory, tomorrow

FAST = PlanSettings(time_limit=1.0)


@pytest.fixture
def accepted(session: Session, make: Factory) -> tuple[DayPlan, Route]:
    """One driver, three trips to Sigüenza, the route published and accepted."""
    make.shift(make.driver(), start_time=dt.time(7), end_time=dt.time(16))
    for place, at in ((ATIENZA, dt.time(10)), (JADRAQUE, dt.time(10, 30)), (ATIENZA, dt.time(12))):
        make.request(origin_id=make.place(place).id, time=at)
    plan = publish_plan(session, plan_day(session, tomorrow(), FAST))
    route = next(r for r in plan.routes if r.stops)
    accept_route(session, route.driver, route.id)
    return plan, route


def _without(route: Route, request_id: int) -> TimedRoute:
    """The route with one passenger taken off, the others at their times (a valid change)."""
    stops = tuple(
        TimedStop(s.request_id, s.kind, s.place_id, s.planned_at)
        for s in route.stops
        if s.request_id != request_id
    )
    return TimedRoute(route.shift_id or 0, stops, route.distance_m, route.start_at, route.end_at)


def test_the_accepted_route_stands_until_the_driver_accepts_the_change(
    session: Session, make: Factory, accepted: tuple[DayPlan, Route]
) -> None:
    """Proposed: the driver is told and nothing moves. Accepted: a new published version has
    the changed route, still accepted; the passenger taken off waits with a reason and is told."""
    plan, route = accepted
    gone = route.stops[-1].request
    coordinator = make.coordinator()
    change = route_changes.propose(
        session, coordinator, plan, _without(route, gone.id), kind="remove"
    )
    assert change.summary["removed"] == [gone.id] and change.status == ChangeStatus.PENDING
    assert published_plan(session, tomorrow()) is plan and gone.status == RequestStatus.SCHEDULED
    assert route_changes.pending_changes(session, route.driver, tomorrow()) == [change]
    kinds = set(session.scalars(select(OutboxMessage.kind)))
    assert "route_change" in kinds
    new = route_changes.accept_change(session, route.driver, change.id)
    assert new.version == plan.version + 1 and published_plan(session, tomorrow()) is new
    kept = next(r for r in new.routes if r.shift_id == route.shift_id)
    assert kept.status == RouteStatus.ACCEPTED
    assert gone.id not in {s.request_id for s in kept.stops}
    assert gone.status == RequestStatus.UNSERVED and gone.status_note == TAKEN_OFF
    assert {u.request_id: u.reason for u in new.unserved}[gone.id] == TAKEN_OFF
    assert change.status == ChangeStatus.ACCEPTED
    assert route_changes.pending_changes(session, route.driver, tomorrow()) == []


def test_a_declined_change_leaves_the_route_and_tells_the_coordinators(
    session: Session, make: Factory, accepted: tuple[DayPlan, Route]
) -> None:
    """The driver keeps their accepted route; coordinators hear it with the reason."""
    plan, route = accepted
    coordinator = make.coordinator()
    timed = _without(route, route.stops[0].request_id)
    change = route_changes.propose(session, coordinator, plan, timed, kind="remove")
    route_changes.decline_change(session, route.driver, change.id, "too far")
    assert change.status == ChangeStatus.DECLINED
    assert published_plan(session, tomorrow()) is plan
    told = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "route_change_declined")
    ).all()
    assert [m.recipient_id for m in told] == [coordinator.id]
    with pytest.raises(Conflict) as again:
        route_changes.accept_change(session, route.driver, change.id)
    assert again.value.code == "already_answered"


def test_a_change_made_for_a_route_that_changed_since_is_stale(
    session: Session, make: Factory, accepted: tuple[DayPlan, Route]
) -> None:
    """A rider cancels after the proposal: the proposal no longer describes the driver's
    route, so accepting it is refused and the proposal is superseded."""
    plan, route = accepted
    first, last = route.stops[0].request, route.stops[-1].request
    change = route_changes.propose(
        session, make.coordinator(), plan, _without(route, last.id), kind="remove"
    )
    cancel_ride(session, first.rider, first.id)
    with pytest.raises(Conflict) as stale:
        route_changes.accept_change(session, route.driver, change.id)
    assert stale.value.code == "stale_change"
    assert change.status == ChangeStatus.SUPERSEDED


def test_only_the_driver_answers_and_only_their_own(
    session: Session, make: Factory, accepted: tuple[DayPlan, Route]
) -> None:
    """Another driver cannot see it (404); a coordinator sees it but cannot answer for them."""
    from rides.errors import NotFound

    plan, route = accepted
    coordinator = make.coordinator()
    change = route_changes.propose(
        session, coordinator, plan, _without(route, route.stops[0].request_id), kind="remove"
    )
    with pytest.raises(NotFound):
        route_changes.get_change(session, make.driver(), change.id)
    with pytest.raises(Conflict):
        route_changes.accept_change(session, coordinator, change.id)


def test_a_change_is_only_proposed_for_an_accepted_route(session: Session, make: Factory) -> None:
    """An offered route is changed directly by the coordinator, never through a proposal."""
    make.shift(make.driver(), start_time=dt.time(7), end_time=dt.time(16))
    make.request(origin_id=make.place(ATIENZA).id, time=dt.time(10))
    plan = publish_plan(session, plan_day(session, tomorrow(), FAST))
    route = next(r for r in plan.routes if r.stops)
    with pytest.raises(Conflict) as refused:
        route_changes.propose(session, make.coordinator(), plan, _without(route, 0), kind="retime")
    assert refused.value.code == "not_accepted"
