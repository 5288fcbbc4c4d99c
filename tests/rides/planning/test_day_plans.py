"""Planning a day from the database, publishing it, and re-planning around what was agreed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import matching
from rides import clock
from rides.booking.ride_requests import book_ride, cancel_ride
from rides.driving.routes import accept_route, decline_route, record_stop
from rides.errors import Conflict
from rides.messaging import notifications
from rides.models import (
    DayPlan,
    OutboxMessage,
    PlanStatus,
    Purpose,
    RequestStatus,
    RouteStatus,
    StopKind,
    StopStatus,
    TimeKind,
)
from rides.planning.day_plans import (
    PlanSettings,
    Progress,
    days_needing_replan,
    plan_day,
    publish_plan,
    published_plan,
    replan_day,
)
from rides.planning.solver_input import build_problem
from tests.factories import ATIENZA, GUADALAJARA, JADRAQUE, SIGUENZA, Factory, tomorrow

FAST = PlanSettings(time_limit=1.0)


@pytest.fixture
def day_with_two_drivers(session: Session, make: Factory):
    """Two drivers around Sigüenza and four trips to its health centre and back home."""
    drivers = [make.driver(languages=("ar",)), make.driver()]
    for driver in drivers:
        make.shift(driver, start_time=dt.time(7), end_time=dt.time(15))
    requests = [
        make.request(origin_id=make.place(ATIENZA).id, time=dt.time(10), purpose=Purpose.HEALTH),
        make.request(origin_id=make.place(JADRAQUE).id, time=dt.time(10, 30)),
        make.request(
            origin_id=make.place(ATIENZA).id,
            destination_id=make.place(JADRAQUE).id,
            time=dt.time(9),
            time_kind=TimeKind.LEAVE_AFTER,
        ),
        make.request(
            origin_id=make.place(SIGUENZA).id,
            destination_id=make.place(ATIENZA).id,
            time=dt.time(12),
            time_kind=TimeKind.LEAVE_AFTER,
        ),
    ]
    session.flush()
    return drivers, requests


def test_plan_day_serves_every_feasible_request(session: Session, day_with_two_drivers) -> None:
    """A draft plan with routes whose stops cover every request, pickup before drop-off."""
    _drivers, requests = day_with_two_drivers
    plan = plan_day(session, tomorrow(), FAST)
    assert plan.status == PlanStatus.DRAFT and plan.version == 1
    assert plan.served_count == 4 and plan.unserved == []
    seen = {}
    for route in plan.routes:
        assert route.status == RouteStatus.OFFERED
        for stop in route.stops:
            seen.setdefault(stop.request_id, []).append((stop.kind, stop.planned_at))
    assert set(seen) == {r.id for r in requests}
    for stops in seen.values():
        assert [kind for kind, _ in stops] == [StopKind.PICKUP, StopKind.DROPOFF]
        assert stops[0][1] < stops[1][1]
    assert plan.figures["served"] == 4 and plan.distance_m > 0


def test_arrive_by_is_respected(session: Session, day_with_two_drivers) -> None:
    """The rider who must be at Sigüenza by 10:00 is dropped off by then, at most 30 min early."""
    _drivers, requests = day_with_two_drivers
    plan = plan_day(session, tomorrow(), FAST)
    dropoff = next(
        s
        for r in plan.routes
        for s in r.stops
        if s.request_id == requests[0].id and s.kind == StopKind.DROPOFF
    )
    local = dropoff.planned_at.astimezone(clock.LOCAL_TZ)
    target = dt.datetime.combine(tomorrow(), dt.time(10), tzinfo=clock.LOCAL_TZ)
    assert target - dt.timedelta(minutes=30) <= local <= target


def test_the_built_problem_passes_the_validator(session: Session, day_with_two_drivers) -> None:
    """Solving the same problem again gives a solution the independent checker accepts."""
    from rides.booking.ride_requests import list_day_requests
    from rides.driving.availability import shifts_on

    built = build_problem(
        tomorrow(), list_day_requests(session, tomorrow()), shifts_on(session, tomorrow())
    )
    solution = matching.solve(built.problem, time_limit=1.0)
    assert matching.validate(built.problem, solution) == []


def test_publish_confirms_pickups_and_writes_the_outbox(
    session: Session, day_with_two_drivers
) -> None:
    """Riders get a confirmed pickup time and a message in their language; drivers an offer."""
    _drivers, requests = day_with_two_drivers
    plan = publish_plan(session, plan_day(session, tomorrow(), FAST))
    assert plan.status == PlanStatus.PUBLISHED
    for request in requests:
        assert request.status == RequestStatus.SCHEDULED
        assert request.confirmed_pickup_at is not None
    kinds = [m.kind for m in session.scalars(select(OutboxMessage))]
    assert kinds.count("pickup_confirmed") == 4
    assert kinds.count("route_offered") == len([r for r in plan.routes if r.stops])
    assert len(notifications.pending(session)) == len(kinds)


def test_republishing_supersedes_and_never_notifies_twice(
    session: Session, day_with_two_drivers
) -> None:
    """A second version replaces the first; unchanged pickups send no second message."""
    _drivers, requests = day_with_two_drivers
    first = publish_plan(session, plan_day(session, tomorrow(), FAST))
    confirmed = {r.id: r.confirmed_pickup_at for r in requests}
    second = publish_plan(session, plan_day(session, tomorrow(), FAST))
    assert first.status == PlanStatus.SUPERSEDED and second.status == PlanStatus.PUBLISHED
    assert published_plan(session, tomorrow()) is second
    keys = [m.dedup_key for m in session.scalars(select(OutboxMessage))]
    for request in requests:
        sent = [k for k in keys if k.startswith(f"pickup:{request.id}:")]
        expected = 1 if request.confirmed_pickup_at == confirmed[request.id] else 2
        assert len(sent) == expected


def test_only_the_newest_draft_can_be_published(session: Session, day_with_two_drivers) -> None:
    """Publishing an old draft, or a plan twice, is a conflict and changes nothing."""
    old = plan_day(session, tomorrow(), FAST)
    new = plan_day(session, tomorrow(), FAST)
    with pytest.raises(Conflict) as caught:
        publish_plan(session, old)
    assert caught.value.code == "stale_plan"
    publish_plan(session, new)
    with pytest.raises(Conflict):
        publish_plan(session, new)
    assert old.status == PlanStatus.DRAFT


def test_unservable_request_gets_a_reason(session: Session, make: Factory) -> None:
    """A wheelchair user with no wheelchair car is unserved with that reason, and told so."""
    make.shift(make.driver())
    request = make.request(wheelchair=True)
    plan = publish_plan(session, plan_day(session, tomorrow(), FAST))
    assert [(u.request_id, u.reason) for u in plan.unserved] == [
        (request.id, matching.Reason.NO_WHEELCHAIR_PLACE.value)
    ]
    assert request.status == RequestStatus.UNSERVED
    assert request.status_note == "no_wheelchair_place"
    assert [m.kind for m in session.scalars(select(OutboxMessage))] == ["unserved"]


def test_outward_and_return_are_served_together(session: Session, make: Factory) -> None:
    """A trip there and back is planned as a pair on the day."""
    make.shift(make.driver(), start_time=dt.time(7), end_time=dt.time(18))
    outward, back = book_ride(session, make.newcomer(), make.ride_spec(return_time=dt.time(13)))
    plan = plan_day(session, tomorrow(), FAST)
    served = {s.request_id for r in plan.routes for s in r.stops}
    assert served == {outward.id, back.id}


def test_accepted_route_survives_a_replan_after_a_late_request(
    session: Session, day_with_two_drivers, make: Factory
) -> None:
    """Same driver, same passengers, same order; the late request is served too."""
    publish_plan(session, plan_day(session, tomorrow(), FAST))
    plan = published_plan(session, tomorrow())
    route = next(r for r in plan.routes if r.stops)
    accept_route(session, route.driver, route.id)
    sequence = [(s.request_id, s.kind) for s in route.stops]
    late = make.request(origin_id=make.place(GUADALAJARA).id, time=dt.time(11, 30))
    assert days_needing_replan(session, tomorrow()) == [tomorrow()]
    new = replan_day(session, tomorrow(), FAST)
    kept = next(r for r in new.routes if r.driver_id == route.driver_id)
    assert [(s.request_id, s.kind) for s in kept.stops] == sequence
    assert kept.status == RouteStatus.ACCEPTED
    assert late.status in (RequestStatus.SCHEDULED, RequestStatus.UNSERVED)
    assert days_needing_replan(session, tomorrow()) == []


def test_decline_replans_without_that_driver(session: Session, day_with_two_drivers) -> None:
    """After a decline the day is flagged and the new plan offers that driver nothing."""
    plan = publish_plan(session, plan_day(session, tomorrow(), FAST))
    route = next(r for r in plan.routes if r.stops)
    decline_route(session, route.driver, route.id, "car broke down")
    assert days_needing_replan(session, tomorrow()) == [tomorrow()]
    new = replan_day(session, tomorrow(), FAST)
    assert route.driver_id not in {r.driver_id for r in new.routes}


def test_answering_a_route_twice_is_a_conflict(session: Session, day_with_two_drivers) -> None:
    """Accepting an accepted route, or another driver's, is refused."""
    plan = publish_plan(session, plan_day(session, tomorrow(), FAST))
    route = next(r for r in plan.routes if r.stops)
    accept_route(session, route.driver, route.id)
    with pytest.raises(Conflict):
        accept_route(session, route.driver, route.id)
    drivers, _ = day_with_two_drivers
    other = next(d for d in drivers if d.id != route.driver_id)
    from rides.errors import NotFound

    with pytest.raises(NotFound):
        decline_route(session, other, route.id)


def test_cancelling_a_scheduled_trip_removes_only_its_stops(
    session: Session, day_with_two_drivers
) -> None:
    """The cancelled rider's stops go; everyone else's stay at their times."""
    _drivers, requests = day_with_two_drivers
    plan = publish_plan(session, plan_day(session, tomorrow(), FAST))
    before = {
        s.id: s.planned_at for r in plan.routes for s in r.stops if s.request_id != requests[1].id
    }
    cancel_ride(session, requests[1].rider, requests[1].id)
    session.expire_all()
    plan = published_plan(session, tomorrow())
    after = {s.id: s.planned_at for r in plan.routes for s in r.stops}
    assert after == before


def test_stops_on_the_day(session: Session, day_with_two_drivers, service_clock) -> None:
    """A no-show at pickup marks the trip no-show; drop-offs done complete the route."""
    plan = publish_plan(session, plan_day(session, tomorrow(), FAST))
    route = next(r for r in plan.routes if len(r.stops) >= 4)
    accept_route(session, route.driver, route.id)
    service_clock.at(plan.date, 9)  # stops are marked on the route's day
    absent = route.stops[0]
    record_stop(session, route.driver, absent.id, StopStatus.NO_SHOW, "not there")
    assert absent.request.status == RequestStatus.NO_SHOW
    for stop in route.stops:
        if stop.status == StopStatus.PLANNED:
            record_stop(session, route.driver, stop.id, StopStatus.DONE)
    assert route.status == RouteStatus.COMPLETED
    done = {s.request for s in route.stops if s.request_id != absent.request_id}
    assert all(r.status == RequestStatus.DONE for r in done)
    with pytest.raises(Conflict):
        record_stop(session, route.driver, route.stops[1].id, StopStatus.DONE)


def test_only_one_published_plan_per_day_in_the_database(session: Session, make: Factory) -> None:
    """The partial unique index backs publish_plan: two published versions cannot coexist."""
    from sqlalchemy.exc import IntegrityError

    session.add_all(
        [
            DayPlan(date=tomorrow(), version=1, status=PlanStatus.PUBLISHED),
            DayPlan(date=tomorrow(), version=2, status=PlanStatus.PUBLISHED),
        ]
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_drivers_lose_sight_of_passengers_after_the_day(
    session: Session, day_with_two_drivers, make: Factory
) -> None:
    """Once the day after the route is over a driver's route (and its passengers) is no longer
    readable by them; coordinators still see it."""
    from rides.driving.routes import get_route, routes_of
    from rides.errors import NotFound

    plan = publish_plan(session, plan_day(session, tomorrow(), FAST))
    route = next(r for r in plan.routes if r.stops)
    plan.date = clock.today() - dt.timedelta(days=2)
    session.flush()
    with pytest.raises(NotFound):
        get_route(session, route.id, route.driver)
    assert routes_of(session, plan.date, route.driver) == []
    coordinator = make.coordinator()
    assert get_route(session, route.id, coordinator) is route


def test_a_large_day_goes_to_the_area_solver(session: Session, day_with_two_drivers) -> None:
    """At or above ``large_day`` requests plan_day uses solve_large; the plan is as valid, and
    the caller hears of each phase and of the served count as the search improves it."""
    seen: list[Progress] = []
    settings = PlanSettings(time_limit=2.0, large_day=1, workers=1)
    plan = plan_day(session, tomorrow(), settings, progress=seen.append)
    assert plan.served_count == 4
    assert seen[0] == Progress("solving", 4, None) and seen[-1] == Progress("saving", 4, 4)
    assert any(p.phase == "solving" and p.served is not None for p in seen)


def test_a_late_evening_trip_is_reported_not_a_crash(session: Session, make: Factory) -> None:
    """A 'leave after 23:50' trip whose arrival is past midnight is unserved with a reason
    (it once made the problem builder raise)."""
    make.shift(make.driver())
    late = make.request(time=dt.time(23, 50), time_kind=TimeKind.LEAVE_AFTER)
    plan = plan_day(session, tomorrow(), FAST)
    assert [(u.request_id, u.reason) for u in plan.unserved] == [
        (late.id, matching.Reason.NO_SHIFT_COVERS_WINDOW.value)
    ]


def test_two_plans_of_a_day_at_once_conflict_cleanly(
    engine, session: Session, day_with_two_drivers
) -> None:
    """Two sessions planning the same day at the same moment: each either stores its own
    version or gets a Conflict naming the race, never a database error; versions stay unique."""
    import threading

    from rides.db import make_sessionmaker

    session.commit()
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def plan() -> None:
        mine = make_sessionmaker(engine)()
        try:
            barrier.wait()
            plan_day(mine, tomorrow(), FAST)
            mine.commit()
            outcomes.append("stored")
        except Conflict as error:
            mine.rollback()
            outcomes.append(error.code)
        finally:
            mine.close()

    threads = [threading.Thread(target=plan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) in (["planning_in_progress", "stored"], ["stored", "stored"])
    versions = sorted(p.version for p in session.scalars(select(DayPlan)))
    assert versions == list(range(1, len(versions) + 1))
