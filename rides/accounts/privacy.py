"""Privacy by design: what we hold about a person, exported on request, erased on request,
and riders' trips anonymised after the retention period (plans and statistics stay intact).

A trip's places, times, purpose and outcome are kept for the funders' statistics; what ties it
to a person is moved to one shared "anonymous rider" account.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rides import audit, clock
from rides.models import (
    ApiToken,
    AuditEntry,
    OutboxMessage,
    Person,
    RideRequest,
    Role,
    Route,
    Shift,
    Vehicle,
)

ANONYMOUS_EMAIL = "anonymous-rider@rural-cars.invalid"
ERASED = "—"
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
        "audit": [
            {"at": a.at.isoformat(), "action": a.action, "entity": a.entity, "id": a.entity_id}
            for a in session.scalars(select(AuditEntry).where(AuditEntry.actor_id == person.id))
        ],
    }  # fmt: skip


def erase_person(session: Session, person: Person, *, actor: Person | None = None) -> Person:
    """Anonymise an account (the right to erasure) without breaking plans or statistics.

    The row stays so routes and trips keep their links; every personal value goes.
    """
    person.first_name = ERASED
    person.last_name = person.email = person.phone = person.password_hash = None
    person.home_place_id = None
    person.active = False
    person.spoken = []
    now = clock.now()
    session.execute(
        update(ApiToken)
        .where(ApiToken.person_id == person.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.recipient_id == person.id)
        .values(subject=ERASED, body=ERASED, payload={})
    )
    session.execute(
        update(RideRequest).where(RideRequest.rider_id == person.id).values(status_note=None)
    )
    session.flush()
    audit.record(session, actor, "erase", "person", person.id)
    return person


def anonymise_old_requests(
    session: Session, *, retention_days: int = DEFAULT_RETENTION_DAYS, today: dt.date | None = None
) -> int:
    """Detach trips older than the retention period from their riders; returns how many."""
    cutoff = (today or clock.today()) - dt.timedelta(days=retention_days)
    anonymous = anonymous_rider(session)
    result = session.execute(
        update(RideRequest)
        .where(RideRequest.date < cutoff, RideRequest.rider_id != anonymous.id)
        .values(rider_id=anonymous.id, booked_by_id=None, status_note=None)
        .execution_options(synchronize_session=False)
    )
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if count:
        audit.record(session, None, "anonymise", "ride_request", None, count=count, before=cutoff)
    return count


def anonymous_rider(session: Session) -> Person:
    """The one account that old, anonymised trips belong to (created on first use)."""
    person = session.scalar(select(Person).where(Person.email == ANONYMOUS_EMAIL))
    if person is None:
        person = Person(role=Role.NEWCOMER, first_name=ERASED, email=ANONYMOUS_EMAIL, active=False)
        session.add(person)
        session.flush()
    return person


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
        "status": r.status.value, "note": r.status_note,
        "confirmed_pickup_at": r.confirmed_pickup_at.isoformat() if r.confirmed_pickup_at else None,
    }  # fmt: skip


def _route(r: Route) -> dict[str, Any]:
    return {"date": r.plan.date.isoformat(), "status": r.status.value,
            "distance_m": r.distance_m, "stops": len(r.stops)}  # fmt: skip


def _message(m: OutboxMessage) -> dict[str, Any]:
    return {"at": m.created_at.isoformat(), "kind": m.kind, "subject": m.subject,
            "status": m.status.value}  # fmt: skip
