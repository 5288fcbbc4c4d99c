"""Deactivating an account: the person can no longer sign in, and nothing of theirs is planned.

Unlike erasure nothing is forgotten: the account, its history and its details stay, and a
coordinator can reactivate it (the person then needs a new invitation to choose a password).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rides import audit, clock
from rides.access import require_coordinator
from rides.accounts import erasure, invitations
from rides.accounts.signin import end_sessions
from rides.booking import lifecycle
from rides.models import ApiToken, Person, RideRequest, Shift


def deactivate(session: Session, actor: Person, person: Person) -> Person:
    """Stop an account: sessions and API tokens end, open links stop working, trips still
    waiting for a car are cancelled as the rider's own cancellation would be (an accepted
    route's driver is told) and a driver's shifts from today on are withdrawn, so the next
    plan leaves them out."""
    require_coordinator(actor)
    if not person.active:
        return person
    person.active = False
    end_sessions(session, person)
    session.execute(
        update(ApiToken)
        .where(ApiToken.person_id == person.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
    invitations.revoke_links(session, person)
    today = clock.today()
    trips = list(
        session.scalars(
            select(RideRequest).where(
                RideRequest.rider_id == person.id,
                RideRequest.date >= today,
                RideRequest.status.in_(lifecycle.OPEN),
            )
        )
    )
    erasure.withdraw_open_trips(session, actor, trips)
    shifts = session.scalars(
        select(Shift).where(
            Shift.driver_id == person.id, Shift.date >= today, Shift.withdrawn.is_(False)
        )
    )
    for shift in shifts:
        shift.withdrawn = True
    session.flush()
    audit.record(session, actor, "deactivate", "person", person.id, trips=len(trips))
    return person


def reactivate(session: Session, actor: Person, person: Person) -> Person:
    """Let the person in again (with their old password, or a new invitation)."""
    require_coordinator(actor)
    if person.active:
        return person
    person.active = True
    session.flush()
    audit.record(session, actor, "reactivate", "person", person.id)
    return person
