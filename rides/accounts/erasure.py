"""The mechanics of forgetting riders' trips, shared by erasure and retention.

A trip forgotten keeps what plans and statistics need (places, day, time, purpose, outcome) and
loses everything that says who travelled: it moves to an anonymous placeholder account (so trips
are no longer grouped under the person's id), leaves its weekly series, and the notes, audit
details and message texts about it are blanked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from rides.booking import lifecycle
from rides.booking.ride_requests import cancel_trip, has_started
from rides.messaging import notifications
from rides.models import (
    AuditEntry,
    DayPlan,
    MessageStatus,
    OutboxMessage,
    Person,
    PlanStatus,
    RequestStatus,
    RideRequest,
    Role,
    Route,
    Stop,
    UnservedRequest,
)

ERASED = "—"
#: The language an erased account and its blanked messages are left with: the service's own,
#: the same for everyone, so it says nothing about the person.
ERASED_LANGUAGE = "es"
#: The first placeholder; the n-th is ``anonymous-rider-n@...`` (see ``_placeholder``).
ANONYMOUS_EMAIL = "anonymous-rider@rural-cars.invalid"
#: Audit details that speak of a person rather than of the change (a reason, a driver's note,
#: the rider's id); blanked when the trip is forgotten.
PERSONAL_KEYS = frozenset({"rider", "reason", "note", "name"})
#: Entities whose audit entries carry the trip's id in ``changes["request"]``.
TRIP_DETAIL_ENTITIES = ("stop", "route")
_CHUNK = 500
T = TypeVar("T")


def anonymous_rider(session: Session) -> Person:
    """The first anonymous account forgotten trips belong to (created on first use)."""
    return _placeholders(session)[0]


def withdraw_open_trips(
    session: Session, actor: Person | None, trips: Sequence[RideRequest]
) -> None:
    """Cancel every trip still waiting for a car, as a cancellation by the rider would (an
    accepted route's driver is told, without the name), and take the trips out of drafts."""
    for trip in trips:
        # A trip under way (the rider is in the car) ends as driven: it is history, kept
        # under the anonymous placeholder like every past trip.
        if trip.status in lifecycle.OPEN and not has_started(session, trip):
            cancel_trip(session, actor, trip, None, named=False)
    _leave_drafts(session, [t.id for t in trips])


def _leave_drafts(session: Session, ids: list[int]) -> None:
    """Drafts are proposals not yet shown to anyone: the trips simply leave them."""
    drafts = select(DayPlan.id).where(DayPlan.status == PlanStatus.DRAFT)
    for chunk in _chunks(ids):
        stops = session.scalars(
            select(Stop).join(Route).where(Stop.request_id.in_(chunk), Route.plan_id.in_(drafts))
        ).all()
        for stop in stops:
            stop.route.stops.remove(stop)
        session.execute(
            delete(UnservedRequest)
            .where(UnservedRequest.request_id.in_(chunk), UnservedRequest.plan_id.in_(drafts))
            .execution_options(synchronize_session=False)
        )
    session.flush()


def forget_trips(session: Session, trips: Sequence[RideRequest], riders: set[int]) -> None:
    """Detach ``trips`` from the people in ``riders``: placeholder account, no series, no
    booker, no notes, audit details blanked (``riders``' own actions on them unattributed)."""
    ids = [t.id for t in trips]
    for chunk in _chunks(ids):
        session.execute(
            update(Stop).where(Stop.request_id.in_(chunk)).values(note=None)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
    _scrub_trip_audit(session, ids, riders)
    _to_placeholders(session, trips)
    for trip in trips:
        trip.series_id, trip.booked_by_id, trip.status_note = None, None, None
        trip.driver_note = None
    session.flush()


def _scrub_trip_audit(session: Session, ids: list[int], riders: set[int]) -> None:
    """Blank the personal details of every audit entry about these trips."""
    for chunk in _chunks(ids):
        about = or_(
            (AuditEntry.entity == "ride_request") & AuditEntry.entity_id.in_(chunk),
            AuditEntry.entity.in_(TRIP_DETAIL_ENTITIES)
            & AuditEntry.changes["request"].as_integer().in_(chunk),
        )
        for entry in session.scalars(select(AuditEntry).where(about)):
            scrub_entry(entry, riders)


def scrub_entry(entry: AuditEntry, riders: Iterable[int]) -> None:
    """An audit entry without personal details; an action of one of ``riders`` unattributed."""
    entry.changes = {k: v for k, v in (entry.changes or {}).items() if k not in PERSONAL_KEYS}
    if entry.actor_id in set(riders):
        entry.actor_id = None


def scrub_outbox(session: Session, *criteria: object) -> None:
    """Blank the texts of the outbox rows matching ``criteria``; one still pending is not sent
    (there is nothing left to say and nobody to say it to)."""
    session.execute(
        update(OutboxMessage)
        .where(*criteria, OutboxMessage.status == MessageStatus.PENDING)  # type: ignore[arg-type]
        .values(status=MessageStatus.FAILED, last_error="erased")
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(OutboxMessage)
        .where(*criteria)  # type: ignore[arg-type]
        .values(subject=ERASED, body=ERASED, payload={}, language=ERASED_LANGUAGE)
        .execution_options(synchronize_session=False)
    )


def drivers_messages_about(ids: list[int]) -> object:
    """Outbox criterion: messages to drivers and coordinators about these trips (their keys
    name the trip): a cancellation, "I'll be late", "passenger not here", a changed note."""
    prefixes = ("cancelled", "late", "not_here", "rider_note")
    return or_(*(OutboxMessage.dedup_key.like(f"{p}:{i}:%") for i in ids for p in prefixes))


def forget_notes_in_offers(session: Session, ids: list[int]) -> None:
    """Route offers carry riders' notes for the driver with their first names: the notes of
    these trips are taken out of them, the offers and the other riders' notes stay. Offers are
    found by the routes with a stop of these trips: call it while their stops are still there
    (before the trips are withdrawn)."""
    for chunk in _chunks(ids):
        routes = set(session.scalars(select(Stop.route_id).where(Stop.request_id.in_(chunk))))
        for keys in _chunks([f"route:{route}" for route in sorted(routes)]):
            offers = select(OutboxMessage).where(
                OutboxMessage.kind == "route_offered", OutboxMessage.dedup_key.in_(keys)
            )
            for offer in session.scalars(offers):
                notifications.forget_offer_notes(offer, chunk)


def _to_placeholders(session: Session, trips: Sequence[RideRequest]) -> None:
    """Move trips to anonymous accounts, one account per trip that would otherwise be the same
    open trip twice (two riders erased who went to the same appointment together)."""
    placeholders = _placeholders(session)
    taken: dict[int, set[tuple[object, ...]]] = {p.id: set() for p in placeholders}
    days = sorted({t.date for t in trips})
    for chunk in _chunks(days):
        rows = session.execute(
            select(RideRequest.rider_id, *_KEY).where(
                RideRequest.rider_id.in_(list(taken)),
                RideRequest.date.in_(chunk),
                RideRequest.status != RequestStatus.CANCELLED,
            )
        )
        for row in rows:
            taken[row[0]].add(tuple(row[1:]))
    for trip in trips:
        if trip.status == RequestStatus.CANCELLED:
            trip.rider_id = placeholders[0].id
            continue
        key = (trip.date, trip.time, trip.origin_id, trip.destination_id)
        free = next((p for p in placeholders if key not in taken[p.id]), None)
        if free is None:
            free = _placeholder(session, len(placeholders) + 1)
            placeholders.append(free)
            taken[free.id] = set()
        taken[free.id].add(key)
        trip.rider_id = free.id


_KEY = (RideRequest.date, RideRequest.time, RideRequest.origin_id, RideRequest.destination_id)


def _placeholders(session: Session) -> list[Person]:
    """Every anonymous account, the first one created when there is none."""
    found = list(
        session.scalars(
            select(Person)
            .where(Person.email.like("anonymous-rider%@rural-cars.invalid"))
            .order_by(Person.id)
        )
    )
    return found or [_placeholder(session, 1)]


def _placeholder(session: Session, n: int) -> Person:
    email = ANONYMOUS_EMAIL if n == 1 else f"anonymous-rider-{n}@rural-cars.invalid"
    person = Person(role=Role.NEWCOMER, first_name=ERASED, email=email, active=False)
    session.add(person)
    session.flush()
    return person


def _chunks(items: Sequence[T]) -> Iterable[list[T]]:
    for start in range(0, len(items), _CHUNK):
        yield list(items[start : start + _CHUNK])
