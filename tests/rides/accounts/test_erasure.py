"""Erasure that means it (issue 15, finding 2): a rider with trips in every state is erased and
every table is searched for what is left of them, on both databases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.accounts.erasure import ERASED
from rides.accounts.privacy import (
    anonymise_old_requests,
    anonymous_rider,
    erase_person,
    export_person,
)
from rides.booking.ride_requests import book_ride, cancel_ride
from rides.driving.routes import accept_route, record_stop
from rides.models import (
    AuditEntry,
    Base,
    DayPlan,
    OutboxMessage,
    Person,
    PlanStatus,
    RequestStatus,
    RideRequest,
    RideSeries,
    Stop,
    StopKind,
    StopStatus,
    UnservedRequest,
)
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from rides.reporting.monthly import month_report
from tests.clocks import ServiceClock
from tests.factories import JADRAQUE, Factory

DAY = dt.date(2026, 12, 10)
FAST = PlanSettings(time_limit=1)
#: Everything that would identify the rider, searched for in every row of every table.
TRACES = ("Zulaikha", "Qasemi", "zulaikha@example.org", "612345678", "Zulaikha is ill",
          "pram of the Qasemi twins")  # fmt: skip


@dataclass
class Life:
    """A rider's trips in every state, and the people around them."""

    rider: Person
    driver: Person
    coordinator: Person
    trips: dict[str, RideRequest]


def _day(make: Factory, driver: Person, day: dt.date) -> None:
    make.shift(driver, date=day, start_time=dt.time(7), end_time=dt.time(16))


def _stop(session: Session, trip: RideRequest, kind: StopKind) -> Stop:
    query = (
        select(Stop)
        .join(Stop.route)
        .join(DayPlan)
        .where(
            Stop.request_id == trip.id, Stop.kind == kind, DayPlan.status == PlanStatus.PUBLISHED
        )
    )
    stop = session.scalar(query)
    assert stop is not None
    return stop


def _live(session: Session, make: Factory, clock: ServiceClock) -> Life:
    """Done and no-show on DAY; then an accepted route, a draft, a request, a weekly series
    and a cancelled trip on the days after; each with texts and audit entries naming her."""
    clock.at(DAY - dt.timedelta(days=2), 12)
    javier = make.driver(first_name="Javier", preferred_language="en")
    coordinator = make.coordinator()
    rider = make.newcomer(
        first_name="Zulaikha", last_name="Qasemi", email="zulaikha@example.org",
        phone="612345678", preferred_language="ar", languages=("ar", "uk"),
    )  # fmt: skip
    _day(make, javier, DAY)
    noted = make.ride_spec(date=DAY, driver_note="The pram of the Qasemi twins")
    trips = {"done": book_ride(session, coordinator, noted, rider=rider)[0]}
    trips["no_show"] = make.request(rider, date=DAY, time=dt.time(13),
                                    origin_id=make.place(JADRAQUE).id)  # fmt: skip
    (route,) = [r for r in publish_plan(session, plan_day(session, DAY, FAST)).routes if r.stops]
    accept_route(session, javier, route.id)
    clock.at(DAY, 9)
    for kind in (StopKind.PICKUP, StopKind.DROPOFF):
        record_stop(session, javier, _stop(session, trips["done"], kind).id, StopStatus.DONE)
    no_show = _stop(session, trips["no_show"], StopKind.PICKUP).id
    record_stop(session, javier, no_show, StopStatus.NO_SHOW, note="Zulaikha was not there")
    clock.at(DAY, 18)
    for offset in (1, 2):
        _day(make, javier, DAY + dt.timedelta(days=offset))
    trips["accepted"] = make.request(rider, date=DAY + dt.timedelta(days=1))
    trips["draft"] = make.request(rider, date=DAY + dt.timedelta(days=2))
    trips["requested"] = make.request(rider, date=DAY + dt.timedelta(days=3))
    trips["series"] = make.request(rider, date=DAY + dt.timedelta(days=4), time=dt.time(9),
                                   weekly_until=DAY + dt.timedelta(days=25),
                                   driver_note="pram of the Qasemi twins")  # fmt: skip
    trips["cancelled"] = make.request(rider, date=DAY + dt.timedelta(days=5), time=dt.time(12))
    cancel_ride(session, rider, trips["cancelled"].id, reason="Zulaikha is ill")
    plan = publish_plan(session, plan_day(session, DAY + dt.timedelta(days=1), FAST))
    (route,) = [r for r in plan.routes if r.stops]
    accept_route(session, javier, route.id)
    plan_day(session, DAY + dt.timedelta(days=2), FAST)
    session.flush()
    assert trips["accepted"].status == RequestStatus.SCHEDULED
    return Life(rider, javier, coordinator, trips)


def _every_row(session: Session) -> list[tuple[str, str]]:
    """Every row of every table of the schema, as text."""
    return [
        (table.name, repr(tuple(row)))
        for table in Base.metadata.sorted_tables
        for row in session.execute(select(table))
    ]


def test_erasure_leaves_nothing_of_the_person(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """Open trips cancelled (the driver told without the name), out of drafts, series gone;
    no table holds her name, contact, language, texts or an audit detail; trips still count."""
    life = _live(session, make, service_clock)
    before = month_report(session, "2026-12").total
    ids = {state: trip.id for state, trip in life.trips.items()}
    erase_person(session, life.rider, actor=life.coordinator)
    session.commit()
    session.expire_all()

    leaks = [(table, row) for table, row in _every_row(session) for t in TRACES if t in row]
    assert leaks == []
    trips = {state: session.get(RideRequest, i) for state, i in ids.items()}
    assert {state: trip.status.value for state, trip in trips.items()} == {
        "done": "done", "no_show": "no_show", "accepted": "cancelled", "draft": "cancelled",
        "requested": "cancelled", "series": "cancelled", "cancelled": "cancelled",
    }  # fmt: skip
    theirs_left = select(RideRequest).where(RideRequest.rider_id == life.rider.id)
    assert session.scalars(theirs_left).all() == []
    assert all((t.rider.email or "").startswith("anonymous-rider") for t in trips.values())
    assert all(t.series_id is None and t.status_note is None for t in trips.values())
    assert all(t.driver_note is None for t in trips.values())
    assert session.scalars(select(RideSeries)).all() == []
    assert session.scalars(select(Stop.id).where(Stop.request_id.in_(
        [ids["accepted"], ids["draft"]]))).all() == []  # fmt: skip
    assert session.scalars(select(UnservedRequest.request_id)).all() == []
    rider = session.get(Person, life.rider.id)
    assert (rider.first_name, rider.preferred_language, rider.languages) == (ERASED, "es", [])

    told = session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient_id == life.driver.id, OutboxMessage.kind == "passenger_cancelled"
    )).all()  # fmt: skip
    assert [m.body.startswith("A passenger will not ride with you") for m in told] == [True]
    theirs = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == rider.id))
    assert {(m.subject, m.body, m.language, m.status.value == "pending") for m in theirs} <= {
        (ERASED, ERASED, "es", False)
    }
    assert "ar" not in session.scalars(select(OutboxMessage.language)).all()

    audit = session.scalars(select(AuditEntry)).all()
    assert [a for a in audit if a.actor_id == rider.id] == []
    about_trips = [a for a in audit if a.entity == "ride_request" or "request" in a.changes]
    assert len(about_trips) > 10
    assert [a.changes for a in about_trips if {"rider", "note", "reason"} & set(a.changes)] == []
    after = month_report(session, "2026-12").total
    assert (after.requested, after.served, after.no_shows) == (
        before.requested,
        before.served - 1,
        before.no_shows,
    )  # the accepted trip of DAY+1 no longer served; DAY's done and no-show still counted
    assert export_person(session, anonymous_rider(session))["person"]["first_name"] == ERASED


def test_two_erased_riders_on_the_same_trip(session: Session, make: Factory) -> None:
    """Two people who went to the same appointment together are both forgotten: their trips
    go to two placeholders rather than breaking the one-open-trip-per-rider rule."""
    first, second = make.newcomer(), make.newcomer()
    trips = [make.request(first), make.request(second)]
    for trip in trips:
        trip.status = RequestStatus.DONE  # as if driven yesterday
    session.flush()
    erase_person(session, first)
    erase_person(session, second)
    session.commit()
    riders = {trip.rider_id for trip in trips}
    assert len(riders) == 2 and not riders & {first.id, second.id}


def test_retention_forgets_old_trips_as_erasure_does(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """A year on, the retention run leaves no trace of who travelled (finding 6): trips on
    placeholders, no series link, notes and reasons gone, messages written before blanked."""
    life = _live(session, make, service_clock)
    rider_id = life.rider.id
    assert anonymise_old_requests(session, retention_days=365, today=DAY + dt.timedelta(days=400))
    session.commit()
    session.expire_all()
    leaks = [
        (table, row)
        for table, row in _every_row(session)
        for t in TRACES
        if t in row and table != "people"  # she was not erased: her account stays
    ]
    assert leaks == []
    assert session.scalars(select(RideRequest).where(RideRequest.rider_id == rider_id)).all() == []
    assert all(r.series_id is None for r in session.scalars(select(RideRequest)))
    bodies = set(session.scalars(select(OutboxMessage.body)))
    assert bodies == {ERASED}
    audit = session.scalars(select(AuditEntry)).all()
    about_trips = [a for a in audit if a.entity == "ride_request" or "request" in a.changes]
    assert [a.changes for a in about_trips if {"rider", "note", "reason"} & set(a.changes)] == []
    assert [a.action for a in about_trips if a.actor_id == rider_id] == []
    export = export_person(session, session.get(Person, rider_id))
    assert export["ride_requests"] == [] and export["messages"][0]["subject"] == ERASED


def test_export_holds_the_audit_entries_about_the_person(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """The export has every audit entry about the person (finding 6): booked for them, their
    own cancellation, the driver's marks, with who acted as a role."""
    life = _live(session, make, service_clock)
    entries = export_person(session, life.rider)["audit"]
    seen = {(e["action"], e["entity"], e["by"]) for e in entries}
    assert {
        ("register", "person", "system"),
        ("book", "ride_request", "coordinator"),
        ("cancel", "ride_request", "self"),
        ("done", "stop", "driver"),
        ("no_show", "stop", "driver"),
    } <= seen
    (no_show,) = [e for e in entries if e["action"] == "no_show"]
    assert no_show["changes"]["note"] == "Zulaikha was not there"
    assert all(e["entity"] != "vehicle" for e in entries)  # the driver's car is not about her
