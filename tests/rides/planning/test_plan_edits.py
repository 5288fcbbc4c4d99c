"""A coordinator changes the published plan by hand, and fits same-day requests into it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides import clock
from rides.driving.routes import accept_route, decline_route
from rides.errors import Conflict
from rides.models import (
    ChangeStatus,
    DayPlan,
    OutboxMessage,
    Person,
    RequestStatus,
    Route,
    RouteStatus,
)
from rides.planning import plan_edits, route_changes
from rides.planning.day_plans import (
    PlanSettings,
    plan_day,
    publish_plan,
    published_plan,
    replan_day,
)
from rides.planning.unserved_reasons import TAKEN_OFF
from tests.factories import ATIENZA, GUADALAJARA, JADRAQUE, SIGUENZA, Factory, tomorrow

FAST = PlanSettings(time_limit=1.0)


@pytest.fixture
def coordinator(make: Factory) -> Person:
    """The person making the changes."""
    return make.coordinator()


@pytest.fixture
def published(session: Session, make: Factory) -> DayPlan:
    """Two drivers from Sigüenza, four trips to its health centre, version 1 published."""
    for driver in (make.driver(), make.driver()):
        make.shift(driver, start_time=dt.time(7), end_time=dt.time(17))
    atienza, jadraque = make.place(ATIENZA).id, make.place(JADRAQUE).id
    make.request(origin_id=atienza, time=dt.time(10))
    make.request(origin_id=jadraque, time=dt.time(10, 30))
    make.request(origin_id=atienza, time=dt.time(12))
    make.request(origin_id=jadraque, time=dt.time(15))
    return publish_plan(session, plan_day(session, tomorrow(), FAST))


def _pickups(plan: DayPlan) -> dict[int, dt.datetime]:
    return {s.request_id: s.planned_at for r in plan.routes for s in r.stops if s.kind == "pickup"}


def _busy(plan: DayPlan) -> Route:
    return max(plan.routes, key=lambda r: len(r.stops))


def _messages(session: Session, kind: str, person: Person) -> int:
    query = select(OutboxMessage).where(
        OutboxMessage.kind == kind, OutboxMessage.recipient_id == person.id
    )
    return len(session.scalars(query).all())


def test_a_same_day_request_gets_options_best_first_and_one_is_published(
    session: Session, make: Factory, published: DayPlan, coordinator: Person
) -> None:
    """Fit into the published plan: options name the driver, added minutes and km and the
    pickup time; choosing one on an offered route publishes a new version at once, every
    other promised time unchanged, the rider told."""
    late = make.request(origin_id=make.place(SIGUENZA).id, destination_id=make.place(ATIENZA).id,
                        time=dt.time(13))  # fmt: skip
    options = plan_edits.fit_options(session, coordinator, late.id)
    assert options, "two drivers with free hours can take a short trip"
    keys = [(o.added_minutes, o.added_km) for o in options]
    assert keys == sorted(keys)
    choice = options[0]
    before = _pickups(published)
    outcome = plan_edits.assign(session, coordinator, late.id, choice.shift_id)
    assert outcome.plan is not None and outcome.proposal is None
    assert published_plan(session, tomorrow()) is outcome.plan
    after = _pickups(outcome.plan)
    assert {k: v for k, v in after.items() if k != late.id} == before
    assert late.status == RequestStatus.SCHEDULED and late.confirmed_pickup_at == after[late.id]
    assert after[late.id] == choice.pickup_at
    assert _messages(session, "pickup_confirmed", late.rider) == 1


def test_a_change_to_an_accepted_route_is_proposed_then_applied_when_the_driver_accepts(
    session: Session, make: Factory, published: DayPlan, coordinator: Person
) -> None:
    """The accepted version stands while the proposal waits; accepted, the rider is placed."""
    route = _busy(published)
    accept_route(session, route.driver, route.id)
    late = make.request(origin_id=make.place(SIGUENZA).id, destination_id=make.place(ATIENZA).id,
                        time=dt.time(13))  # fmt: skip
    options = {o.shift_id: o for o in plan_edits.fit_options(session, coordinator, late.id)}
    assert options[route.shift_id].accepted
    outcome = plan_edits.assign(session, coordinator, late.id, route.shift_id)
    assert outcome.plan is None and outcome.proposal is not None
    assert published_plan(session, tomorrow()) is published
    assert late.status == RequestStatus.REQUESTED
    new = route_changes.accept_change(session, route.driver, outcome.proposal.id)
    kept = next(r for r in new.routes if r.shift_id == route.shift_id)
    assert kept.status == RouteStatus.ACCEPTED and late.status == RequestStatus.SCHEDULED
    assert late.id in {s.request_id for s in kept.stops}
    assert outcome.proposal.status == ChangeStatus.ACCEPTED


def test_taking_a_trip_off_an_offered_route(
    session: Session, published: DayPlan, coordinator: Person
) -> None:
    """The trip waits with 'taken_off', the rider is told, the others keep their times."""
    route = _busy(published)
    gone = route.stops[0].request
    before = {k: v for k, v in _pickups(published).items() if k != gone.id}
    outcome = plan_edits.remove(session, coordinator, gone.id)
    assert outcome.plan is not None
    assert _pickups(outcome.plan) == before
    assert gone.status == RequestStatus.UNSERVED and gone.status_note == TAKEN_OFF
    assert _messages(session, "unserved", gone.rider) == 1


def test_moving_a_trip_between_offered_routes_and_not_from_an_accepted_one(
    session: Session, published: DayPlan, coordinator: Person
) -> None:
    """A move publishes both routes changed; from an accepted route it is refused with what
    to do instead."""
    source = _busy(published)
    target = next(r for r in published.routes if r is not source)
    moved = source.stops[-1].request
    outcome = plan_edits.move(session, coordinator, moved.id, target.shift_id)
    assert outcome.plan is not None
    on = {s.request_id: r.shift_id for r in outcome.plan.routes for s in r.stops}
    assert on[moved.id] == target.shift_id
    fresh = next(r for r in outcome.plan.routes if r.shift_id == target.shift_id)
    accept_route(session, fresh.driver, fresh.id)
    back = next(r for r in outcome.plan.routes if r.shift_id == source.shift_id)
    with pytest.raises(Conflict) as refused:
        plan_edits.move(session, coordinator, moved.id, back.shift_id)
    assert refused.value.code == "source_accepted"


def test_a_trip_of_a_declined_route_goes_to_another_driver_and_the_route_stays_declined(
    session: Session, make: Factory, published: DayPlan, coordinator: Person
) -> None:
    """Found by the day's property test: moving a trip off a route its driver declined
    crashed (the solver was asked for a trip it was not given), and taking one off offered
    the declined route to that driver again. Now the trip moves (the rider hears the new
    time) and the declined route only loses it; re-timing it is refused."""
    declined = _busy(published)
    decline_route(session, declined.driver, declined.id)
    free = make.shift(make.driver(), start_time=dt.time(7), end_time=dt.time(17))
    moved, gone = declined.stops[0].request, declined.stops[-1].request
    told = moved.confirmed_pickup_at
    outcome = plan_edits.move(session, coordinator, moved.id, free.id)
    assert outcome.plan is not None
    on = {s.request_id: r.shift_id for r in outcome.plan.routes for s in r.stops}
    assert on[moved.id] == free.id
    assert moved.confirmed_pickup_at == _pickups(outcome.plan)[moved.id]
    changed = int(moved.confirmed_pickup_at != told)
    assert _messages(session, "pickup_confirmed", moved.rider) == 1 + changed
    again = plan_edits.remove(session, coordinator, gone.id).plan
    assert again is not None
    (still,) = [r for r in again.routes if r.driver_id == declined.driver_id]
    assert still.status == RouteStatus.DECLINED
    assert {moved.id, gone.id}.isdisjoint(s.request_id for s in still.stops)
    riding = next(s.request for s in still.stops)
    with pytest.raises(Conflict) as refused:
        plan_edits.retime(session, coordinator, riding.id, dt.time(10))
    assert refused.value.code == "route_declined"


def test_a_driver_who_declined_is_not_given_a_trip_by_hand_after_a_replan(
    session: Session, make: Factory, published: DayPlan, coordinator: Person
) -> None:
    """Found by the day's property test: after the re-plan that follows a decline, the
    declined route is gone from the published plan, and fitting a trip offered that driver's
    shift again (their decline was read from the published plan only)."""
    declined = _busy(published)
    decline_route(session, declined.driver, declined.id)
    replanned = replan_day(session, tomorrow(), FAST)
    assert declined.driver_id not in {r.driver_id for r in replanned.routes}
    late = make.request(origin_id=make.place(SIGUENZA).id, destination_id=make.place(ATIENZA).id,
                        time=dt.time(13))  # fmt: skip
    options = plan_edits.fit_options(session, coordinator, late.id)
    assert declined.shift_id not in {o.shift_id for o in options}
    with pytest.raises(plan_edits.ChangeRefused):
        plan_edits.assign(session, coordinator, late.id, declined.shift_id or 0)


def test_a_pickup_moves_inside_its_window_and_not_outside(
    session: Session, make: Factory, coordinator: Person
) -> None:
    """Five minutes later, inside the rider's window, is re-timed and told; 03:00 is refused
    naming the window, and a refusal changes nothing."""
    make.shift(make.driver(), start_time=dt.time(7), end_time=dt.time(17))
    rider = make.request(origin_id=make.place(ATIENZA).id, time=dt.time(10), flexibility_min=30)
    published = publish_plan(session, plan_day(session, tomorrow(), FAST))
    planned = _pickups(published)[rider.id]
    later = (planned.astimezone(clock.LOCAL_TZ) + dt.timedelta(minutes=5)).time()
    with pytest.raises(plan_edits.ChangeRefused) as refused:
        plan_edits.retime(session, coordinator, rider.id, dt.time(3))
    assert refused.value.code == "change_refused" and "window" in refused.value.message
    assert published_plan(session, tomorrow()) is published
    outcome = plan_edits.retime(session, coordinator, rider.id, later)
    assert outcome.plan is not None
    moved = _pickups(outcome.plan)[rider.id]
    assert moved == planned + dt.timedelta(minutes=5) and rider.confirmed_pickup_at == moved
    assert _messages(session, "pickup_confirmed", rider.rider) == 2


def test_the_window_a_refusal_names_is_whole_minutes_the_coordinator_can_type(
    session: Session, make: Factory, coordinator: Person
) -> None:
    """Found by the browser test: a window from 08:31:20 was named "08:31 to ...", and 08:31
    typed back was refused. The named ends are whole minutes inside the window: both taken."""
    make.shift(make.driver(), start_time=dt.time(7), end_time=dt.time(17))
    rider = make.request(origin_id=make.place(ATIENZA).id, time=dt.time(10), flexibility_min=30)
    publish_plan(session, plan_day(session, tomorrow(), FAST))
    with pytest.raises(plan_edits.ChangeRefused) as refused:
        plan_edits.retime(session, coordinator, rider.id, dt.time(3))
    low, high = refused.value.params["low"], refused.value.params["high"]
    for end in (low, high):
        outcome = plan_edits.retime(session, coordinator, rider.id, dt.time.fromisoformat(end))
        assert outcome.plan is not None
        moved = _pickups(outcome.plan)[rider.id].astimezone(clock.LOCAL_TZ)
        assert moved.strftime("%H:%M") == end


def test_assigning_where_there_is_no_room_is_refused_with_the_reason(
    session: Session, make: Factory, published: DayPlan, coordinator: Person
) -> None:
    """A trip nobody can do in time (to the capital at 07:05) is refused for each driver."""
    hopeless = make.request(
        origin_id=make.place(ATIENZA).id, destination_id=make.place(GUADALAJARA).id,
        time=dt.time(7, 5),
    )  # fmt: skip
    assert plan_edits.fit_options(session, coordinator, hopeless.id) == []
    with pytest.raises(plan_edits.ChangeRefused) as refused:
        plan_edits.assign(session, coordinator, hopeless.id, published.routes[0].shift_id or 0)
    assert refused.value.fields == {"shift_id": "no room"}
    assert published_plan(session, tomorrow()) is published


def test_only_coordinators_change_plans(
    session: Session, make: Factory, published: DayPlan
) -> None:
    """A driver or a rider asking is refused."""
    from rides.errors import PermissionDenied

    request = _busy(published).stops[0].request
    with pytest.raises(PermissionDenied):
        plan_edits.remove(session, make.driver(), request.id)
