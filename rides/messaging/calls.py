"""The "call today" list: people no digital channel reached, and what to tell each of them.

When a message cannot go by SMS, WhatsApp or e-mail, delivery hands it to the coordinators
(``rides.messaging.delivery`` marks it sent with ``channel`` "listing", or "call" once channels
fall back to a coordinator's call). Such a message has not reached its person until someone
phones them: the list groups these messages per person with the number to call, and a
coordinator ticks a person once called (``called_at``/``called_by`` in the message's payload, so
the list empties as the calls are made). Only the messages the coordinator saw are ticked: one
that arrived since the list was printed stays on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rides import audit, clock
from rides.access import require_coordinator
from rides.errors import NotFound
from rides.models import MessageStatus, OutboxMessage, Person, Role

#: Payload channels of messages a coordinator must read out on the phone.
CALL_CHANNELS = frozenset({"listing", "call"})
#: Older messages are no longer worth a call (their day has passed); the Messages page keeps them.
WINDOW = dt.timedelta(days=3)


@dataclass(frozen=True)
class CallMessage:
    """One message to read out, in the person's language."""

    id: int
    subject: str
    body: str
    language: str
    written_at: dt.datetime


@dataclass(frozen=True)
class PersonToCall:
    """Someone to phone, with every message waiting for them, oldest first."""

    person_id: int
    name: str
    phone: str | None
    language: str
    messages: list[CallMessage]

    @property
    def message_ids(self) -> str:
        """The listed messages' ids, for the "called" form: only these are ticked."""
        return ",".join(str(m.id) for m in self.messages)


def calls_to_make(
    session: Session, actor: Person, *, now: dt.datetime | None = None
) -> list[PersonToCall]:
    """People with messages to read out and not called yet; who waits longest comes first."""
    require_coordinator(actor)
    waiting: dict[int, list[OutboxMessage]] = {}
    for message in _uncalled(session, now or clock.now()):
        assert message.recipient_id is not None
        waiting.setdefault(message.recipient_id, []).append(message)
    people: list[PersonToCall] = []
    for messages in waiting.values():
        person = messages[0].recipient
        assert person is not None
        people.append(
            PersonToCall(
                person_id=person.id,
                name=f"{person.first_name} {person.last_name or ''}".strip(),
                phone=person.phone,
                language=person.preferred_language,
                messages=[
                    CallMessage(m.id, m.subject, m.body, m.language, m.created_at) for m in messages
                ],
            )
        )
    return people


def mark_called(
    session: Session,
    actor: Person,
    person_id: int,
    message_ids: Iterable[int],
    *,
    now: dt.datetime | None = None,
) -> int:
    """The coordinator phoned this person and read these messages: they leave the list.
    Returns how many were ticked now (ids of other people's or already-called messages are
    ignored; none at all is NotFound, so a stale or altered form says so)."""
    require_coordinator(actor)
    now = now or clock.now()
    wanted = set(message_ids)
    ticked = 0
    for message in _uncalled(session, now):
        if message.recipient_id == person_id and message.id in wanted:
            message.payload = {
                **message.payload,
                "called_at": now.isoformat(),
                "called_by": actor.id,
            }
            ticked += 1
    if not ticked:
        raise NotFound("Nobody to call with these messages.", fields={"id": "unknown"})
    audit.record(session, actor, "called", "person", person_id, messages=sorted(wanted))
    session.flush()
    return ticked


def _uncalled(session: Session, now: dt.datetime) -> list[OutboxMessage]:
    """Messages handed to the coordinators lately and not yet called, oldest first."""
    query = (
        select(OutboxMessage)
        .join(Person, Person.id == OutboxMessage.recipient_id)
        .where(
            OutboxMessage.status == MessageStatus.SENT,
            OutboxMessage.created_at >= now - WINDOW,
            Person.role != Role.COORDINATOR,  # a coordinator's own digest is not a call
        )
        .options(selectinload(OutboxMessage.recipient))
        .order_by(OutboxMessage.id)
    )
    return [
        m
        for m in session.scalars(query)
        if m.payload.get("channel") in CALL_CHANNELS and not m.payload.get("called_at")
    ]
