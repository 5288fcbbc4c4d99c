"""Messages on phones: each delivery attempt on a channel, and what people write back.

An outbox message (rides/models/outbox.py) is one thing to tell one person; it may take several
attempts on several channels (SMS, then WhatsApp, then e-mail, then a coordinator's call) before
it reaches them. Each attempt is kept, with the provider's id, so delivery receipts that arrive
later by callback find it and a message is never sent twice on one channel.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rides.models.base import Base, str_enum, utcnow

if TYPE_CHECKING:
    from rides.models.outbox import OutboxMessage
    from rides.models.person import Person
    from rides.models.request import RideRequest


class Channel(enum.StrEnum):
    """Ways to reach a person; ``call`` is a coordinator reading the message out on the phone."""

    SMS = "sms"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    CALL = "call"


#: The order tried for a person who has not chosen one: phones first, where newcomers live.
DEFAULT_CHANNELS: tuple[Channel, ...] = (Channel.SMS, Channel.WHATSAPP, Channel.EMAIL, Channel.CALL)


class AttemptStatus(enum.StrEnum):
    """An attempt's outcome: ``sent`` when the provider took it, then what its receipts say."""

    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    UNDELIVERED = "undelivered"


class DeliveryAttempt(Base):
    """One try to deliver one outbox message on one channel, and what became of it."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "channel"))
    attempted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[AttemptStatus] = mapped_column(str_enum(AttemptStatus, "attempt_status"))
    #: The provider's id for the sent message (Twilio's SID, WhatsApp's wamid, the Message-ID).
    provider_id: Mapped[str | None] = mapped_column(String(120), index=True)
    #: Segments an SMS took (what the provider bills), None on other channels.
    segments: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(500))
    #: A failure that may pass (timeout, provider down): the channel is tried again later.
    #: Every other attempt closes its channel for the message (never sent twice on one).
    retryable: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Set by whoever changes the attempt (a receipt's instant, on the service's clock).
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    message: Mapped[OutboxMessage] = relationship()


class ReplyOutcome(enum.StrEnum):
    """What a reply did: confirmed or cancelled a ride, or went to the coordinators' inbox."""

    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    INBOX = "inbox"


class InboundMessage(Base):
    """A text a person sent us (an SMS or WhatsApp reply), kept until the retention run."""

    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "channel"))
    #: The provider's id for the message: a webhook delivered twice is stored once.
    provider_id: Mapped[str] = mapped_column(String(120), unique=True)
    #: The sender's number in E.164, as the provider gave it.
    sender: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    outcome: Mapped[ReplyOutcome] = mapped_column(
        str_enum(ReplyOutcome, "reply_outcome"), default=ReplyOutcome.INBOX
    )
    #: The ride the reply is about, when one could be told (the person's next reminded ride).
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("ride_requests.id", ondelete="SET NULL"), index=True
    )
    #: When a coordinator marked an inbox message as dealt with; None while it waits.
    handled_at: Mapped[dt.datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    request: Mapped[RideRequest | None] = relationship()
