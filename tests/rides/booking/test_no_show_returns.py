"""After a no-show on the way out the return trip is the coordinator's call (issue 14): it is
flagged, kept or cancelled, and the people concerned are told."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.booking.no_show_returns import cancel_return, keep_return, returns_to_check
from rides.driving.routes import record_stop, undo_stop
from rides.errors import Conflict, PermissionDenied
from rides.models import AuditEntry, OutboxMessage, RequestStatus, StopKind, StopStatus
from tests.clocks import ServiceClock
from tests.factories import Factory
from tests.rides.conftest import DrivenDay

DAY = dt.date(2026, 12, 4)


@pytest.fixture
def missed(session: Session, accepted_route, service_clock: ServiceClock) -> DrivenDay:
    """Amina (with a return at 13:00 on the same route) was not at her 10:xx pickup."""
    made = accepted_route(DAY, with_return=True)
    service_clock.at(DAY, 10, 15)
    record_stop(session, made.driver, made.stop(made.amina, StopKind.PICKUP).id,
                StopStatus.NO_SHOW)  # fmt: skip
    return made


def _messages(session: Session, kind: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    return list(session.scalars(query))


def test_the_return_is_flagged_not_touched(session: Session, missed: DrivenDay) -> None:
    """The outward trip is a no-show, its drop-off skipped; the return stays scheduled on the
    route (nobody decides for the coordinator) and is listed with what happened."""
    back = missed.amina_back
    assert back is not None
    assert missed.stop(missed.amina, StopKind.DROPOFF).status == StopStatus.SKIPPED
    assert back.status == RequestStatus.SCHEDULED
    assert missed.stop(back, StopKind.PICKUP).status == StopStatus.PLANNED
    (line,) = returns_to_check(session, DAY)
    pickup = missed.stop(missed.amina, StopKind.PICKUP)
    assert (line.return_id, line.outward_id, line.rider) == (back.id, missed.amina.id, "Amina")
    assert (line.missed_at, line.missed_place) == (pickup.planned_at, "Atienza")
    assert (line.time, line.status, line.driver) == (dt.time(13), "scheduled", "Javier")
    assert returns_to_check(session, DAY + dt.timedelta(days=1)) == []


def test_keeping_the_return_stops_the_question(
    session: Session, missed: DrivenDay, make: Factory, service_clock: ServiceClock
) -> None:
    """Kept: audited, no longer asked, the return untouched and nobody told; a no-show undone
    and marked again asks again."""
    coordinator = make.coordinator()
    back = missed.amina_back
    assert back is not None
    keep_return(session, coordinator, back.id)
    assert returns_to_check(session, DAY) == []
    assert back.status == RequestStatus.SCHEDULED and _messages(session, "return_cancelled") == []
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "keep_return")).one()
    assert (entry.actor_id, entry.entity_id) == (coordinator.id, back.id)
    pickup = missed.stop(missed.amina, StopKind.PICKUP)
    undo_stop(session, missed.driver, pickup.id)
    assert returns_to_check(session, DAY) == []  # the outward trip is scheduled again
    service_clock.advance(minutes=2)
    record_stop(session, missed.driver, pickup.id, StopStatus.NO_SHOW)
    assert [line.return_id for line in returns_to_check(session, DAY)] == [back.id]


def test_cancelling_the_return_tells_the_rider_and_the_driver(
    session: Session, missed: DrivenDay, make: Factory
) -> None:
    """Cancelled through cancel_ride: the return leaves the route, everyone else's stops stay;
    the rider hears it in French, the driver (who accepted the route) in English."""
    coordinator = make.coordinator()
    back = missed.amina_back
    assert back is not None
    others = {s.id: s.planned_at for s in missed.route.stops if s.request_id != back.id}
    changed = cancel_return(session, coordinator, back.id)
    assert changed == [back] and back.status == RequestStatus.CANCELLED
    assert back.status_note == "no-show on the way out"
    assert {s.id: s.planned_at for s in missed.route.stops} == others
    assert returns_to_check(session, DAY) == []
    [rider] = _messages(session, "return_cancelled")
    [driver] = _messages(session, "passenger_cancelled")
    assert (rider.recipient_id, rider.language) == (missed.amina.rider_id, "fr")
    assert "Atienza" not in rider.subject and "13:" in rider.body
    assert (driver.recipient_id, driver.language) == (missed.driver.id, "en")
    assert "Amina will not ride with you" in driver.body


def test_only_a_return_after_a_no_show_waits_for_an_answer(
    session: Session, missed: DrivenDay, make: Factory
) -> None:
    """A driver cannot answer for the coordinator; a trip that does not follow a no-show, or a
    return already answered by a cancellation, is a conflict."""
    back = missed.amina_back
    assert back is not None
    with pytest.raises(PermissionDenied):
        keep_return(session, missed.driver, back.id)
    coordinator = make.coordinator()
    with pytest.raises(Conflict) as not_after:
        keep_return(session, coordinator, missed.ioana.id)
    assert not_after.value.code == "not_after_no_show"
    cancel_return(session, coordinator, back.id)
    with pytest.raises(Conflict) as answered:
        cancel_return(session, coordinator, back.id)
    assert answered.value.code == "final_request"


def test_a_return_under_way_is_no_longer_asked_about(
    session: Session, missed: DrivenDay, make: Factory, service_clock: ServiceClock
) -> None:
    """Amina came back for her return after all and the driver picked her up: the question
    goes away, and cancelling the return (which would erase that mark) is refused."""
    back = missed.amina_back
    assert back is not None
    service_clock.at(DAY, 13, 5)
    record_stop(session, missed.driver, missed.stop(back, StopKind.PICKUP).id, StopStatus.DONE)
    assert returns_to_check(session, DAY) == []
    with pytest.raises(Conflict) as underway:
        cancel_return(session, make.coordinator(), back.id)
    assert underway.value.code == "return_underway"
    assert missed.stop(back, StopKind.PICKUP).status == StopStatus.DONE
