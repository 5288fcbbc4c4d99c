"""A rider changes the note for the driver after booking: both ways still to come take it (and
every later week of a series when asked), a driver who accepted the route is told, nothing
changes when the note is refused or the trip is over, and erasing the rider blanks those
messages."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.accounts.privacy import erase_person
from rides.booking.note_changes import can_change_note, change_driver_note
from rides.booking.ride_requests import MAX_DRIVER_NOTE, book_ride, cancel_ride
from rides.driving.routes import accept_route, record_stop
from rides.errors import Conflict, NotFound
from rides.models import (
    AuditEntry,
    OutboxMessage,
    Person,
    RideRequest,
    Stop,
    StopKind,
    StopStatus,
)
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from rides.validation import InvalidInput
from tests.clocks import ServiceClock
from tests.factories import ATIENZA, Factory, tomorrow

FAST = PlanSettings(time_limit=1.0)


def _trip(make: Factory, rider: Person | None = None, **ride: object) -> RideRequest:
    """Tomorrow's trip from Atienza at 10:30 with its way back at 13:00 and a note."""
    rider = rider or make.newcomer(first_name="Amina")
    values = {"origin_id": make.place(ATIENZA).id, "return_time": dt.time(13),
              "driver_note": "I have a pram", **ride}  # fmt: skip
    return make.request(rider, **values)


def _accepted(session: Session, make: Factory, language: str = "en") -> Person:
    """A driver of tomorrow who accepted the route the plan gives them."""
    driver = make.driver(first_name="Pilar", preferred_language=language)
    make.shift(driver, start_time=dt.time(7), end_time=dt.time(18))
    plan = publish_plan(session, plan_day(session, tomorrow(), FAST))
    accept_route(session, driver, plan.routes[0].id)
    return driver


def _told(session: Session, driver: Person) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(
        OutboxMessage.kind == "rider_note", OutboxMessage.recipient_id == driver.id
    )
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def test_both_ways_take_the_new_note_and_the_audit_keeps_no_words(
    session: Session, make: Factory
) -> None:
    trip = _trip(make)
    changed = change_driver_note(session, trip.rider, trip.id, "  two children with me  ")
    assert [way.id for way in changed] == [trip.id, trip.return_trip.id]
    session.expire_all()
    assert trip.driver_note == trip.return_trip.driver_note == "two children with me"
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "change_driver_note")
    ).all()
    assert sorted(e.entity_id for e in entries) == sorted([trip.id, trip.return_trip.id])
    assert all("children" not in repr(e.changes) for e in entries)


def test_the_way_back_leads_to_the_same_trip(session: Session, make: Factory) -> None:
    """Changing from the way back's id changes both ways, as from the outward trip's."""
    trip = _trip(make)
    change_driver_note(session, trip.rider, trip.return_trip.id, "a wheelchair that folds")
    assert trip.driver_note == trip.return_trip.driver_note == "a wheelchair that folds"


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_an_empty_note_takes_it_back(session: Session, make: Factory, empty: str | None) -> None:
    trip = _trip(make)
    assert len(change_driver_note(session, trip.rider, trip.id, empty)) == 2
    assert trip.driver_note is None and trip.return_trip.driver_note is None


def test_the_same_note_again_changes_nothing(session: Session, make: Factory) -> None:
    trip = _trip(make)
    assert change_driver_note(session, trip.rider, trip.id, "I have a pram ") == []


@pytest.mark.parametrize(
    ("note", "code"),
    [("x" * (MAX_DRIVER_NOTE + 1), "too_long"), ("pram\nbig", "control_character"),
     ("\u202epram", "bidi_control")],
    ids=["too-long", "new-line", "bidi-override"],
)  # fmt: skip
def test_a_refused_note_keeps_the_old_one(
    session: Session, make: Factory, note: str, code: str
) -> None:
    trip = _trip(make)
    with pytest.raises(InvalidInput) as caught:
        change_driver_note(session, trip.rider, trip.id, note)
    assert caught.value.codes == {"driver_note": code}
    session.expire_all()
    assert trip.driver_note == trip.return_trip.driver_note == "I have a pram"


def test_someone_elses_trip_is_not_found_and_a_coordinator_may_change_it(
    session: Session, make: Factory
) -> None:
    trip = _trip(make)
    with pytest.raises(NotFound):
        change_driver_note(session, make.newcomer(), trip.id, "mine now")
    assert trip.driver_note == "I have a pram"
    change_driver_note(session, make.coordinator(), trip.id, "she called: a pram and a bag")
    assert trip.driver_note == "she called: a pram and a bag"


def test_only_the_way_still_to_come_changes(session: Session, make: Factory) -> None:
    """The way there cancelled: the way back takes the note; both cancelled: refused (and the
    trip page no longer offers it)."""
    trip = _trip(make)
    cancel_ride(session, trip.rider, trip.id, legs="going")
    assert can_change_note(session, trip) and can_change_note(session, trip.return_trip)
    [changed] = change_driver_note(session, trip.rider, trip.id, "the pram only")
    assert changed is trip.return_trip
    assert trip.driver_note == "I have a pram"
    cancel_ride(session, trip.rider, trip.id, legs="back")
    assert not can_change_note(session, trip) and not can_change_note(session, trip.return_trip)
    with pytest.raises(Conflict) as caught:
        change_driver_note(session, trip.rider, trip.id, "too late")
    assert caught.value.code == "trip_over" and caught.value.fields == {"driver_note": "trip_over"}


def test_a_driver_who_accepted_hears_each_change_in_their_language(
    session: Session, make: Factory
) -> None:
    trip = _trip(make, return_time=None)
    driver = _accepted(session, make, language="es")
    change_driver_note(session, trip.rider, trip.id, "two children with me")
    change_driver_note(session, trip.rider, trip.id, None)
    first, second = _told(session, driver)
    assert first.subject == "Una nota nueva de Amina"
    assert "two children with me" in first.body and "Atienza" in first.body
    assert first.body.startswith("Nota de Amina para la recogida a las ")
    assert second.body.startswith("Amina ha retirado la nota para la recogida a las ")
    assert f"/driver/?day={tomorrow().isoformat()}" in second.body


def test_a_route_only_offered_sends_nothing(session: Session, make: Factory) -> None:
    """The driver who has not answered reads the note on the route page before answering."""
    trip = _trip(make, return_time=None)
    driver = make.driver()
    make.shift(driver, start_time=dt.time(7), end_time=dt.time(18))
    publish_plan(session, plan_day(session, tomorrow(), FAST))
    change_driver_note(session, trip.rider, trip.id, "two children with me")
    assert _told(session, driver) == []


def test_erasing_the_rider_blanks_the_drivers_note_messages(
    session: Session, make: Factory
) -> None:
    trip = _trip(make, return_time=None)
    driver = _accepted(session, make)
    change_driver_note(session, trip.rider, trip.id, "my phone is 600 111 222")
    erase_person(session, trip.rider)
    session.expire_all()
    [message] = _told(session, driver)
    assert "600 111 222" not in message.body and "Amina" not in message.subject


def test_on_the_day_until_the_pickup_is_marked(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """The evening before and the morning of the trip: changed; once the driver marked the
    pickup, or the next day: refused, and the note stays."""
    trip = _trip(make, return_time=None)
    driver = _accepted(session, make)
    day = trip.date
    service_clock.at(day - dt.timedelta(days=1), 21)
    change_driver_note(session, trip.rider, trip.id, "the evening before")
    service_clock.at(day, 8)
    change_driver_note(session, trip.rider, trip.id, "the morning of the trip")
    pickup = session.scalars(
        select(Stop).where(Stop.request_id == trip.id, Stop.kind == StopKind.PICKUP)
    ).one()
    assert can_change_note(session, trip)
    service_clock.at(day, 10, 30)
    record_stop(session, driver, pickup.id, StopStatus.DONE)
    assert not can_change_note(session, trip)
    with pytest.raises(Conflict):
        change_driver_note(session, trip.rider, trip.id, "after the pickup")
    assert trip.driver_note == "the morning of the trip"


def test_the_day_after_is_too_late(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    trip = _trip(make, return_time=None)
    service_clock.at(trip.date + dt.timedelta(days=1), 9)
    assert not can_change_note(session, trip)
    with pytest.raises(Conflict):
        change_driver_note(session, trip.rider, trip.id, "the day after")
    assert trip.driver_note == "I have a pram"


def _series(session: Session, make: Factory) -> list[RideRequest]:
    """Three weeks of tomorrow's trip there and back, in date order (way there, way back)."""
    rider = make.newcomer(first_name="Amina")
    spec = make.ride_spec(origin_id=make.place(ATIENZA).id, return_time=dt.time(13),
                          driver_note="I have a pram",
                          weekly_until=tomorrow() + dt.timedelta(weeks=2))  # fmt: skip
    return book_ride(session, rider, spec)


def test_a_series_changes_this_week_and_every_later_one_when_asked(
    session: Session, make: Factory
) -> None:
    """From the second week with the whole series: weeks two and three, both ways; the first
    week keeps its note. From the third week alone: that week only."""
    trips = _series(session, make)
    rider = trips[0].rider
    changed = change_driver_note(session, rider, trips[2].id, "a pram", whole_series=True)
    assert changed == trips[2:]
    assert [t.driver_note for t in trips] == ["I have a pram"] * 2 + ["a pram"] * 4
    assert change_driver_note(session, rider, trips[5].id, "a pram and a bag") == trips[4:]
    assert [t.driver_note for t in trips[2:]] == ["a pram"] * 2 + ["a pram and a bag"] * 2


def test_a_series_whose_first_week_is_over_changes_the_later_weeks(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """The day after the first week: that week alone is over (refused, nothing changes); with
    the whole series the two later weeks take the note and the past week keeps its own."""
    trips = _series(session, make)
    rider = trips[0].rider
    service_clock.at(trips[0].date + dt.timedelta(days=1), 9)
    with pytest.raises(Conflict):
        change_driver_note(session, rider, trips[0].id, "a pram")
    assert {t.driver_note for t in trips} == {"I have a pram"}
    changed = change_driver_note(session, rider, trips[0].id, "a pram", whole_series=True)
    assert changed == trips[2:]
    assert [t.driver_note for t in trips] == ["I have a pram"] * 2 + ["a pram"] * 4


def test_the_whole_series_of_a_single_trip_is_that_trip(session: Session, make: Factory) -> None:
    trip = _trip(make)
    changed = change_driver_note(session, trip.rider, trip.id, "a pram", whole_series=True)
    assert changed == [trip, trip.return_trip]
