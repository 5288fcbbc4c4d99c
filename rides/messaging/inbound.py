"""Texts people send back (SMS and WhatsApp replies), stored once and put where they belong.

Providers call our webhooks, sometimes more than once for the same message: the provider's id
is unique in the table, so a repeated callback changes nothing. A reply is matched to its sender
by phone number (E.164, as providers send it), then read (``rides.messaging.replies``): an
answer to a reminder confirms or cancels the ride, anything else waits in the coordinators'
inbox. Webhooks call ``receive`` and nothing more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.messaging import replies
from rides.models import Channel, InboundMessage, Person, ReplyOutcome


@dataclass(frozen=True)
class Inbound:
    """A reply as a webhook received it, before it is stored."""

    channel: Channel
    provider_id: str
    sender: str
    body: str
    received_at: dt.datetime


def receive(session: Session, inbound: Inbound) -> InboundMessage | None:
    """Store a reply once and act on it; None when this provider id was stored before (a
    repeated callback, which must not confirm, cancel or acknowledge twice)."""
    known = session.scalar(
        select(InboundMessage.id).where(InboundMessage.provider_id == inbound.provider_id)
    )
    if known is not None:
        return None
    message = InboundMessage(
        channel=inbound.channel,
        provider_id=inbound.provider_id[:120],
        sender=inbound.sender[:32],
        person_id=sender_id(session, inbound.sender),
        body=inbound.body,
        received_at=inbound.received_at,
        outcome=ReplyOutcome.INBOX,
    )
    session.add(message)
    session.flush()
    replies.interpret(session, message)
    session.flush()
    return message


def sender_id(session: Session, number: str) -> int | None:
    """The active person with this phone number, None if nobody or several people have it."""
    ids = session.scalars(
        select(Person.id).where(Person.phone == number, Person.active.is_(True)).limit(2)
    ).all()
    return ids[0] if len(ids) == 1 else None
