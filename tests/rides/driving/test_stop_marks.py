"""Marking stops on the day (issue 14): only on the route's own day in Madrid, no-show skips
the drop-off, every mark recorded and undoable for ten minutes, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.driving.routes import (
    UNDO_WINDOW,
    record_stop,
    undo_stop,
    undoable_until,
)
from rides.errors import Conflict, NotFound
from rides.models import (
    AuditEntry,
    PlanStatus,
    RequestStatus,
    RouteStatus,
    StopKind,
    StopStatus,
)
from tests.clocks import ServiceClock
from tests.factories import Factory

#: An ordinary winter day (the 4 December of issue 14), and Madrid's two DST change days.
DECEMBER_4 = dt.date(2026, 12, 4)
SPRING_FORWARD = dt.date(2026, 3, 29)
FALL_BACK = dt.date(2026, 10, 25)
DAYS = pytest.mark.parametrize(
    "day", [DECEMBER_4, SPRING_FORWARD, FALL_BACK], ids=["4-december", "29-march", "25-october"]
)
PICKUP, DROPOFF = StopKind.PICKUP, StopKind.DROPOFF


def _audit(session: Session, action: str) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    return list(session.scalars(query))


@DAYS
def test_stops_are_marked_on_the_route_day_only(
    session: Session, accepted_route, service_clock: ServiceClock, day: dt.date
) -> None:
    """The day before (at noon, and one second before midnight in Madrid, already the day in
    no time zone but UTC+1/+2's) is refused; from Madrid's midnight (still the day before in
    UTC) to 23:59 it is allowed; from the next midnight (still the day in UTC) refused again."""
    made = accepted_route(day)
    pickup = made.stop(made.amina, PICKUP)
    for moment in (dt.datetime.combine(day - dt.timedelta(days=1), dt.time(12)),
                   dt.datetime.combine(day, dt.time(0)) - dt.timedelta(seconds=1)):  # fmt: skip
        service_clock.at(moment.date(), moment.hour, moment.minute)
        service_clock.advance(seconds=moment.second)
        with pytest.raises(Conflict) as refused:
            record_stop(session, made.driver, pickup.id, StopStatus.DONE)
        assert refused.value.code == "not_route_day"
        assert pickup.status == StopStatus.PLANNED and pickup.marked_at is None
    midnight = service_clock.at(day, 0)
    assert midnight.date() == day - dt.timedelta(days=1)  # UTC is still the day before
    record_stop(session, made.driver, pickup.id, StopStatus.DONE)
    assert pickup.status == StopStatus.DONE and pickup.marked_at == midnight
    service_clock.at(day, 23, 59)
    dropoff = made.stop(made.amina, DROPOFF)
    record_stop(session, made.driver, dropoff.id, StopStatus.DONE)
    after = service_clock.at(day + dt.timedelta(days=1), 0)
    assert after.date() == day  # UTC is still the day
    ioana = made.stop(made.ioana, PICKUP)
    coordinator = Factory(session).coordinator()
    for actor in (made.driver, coordinator):  # the driver reads the route until the day after
        with pytest.raises(Conflict) as refused:
            record_stop(session, actor, ioana.id, StopStatus.DONE)
        assert refused.value.code == "not_route_day"
    service_clock.at(day + dt.timedelta(days=2), 0)
    with pytest.raises(NotFound):  # then no longer (privacy)
        record_stop(session, made.driver, ioana.id, StopStatus.DONE)


def test_a_mark_records_when_and_who(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """marked_at is the service clock's now, marked_by the actor; the audit log has it; a
    coordinator's mark is theirs; a stop is marked once."""
    made = accepted_route(DECEMBER_4)
    at = service_clock.at(DECEMBER_4, 10, 5)
    pickup = record_stop(session, made.driver, made.stop(made.amina, PICKUP).id, StopStatus.DONE,
                         "on time")  # fmt: skip
    assert (pickup.marked_at, pickup.marked_by_id, pickup.note) == (at, made.driver.id, "on time")
    coordinator = Factory(session).coordinator()
    dropoff = record_stop(session, coordinator, made.stop(made.amina, DROPOFF).id, StopStatus.DONE)
    assert dropoff.marked_by_id == coordinator.id
    assert made.amina.status == RequestStatus.DONE
    entries = _audit(session, "done")
    assert [(e.actor_id, e.entity_id) for e in entries] == [
        (made.driver.id, pickup.id), (coordinator.id, dropoff.id)
    ]  # fmt: skip
    with pytest.raises(Conflict) as twice:
        record_stop(session, made.driver, pickup.id, StopStatus.DONE)
    assert twice.value.code == "already_recorded"


def test_a_route_not_accepted_or_not_published_cannot_be_marked(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """On the day, an offered route and a route of a superseded plan are refused."""
    made = accepted_route(DECEMBER_4)
    service_clock.at(DECEMBER_4, 9)
    stop = made.stop(made.amina, PICKUP)
    made.route.status = RouteStatus.OFFERED
    with pytest.raises(Conflict) as offered:
        record_stop(session, made.driver, stop.id, StopStatus.DONE)
    assert offered.value.code == "route_not_accepted"
    made.route.status = RouteStatus.ACCEPTED
    made.route.plan.status = PlanStatus.SUPERSEDED
    with pytest.raises(Conflict) as stale:
        record_stop(session, made.driver, stop.id, StopStatus.DONE)
    assert stale.value.code == "stale_plan"


def test_a_pickup_no_show_skips_the_drop_off(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """The pickup is a no-show, the drop-off "skipped" (not needed, not a second no-show), the
    trip a no-show with the driver's note; the rest of the route goes on and completes."""
    made = accepted_route(DECEMBER_4)
    at = service_clock.at(DECEMBER_4, 10, 2)
    pickup, dropoff = made.stop(made.amina, PICKUP), made.stop(made.amina, DROPOFF)
    record_stop(session, made.driver, pickup.id, StopStatus.NO_SHOW, "waited 10 min")
    assert (pickup.status, dropoff.status) == (StopStatus.NO_SHOW, StopStatus.SKIPPED)
    assert (dropoff.marked_at, dropoff.marked_by_id) == (at, made.driver.id)
    assert made.amina.status == RequestStatus.NO_SHOW
    assert made.amina.status_note == "waited 10 min"
    (entry,) = _audit(session, "no_show")
    assert entry.changes["skipped"] == [dropoff.id]
    with pytest.raises(Conflict) as skipped:
        record_stop(session, made.driver, dropoff.id, StopStatus.DONE)
    assert skipped.value.code == "already_recorded"
    with pytest.raises(Conflict) as not_a_pickup:
        record_stop(session, made.driver, made.stop(made.ioana, DROPOFF).id, StopStatus.NO_SHOW)
    assert not_a_pickup.value.code == "invalid_outcome"
    for kind in (PICKUP, DROPOFF):
        record_stop(session, made.driver, made.stop(made.ioana, kind).id, StopStatus.DONE)
    assert made.route.status == RouteStatus.COMPLETED
    assert made.ioana.status == RequestStatus.DONE


def test_a_no_show_after_the_drop_off_was_marked_done_is_refused(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """A drop-off tapped done before its pickup: the pickup can be done, not a no-show."""
    made = accepted_route(DECEMBER_4)
    service_clock.at(DECEMBER_4, 10, 30)
    record_stop(session, made.driver, made.stop(made.amina, DROPOFF).id, StopStatus.DONE)
    with pytest.raises(Conflict) as refused:
        record_stop(session, made.driver, made.stop(made.amina, PICKUP).id, StopStatus.NO_SHOW)
    assert refused.value.code == "dropoff_marked"


def test_undo_a_done_drop_off_reopens_the_trip_and_the_route(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """The last drop-off done completed the route and the trip; undoing it (by the driver)
    makes the stop planned again, the trip scheduled and the route accepted; audited."""
    made = accepted_route(DECEMBER_4)
    service_clock.at(DECEMBER_4, 10)
    for request in (made.amina, made.ioana):
        for kind in (PICKUP, DROPOFF):
            record_stop(session, made.driver, made.stop(request, kind).id, StopStatus.DONE)
    assert made.route.status == RouteStatus.COMPLETED
    last = made.stop(made.ioana, DROPOFF)
    marked_at = last.marked_at
    service_clock.advance(minutes=9)
    assert undoable_until(last) == marked_at + UNDO_WINDOW
    undo_stop(session, made.driver, last.id)
    assert (last.status, last.marked_at, last.marked_by_id) == (StopStatus.PLANNED, None, None)
    assert made.ioana.status == RequestStatus.SCHEDULED
    assert made.route.status == RouteStatus.ACCEPTED
    (entry,) = _audit(session, "undo")
    assert (entry.actor_id, entry.entity_id, entry.changes["was"]) == (
        made.driver.id, last.id, "done"
    )  # fmt: skip
    assert entry.changes["marked_at"] == str(marked_at)
    record_stop(session, made.driver, last.id, StopStatus.DONE)
    assert made.route.status == RouteStatus.COMPLETED


def test_undo_a_no_show_brings_the_drop_off_back(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """Undoing a no-show makes the pickup and its skipped drop-off planned again and the trip
    scheduled without the no-show's note; the skipped drop-off itself cannot be undone."""
    made = accepted_route(DECEMBER_4)
    service_clock.at(DECEMBER_4, 10, 2)
    pickup, dropoff = made.stop(made.amina, PICKUP), made.stop(made.amina, DROPOFF)
    record_stop(session, made.driver, pickup.id, StopStatus.NO_SHOW, "not there")
    with pytest.raises(Conflict) as skipped:
        undo_stop(session, made.driver, dropoff.id)
    assert skipped.value.code == "not_undoable"
    undo_stop(session, made.driver, pickup.id)
    assert (pickup.status, dropoff.status) == (StopStatus.PLANNED, StopStatus.PLANNED)
    assert dropoff.marked_at is None
    assert (made.amina.status, made.amina.status_note) == (RequestStatus.SCHEDULED, None)
    assert _audit(session, "undo")[0].changes["unskipped"] == [dropoff.id]
    record_stop(session, made.driver, pickup.id, StopStatus.DONE)
    assert made.amina.status == RequestStatus.SCHEDULED


def test_undo_works_for_ten_minutes_then_is_a_conflict(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """Exactly ten minutes after the mark it can still be undone; a second later it is history,
    with a conflict that says so; a planned stop has nothing to undo."""
    made = accepted_route(DECEMBER_4)
    service_clock.at(DECEMBER_4, 10)
    first, second = made.stop(made.amina, PICKUP), made.stop(made.ioana, PICKUP)
    record_stop(session, made.driver, first.id, StopStatus.DONE)
    record_stop(session, made.driver, second.id, StopStatus.DONE)
    service_clock.advance(minutes=10)
    undo_stop(session, made.driver, first.id)
    service_clock.advance(seconds=1)
    assert undoable_until(second) is None
    with pytest.raises(Conflict) as late:
        undo_stop(session, made.driver, second.id)
    assert late.value.code == "undo_expired" and "10 minutes" in late.value.message
    assert second.status == StopStatus.DONE
    with pytest.raises(Conflict) as nothing:
        undo_stop(session, made.driver, first.id)
    assert nothing.value.code == "not_marked"


def test_a_pickup_cannot_be_undone_under_its_done_drop_off(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """Undo goes backwards: the drop-off first, then the pickup."""
    made = accepted_route(DECEMBER_4)
    service_clock.at(DECEMBER_4, 10)
    pickup, dropoff = made.stop(made.amina, PICKUP), made.stop(made.amina, DROPOFF)
    record_stop(session, made.driver, pickup.id, StopStatus.DONE)
    record_stop(session, made.driver, dropoff.id, StopStatus.DONE)
    assert undoable_until(pickup) is None
    with pytest.raises(Conflict) as refused:
        undo_stop(session, made.driver, pickup.id)
    assert refused.value.code == "dropoff_marked"
    undo_stop(session, made.driver, dropoff.id)
    undo_stop(session, made.driver, pickup.id)
    assert made.amina.status == RequestStatus.SCHEDULED


@pytest.mark.parametrize(
    ("day", "mark", "in_time", "too_late"),
    [
        # 01:55 CET, then 03:04 / 03:06 CEST: 9 and 11 minutes later, the clock jumped an hour.
        (SPRING_FORWARD, (1, 55, 0), (3, 4, 0), (3, 6, 0)),
        # 02:55 CEST, then the second 02:04 / 02:06 (CET): 9 and 11 minutes, the clock went back.
        (FALL_BACK, (2, 55, 0), (2, 4, 1), (2, 6, 1)),
    ],
    ids=["29-march", "25-october"],
)
def test_the_undo_window_is_ten_real_minutes_across_a_clock_change(
    session: Session, accepted_route, service_clock: ServiceClock, day, mark, in_time, too_late
) -> None:
    """Ten minutes are measured between instants, not wall-clock readings."""
    made = accepted_route(day)
    first, second = made.stop(made.amina, PICKUP), made.stop(made.ioana, PICKUP)
    hour, minute, fold = mark
    service_clock.at(day, hour, minute, fold=fold)
    record_stop(session, made.driver, first.id, StopStatus.DONE)
    record_stop(session, made.driver, second.id, StopStatus.DONE)
    hour, minute, fold = in_time
    service_clock.at(day, hour, minute, fold=fold)
    undo_stop(session, made.driver, first.id)
    hour, minute, fold = too_late
    service_clock.at(day, hour, minute, fold=fold)
    with pytest.raises(Conflict) as late:
        undo_stop(session, made.driver, second.id)
    assert late.value.code == "undo_expired"


def test_another_driver_can_neither_mark_nor_undo(
    session: Session, accepted_route, service_clock: ServiceClock, make: Factory
) -> None:
    """Someone else's stop is not found, marked or not."""
    made = accepted_route(DECEMBER_4)
    service_clock.at(DECEMBER_4, 10)
    stop = made.stop(made.amina, PICKUP)
    lucia = make.driver(first_name="Lucía")
    with pytest.raises(NotFound):
        record_stop(session, lucia, stop.id, StopStatus.DONE)
    record_stop(session, made.driver, stop.id, StopStatus.DONE)
    with pytest.raises(NotFound):
        undo_stop(session, lucia, stop.id)
    assert stop.status == StopStatus.DONE


def test_a_trip_picked_up_cannot_be_cancelled_and_its_drop_off_stays(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """Breach 4 of the day's property test: a rider in the car who cancels would leave the
    accepted route picking up without dropping off, and every later change failed (a 500).
    The cancellation is refused plainly; the drop-off stays on the route."""
    from rides.booking.ride_requests import cancel_ride

    made = accepted_route(DECEMBER_4)
    service_clock.at(DECEMBER_4, 10, 5)
    record_stop(session, made.driver, made.stop(made.amina, PICKUP).id, StopStatus.DONE)
    with pytest.raises(Conflict) as refused:
        cancel_ride(session, made.amina.rider, made.amina.id)
    assert refused.value.code == "started"
    assert made.amina.status == RequestStatus.SCHEDULED
    assert made.stop(made.amina, DROPOFF).status == StopStatus.PLANNED
