"""What drivers accepted and drove survives every later version of the day (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from rides import clock
from rides.booking.ride_requests import cancel_ride
from rides.driving.routes import accept_route, decline_route, record_stop
from rides.errors import Conflict
from rides.models import DayPlan, RouteStatus, StopKind, StopStatus
from rides.planning import commitments
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan, published_plan
from tests.factories import ATIENZA, GUADALAJARA, JADRAQUE, SIGUENZA, Factory, tomorrow

FAST = PlanSettings(time_limit=1.0)


@pytest.fixture
def day(session: Session, make: Factory) -> dt.date:
    """Two drivers around Sigüenza, five trips (one there and back): tomorrow."""
    for driver in (make.driver(), make.driver()):
        make.shift(driver, start_time=dt.time(7), end_time=dt.time(16))
    atienza, jadraque = make.place(ATIENZA).id, make.place(JADRAQUE).id
    make.request(origin_id=atienza, time=dt.time(10))
    make.request(origin_id=jadraque, time=dt.time(10, 30))
    make.request(origin_id=atienza, time=dt.time(11), return_time=dt.time(13))
    make.request(origin_id=make.place(SIGUENZA).id, destination_id=jadraque, time=dt.time(12))
    session.flush()
    return tomorrow()


@pytest.fixture
def on_the_day(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> dt.datetime:
    """The service's clock set to 07:30 on the planned day (marks belong to the day itself)."""
    moment = clock.local_datetime(day, dt.time(7, 30)).astimezone(dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


def _facts(plan: DayPlan, shift_id: int | None) -> list[tuple]:
    route = next(r for r in plan.routes if r.shift_id == shift_id)
    return [
        (s.request_id, s.kind, s.place_id, s.planned_at, s.status, s.marked_at) for s in route.stops
    ]


def test_an_accepted_and_started_route_is_kept_as_it_is_by_a_replan(
    session: Session, make: Factory, day: dt.date, on_the_day: dt.datetime
) -> None:
    """Issue 14, scenario 1: accept version 1, mark the first pickup done, book more, plan and
    publish again: the route is still accepted, with the same stops, times and done mark."""
    first = publish_plan(session, plan_day(session, day, FAST))
    route = next(r for r in first.routes if len(r.stops) >= 4)
    accept_route(session, route.driver, route.id)
    record_stop(session, route.driver, route.stops[0].id, StopStatus.DONE)
    before = _facts(first, route.shift_id)
    make.request(origin_id=make.place(GUADALAJARA).id, time=dt.time(12, 30))
    second = publish_plan(session, plan_day(session, day, FAST))
    assert second.version == 2 and published_plan(session, day) is second
    kept = next(r for r in second.routes if r.shift_id == route.shift_id)
    assert kept.status == RouteStatus.ACCEPTED and kept.driver_id == route.driver_id
    assert _facts(second, route.shift_id) == before
    assert kept.stops[0].status == StopStatus.DONE and kept.distance_m == route.distance_m


def test_a_draft_made_before_the_driver_answered_carries_the_answer_when_published(
    session: Session, day: dt.date, on_the_day: dt.datetime
) -> None:
    """Plan a draft, then the driver accepts version 1 and marks a stop; publishing the draft
    (same passengers for that driver) takes the acceptance and the mark along."""
    first = publish_plan(session, plan_day(session, day, FAST))
    draft = plan_day(session, day, FAST)
    route = next(r for r in first.routes if r.stops)
    accept_route(session, route.driver, route.id)
    record_stop(session, route.driver, route.stops[0].id, StopStatus.DONE)
    same = [(s.request_id, s.kind) for s in route.stops]
    drafted = next(r for r in draft.routes if r.shift_id == route.shift_id)
    assert [(s.request_id, s.kind) for s in drafted.stops] == same  # the seeded solver agrees
    publish_plan(session, draft)
    assert _facts(draft, route.shift_id) == _facts(first, route.shift_id)


def test_a_draft_that_would_change_an_accepted_route_is_refused(
    session: Session, day: dt.date, on_the_day: dt.datetime
) -> None:
    """If the draft gives the driver who has since accepted other passengers, publishing it
    is refused with a clear code, and version 1 stays published as it was."""
    first = publish_plan(session, plan_day(session, day, FAST))
    draft = plan_day(session, day, FAST)
    route = next(r for r in first.routes if len(r.stops) >= 4)
    drafted = next(r for r in draft.routes if r.shift_id == route.shift_id)
    drafted.stops = drafted.stops[:-1]  # as if the solver had moved the last stop elsewhere
    session.flush()
    accept_route(session, route.driver, route.id)
    with pytest.raises(commitments.CommitmentBroken) as refused:
        publish_plan(session, draft)
    assert refused.value.code == "commitment_broken"
    assert published_plan(session, day) is first


def test_a_rider_picked_up_cannot_cancel_and_the_route_stays_whole(
    session: Session, day: dt.date, on_the_day: dt.datetime
) -> None:
    """The rider picked up asks to cancel: refused (the route must drop off whoever it picked
    up: breach 4 of the day's property test); the pickup (done) and the drop-off stay, also
    through a re-plan. Another rider, not yet picked up, who cancels leaves the route."""
    plan = publish_plan(session, plan_day(session, day, FAST))
    route = next(r for r in plan.routes if len(r.stops) >= 4)
    accept_route(session, route.driver, route.id)
    picked = route.stops[0]
    record_stop(session, route.driver, picked.id, StopStatus.DONE)
    with pytest.raises(Conflict) as refused:
        cancel_ride(session, picked.request.rider, picked.request_id)
    assert refused.value.code == "started"
    left = {(s.request_id, s.kind) for s in route.stops if s.request_id == picked.request_id}
    assert left == {(picked.request_id, StopKind.PICKUP), (picked.request_id, StopKind.DROPOFF)}
    other = next(s for s in route.stops if s.request_id != picked.request_id)
    cancel_ride(session, other.request.rider, other.request_id)
    assert other.request_id not in {s.request_id for s in route.stops}
    again = publish_plan(session, plan_day(session, day, FAST))
    kept = next(r for r in again.routes if r.shift_id == route.shift_id)
    assert (picked.request_id, StopKind.PICKUP, StopStatus.DONE) in {
        (s.request_id, s.kind, s.status) for s in kept.stops
    }
    assert (picked.request_id, StopKind.DROPOFF) in {(s.request_id, s.kind) for s in kept.stops}


def test_breaches_name_a_missing_route_and_a_changed_mark(
    session: Session, day: dt.date, on_the_day: dt.datetime
) -> None:
    """The checker itself: a version without the accepted route, or with a mark undone behind
    the driver's back, is listed as a breach."""
    first = publish_plan(session, plan_day(session, day, FAST))
    route = next(r for r in first.routes if r.stops)
    accept_route(session, route.driver, route.id)
    record_stop(session, route.driver, route.stops[0].id, StopStatus.DONE)
    empty = DayPlan(date=day, version=99)
    assert commitments.breaches(first, empty) == [
        f"the accepted route of shift {route.shift_id} is missing"
    ]
    copy = DayPlan(
        date=day, version=99, routes=[k.to_route() for k in commitments.kept_routes(first)]
    )
    assert commitments.breaches(first, copy) == []
    copy.routes[0].stops[0].status = StopStatus.PLANNED
    assert any("was marked done and changed" in b for b in commitments.breaches(first, copy))


def test_a_draft_made_before_a_driver_declined_is_not_published(
    session: Session, day: dt.date
) -> None:
    """Found by the day's property test: version 2 was drafted, then a driver declined
    version 1; publishing version 2 offered that driver their route again. It is refused
    (plan again), and a fresh plan leaves the driver out."""
    first = publish_plan(session, plan_day(session, day, FAST))
    draft = plan_day(session, day, FAST)
    route = next(r for r in first.routes if r.stops)
    decline_route(session, route.driver, route.id)
    with pytest.raises(Conflict) as refused:
        publish_plan(session, draft)
    assert refused.value.code == "declined_since"
    assert published_plan(session, day) is first
    again = publish_plan(session, plan_day(session, day, FAST))
    assert route.driver_id not in {r.driver_id for r in again.routes}


def test_a_trip_cancelled_after_a_draft_was_made_is_not_published_with_it(
    session: Session, day: dt.date
) -> None:
    """Found by the day's property test (CI's full run): version 2 was drafted, then a rider
    cancelled; publishing version 2 put the cancelled passenger on a route, the driver accepted
    it, and the next plan (rightly leaving out a cancelled trip) changed the accepted route.
    A cancellation now takes the trip out of drafts too; the driver of a draft is told nothing."""
    publish_plan(session, plan_day(session, day, FAST))
    draft = plan_day(session, day, FAST)
    cancelled = next(s.request for r in draft.routes for s in r.stops)
    cancel_ride(session, cancelled.rider, cancelled.id)
    published = publish_plan(session, draft)
    riding = {s.request_id for r in published.routes for s in r.stops}
    assert cancelled.id not in riding
    route = next(r for r in published.routes if r.stops)
    accept_route(session, route.driver, route.id)
    accepted = _facts(published, route.shift_id)
    again = plan_day(session, day, FAST)
    assert _facts(again, route.shift_id) == accepted
