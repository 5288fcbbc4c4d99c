"""The coordinators' inbox: replies no rule could act on, until a coordinator has dealt with them.

A reply lands here when it was not a yes/no to a reminded ride (``rides.messaging.replies``):
free text, an unknown number, an answer the ride's rules refused. Coordinators read who wrote
(name, or the number when nobody has it), about which ride, and mark it done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rides import audit, clock
from rides.access import require_coordinator
from rides.booking.reminders import pickup_of
from rides.errors import NotFound
from rides.models import InboundMessage, Person, ReplyOutcome, RideRequest

#: The inbox shows at most this many replies, oldest first (they have waited longest).
LIMIT = 200


@dataclass(frozen=True)
class InboxRide:
    """The ride a reply is about, as the coordinator recognises it."""

    request_id: int
    date: dt.date
    time: dt.time
    origin: str
    destination: str
    status: str


@dataclass(frozen=True)
class InboxItem:
    """One reply waiting for a coordinator (``handled_at`` set once one marked it done)."""

    id: int
    channel: str
    sender: str
    person_id: int | None
    name: str | None
    body: str
    received_at: dt.datetime
    ride: InboxRide | None
    handled_at: dt.datetime | None


def inbox(session: Session, actor: Person, *, limit: int = LIMIT) -> list[InboxItem]:
    """Replies waiting for a coordinator, oldest first."""
    require_coordinator(actor)
    query = (
        select(InboundMessage)
        .where(
            InboundMessage.outcome == ReplyOutcome.INBOX,
            InboundMessage.handled_at.is_(None),
        )
        .options(
            selectinload(InboundMessage.person),
            selectinload(InboundMessage.request).selectinload(RideRequest.origin),
            selectinload(InboundMessage.request).selectinload(RideRequest.destination),
        )
        .order_by(InboundMessage.received_at, InboundMessage.id)
        .limit(limit)
    )
    return [item_of(message) for message in session.scalars(query)]


def mark_done(
    session: Session, actor: Person, message_id: int, *, now: dt.datetime | None = None
) -> InboxItem:
    """A coordinator dealt with a reply: it leaves the inbox. Marking it again changes nothing
    (two coordinators clicking at once both succeed; the first one is kept)."""
    require_coordinator(actor)
    message = session.get(InboundMessage, message_id)
    if message is None or message.outcome != ReplyOutcome.INBOX:
        raise NotFound("No message {id} in the inbox.", id=message_id, fields={"id": "unknown"})
    if message.handled_at is None:
        message.handled_at = now or clock.now()
        message.handled_by_id = actor.id
        audit.record(session, actor, "done", "inbound_message", message.id)
        session.flush()
    return item_of(message)


def item_of(message: InboundMessage) -> InboxItem:
    """A stored reply as the inbox shows it."""
    person, ride = message.person, message.request
    return InboxItem(
        id=message.id,
        channel=message.channel.value,
        sender=message.sender,
        person_id=message.person_id,
        name=person.display_name if person is not None else None,
        body=message.body,
        received_at=message.received_at,
        ride=_ride(ride) if ride is not None else None,
        handled_at=message.handled_at,
    )


def _ride(request: RideRequest) -> InboxRide:
    pickup = pickup_of(request).astimezone(clock.LOCAL_TZ)
    return InboxRide(
        request_id=request.id,
        date=request.date,
        time=pickup.time().replace(tzinfo=None),
        origin=request.origin.name,
        destination=request.destination.name,
        status=request.status.value,
    )
