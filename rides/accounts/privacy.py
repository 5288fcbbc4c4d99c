"""Privacy by design: what we hold about a person, exported on request, erased on request,
and riders' trips anonymised after the retention period (plans and statistics stay intact).

A trip's places, times, purpose and outcome are kept for the funders' statistics; what ties it
to a person goes (``rides.accounts.erasure``): the trip moves to an anonymous placeholder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

__all__ = ["ANONYMOUS_EMAIL", "anonymous_rider", "erase_person", "export_person"]

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from rides import audit, clock
from rides.accounts import erasure
from rides.accounts.erasure import ANONYMOUS_EMAIL, ERASED, anonymous_rider
from rides.models import (
    ApiToken,
    AuditEntry,
    Invitation,
    OutboxMessage,
    PasswordHelpRequest,
    Person,
    RideRequest,
    RideSeries,
    Role,
    Route,
    Shift,
    Vehicle,
)

#: Default retention of riders' trips before they are anonymised (days).
DEFAULT_RETENTION_DAYS = 365


def export_person(session: Session, person: Person) -> dict[str, Any]:
    """Everything stored about a person, as plain JSON-ready data (the right of access)."""
    requests = session.scalars(select(RideRequest).where(RideRequest.rider_id == person.id)).all()
    routes = session.scalars(select(Route).where(Route.driver_id == person.id)).all()
    shifts = session.scalars(select(Shift).where(Shift.driver_id == person.id)).all()
    messages = session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient_id == person.id)
    ).all()
    return {
        "exported_at": clock.now().isoformat(),
        "person": {
            "id": person.id, "role": person.role.value, "first_name": person.first_name,
            "last_name": person.last_name, "email": person.email, "phone": person.phone,
            "preferred_language": person.preferred_language, "languages": person.languages,
            "home_place": person.home_place.name if person.home_place else None,
            "created_at": person.created_at.isoformat(), "active": person.active,
            "has_password": person.password_hash is not None,
        },
        "vehicles": [_vehicle(v) for v in person.vehicles],
        "shifts": [_shift(s) for s in shifts],
        "ride_requests": [_request(r) for r in requests],
        "routes": [_route(r) for r in routes],
        "messages": [_message(m) for m in messages],
        "api_tokens": [
            {"name": t.name, "created_at": t.created_at.isoformat(),
             "revoked": t.revoked_at is not None}
            for t in session.scalars(select(ApiToken).where(ApiToken.person_id == person.id))
        ],
        "invitations": [
            {"purpose": i.purpose.value, "created_at": i.created_at.isoformat(),
             "expires_at": i.expires_at.isoformat(),
             "used_at": i.used_at.isoformat() if i.used_at else None}
            for i in session.scalars(select(Invitation).where(Invitation.person_id == person.id))
        ],
        "password_help_requests": [
            {"created_at": r.created_at.isoformat(),
             "handled_at": r.handled_at.isoformat() if r.handled_at else None}
            for r in session.scalars(
                select(PasswordHelpRequest).where(PasswordHelpRequest.person_id == person.id)
            )
        ],
        "audit": [_audit(a, person) for a in audit_about(session, person, requests)],
    }  # fmt: skip


def audit_about(
    session: Session, person: Person, requests: Sequence[RideRequest]
) -> list[AuditEntry]:
    """The audit entries about a person: their own actions, changes to their account, and
    every change to their trips (booked for them, cancelled, pinned, a stop marked...)."""
    trips = [r.id for r in requests]
    about = (
        (AuditEntry.actor_id == person.id)
        | ((AuditEntry.entity == "person") & (AuditEntry.entity_id == person.id))
        | (AuditEntry.changes["rider"].as_integer() == person.id)
    )
    if trips:
        about |= ((AuditEntry.entity == "ride_request") & AuditEntry.entity_id.in_(trips)) | (
            AuditEntry.entity.in_(erasure.TRIP_DETAIL_ENTITIES)
            & AuditEntry.changes["request"].as_integer().in_(trips)
        )
    return list(session.scalars(select(AuditEntry).where(about).order_by(AuditEntry.id)))


def erase_person(session: Session, person: Person, *, actor: Person | None = None) -> Person:
    """Anonymise an account (the right to erasure) without breaking plans or statistics.

    The person's open trips and series are cancelled (an accepted route's driver is told,
    without the name) and leave draft plans; every trip is then forgotten (see
    ``rides.accounts.erasure``). The row stays, emptied, for routes a driver drove.
    """
    trips = list(session.scalars(select(RideRequest).where(RideRequest.rider_id == person.id)))
    if trips:  # drivers told of a cancellation by name before; now told without it
        erasure.scrub_outbox(session, erasure.drivers_messages_about([t.id for t in trips]))
        erasure.forget_notes_in_offers(session, [t.id for t in trips])
    erasure.withdraw_open_trips(session, actor, trips)
    session.execute(delete(RideSeries).where(RideSeries.rider_id == person.id))
    erasure.forget_trips(session, trips, {person.id})
    erasure.scrub_outbox(session, OutboxMessage.recipient_id == person.id)
    own = (AuditEntry.entity == "person") & (AuditEntry.entity_id == person.id)
    riders = {person.id} if person.role == Role.NEWCOMER else set()
    by_them = AuditEntry.actor_id == person.id
    for entry in session.scalars(select(AuditEntry).where(own | by_them)):
        erasure.scrub_entry(entry, riders)
    _empty(session, person)
    audit.record(session, actor, "erase", "person", person.id)
    return person


def _empty(session: Session, person: Person) -> None:
    """Every personal value of the account gone; it can no longer sign in."""
    person.first_name = ERASED
    person.last_name = person.email = person.phone = person.password_hash = None
    person.home_place_id = None
    person.preferred_language = erasure.ERASED_LANGUAGE
    person.active = False
    person.spoken = []
    session.execute(
        update(ApiToken)
        .where(ApiToken.person_id == person.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
    # Invitation links and password requests say nothing once the person is gone.
    session.execute(delete(Invitation).where(Invitation.person_id == person.id))
    session.execute(delete(PasswordHelpRequest).where(PasswordHelpRequest.person_id == person.id))
    session.flush()


def anonymise_old_requests(
    session: Session, *, retention_days: int = DEFAULT_RETENTION_DAYS, today: dt.date | None = None
) -> int:
    """Forget trips older than the retention period, as erasure does (their riders, series,
    notes, audit details) and blank the messages written before it; returns how many trips."""
    cutoff = (today or clock.today()) - dt.timedelta(days=retention_days)
    placeholders = select(Person.id).where(Person.email.like("anonymous-rider%@rural-cars.invalid"))
    trips = list(
        session.scalars(
            select(RideRequest).where(
                RideRequest.date < cutoff, RideRequest.rider_id.not_in(placeholders)
            )
        )
    )
    riders = {t.rider_id for t in trips}
    erasure.forget_trips(session, trips, riders)
    erasure.scrub_outbox(
        session,
        OutboxMessage.created_at < clock.local_datetime(cutoff, dt.time(0)),
        OutboxMessage.body != ERASED,
    )
    if trips:
        audit.record(
            session, None, "anonymise", "ride_request", None, count=len(trips), before=cutoff
        )
    return len(trips)


def _vehicle(v: Vehicle) -> dict[str, Any]:
    return {"label": v.label, "seats": v.seats, "child_seats": v.child_seats,
            "wheelchair_places": v.wheelchair_places}  # fmt: skip


def _shift(s: Shift) -> dict[str, Any]:
    return {"date": s.date.isoformat(), "start": s.start_time.isoformat(),
            "end": s.end_time.isoformat(), "start_place": s.start_place.name,
            "end_place": s.end_place.name, "withdrawn": s.withdrawn}  # fmt: skip


def _request(r: RideRequest) -> dict[str, Any]:
    return {
        "id": r.id, "date": r.date.isoformat(), "time": r.time.isoformat(),
        "time_kind": r.time_kind.value, "origin": r.origin.name,
        "destination": r.destination.name, "adults": r.adults, "children": r.children,
        "child_seats": r.child_seats, "wheelchair": r.wheelchair, "purpose": r.purpose.value,
        "status": r.status.value, "note": r.status_note, "driver_note": r.driver_note,
        "confirmed_pickup_at": r.confirmed_pickup_at.isoformat() if r.confirmed_pickup_at else None,
    }  # fmt: skip


def _route(r: Route) -> dict[str, Any]:
    return {"date": r.plan.date.isoformat(), "status": r.status.value,
            "distance_m": r.distance_m, "stops": len(r.stops)}  # fmt: skip


def _audit(a: AuditEntry, person: Person) -> dict[str, Any]:
    """An entry as the person may read it: who acted is a role (or themself), not a name."""
    by = "system" if a.actor is None else a.actor.role.value
    if a.actor_id == person.id:
        by = "self"
    return {"at": a.at.isoformat(), "action": a.action, "entity": a.entity, "id": a.entity_id,
            "by": by, "changes": a.changes}  # fmt: skip


def _message(m: OutboxMessage) -> dict[str, Any]:
    return {"at": m.created_at.isoformat(), "kind": m.kind, "subject": m.subject,
            "status": m.status.value}  # fmt: skip
