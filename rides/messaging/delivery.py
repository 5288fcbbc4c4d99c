"""Delivering the outbox: each due message on the first of the person's channels that works.

One transaction per message claims it, sends it and marks the outcome, so a message is never
marked sent without having been handed over. The claim is ``SELECT ... FOR UPDATE SKIP LOCKED``
on PostgreSQL (two senders pick different messages) followed, on every backend, by an UPDATE
that only succeeds while the message is still pending with the attempt count we read: on SQLite,
which has one writer at a time, that UPDATE waits for the other sender and then finds the message
gone.

The channels are tried in the recipient's order (``Person.channel_order``: SMS, WhatsApp,
e-mail, call by default). A channel is skipped when it is not configured, when the person has no
address on it, or when this message already went out on it or failed there for good: a message
is never sent twice on one channel. Every try is stored as a DeliveryAttempt with its outcome.
``call`` is the coordinators' outbox listing: it always works and ends the list; the message is
marked sent with payload ``channel`` "listing" (its attempt's channel is ``call``) and a
coordinator reads it out on the phone. A failure that may pass (timeout, provider down) keeps the
message for a retry with exponential back-off rather than falling through to the listing; when
the tries are used up the listing takes it, or, for a person who has no ``call`` in their order,
the message is ``failed``. A provider that later reports a message lost (rides/messaging/
receipts.py) makes it due again, and the next run goes on with the next channel.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from rides import clock
from rides.db import unit_of_work
from rides.messaging.channels import Accepted, Outgoing, Sender, SendFailed
from rides.messaging.email_channel import EmailSender, SmtpSettings, message_id
from rides.messaging.sms_segments import segments as sms_segments
from rides.messaging.sms_text import sms_text
from rides.models import (
    AttemptStatus,
    Channel,
    DeliveryAttempt,
    MessageStatus,
    OutboxMessage,
    Person,
)

log = logging.getLogger(__name__)

Outcome = Literal["sms", "whatsapp", "email", "listing", "retry", "failed"]
EMAIL: Outcome = "email"
LISTING: Outcome = "listing"
#: The payload's ``channel`` for each channel a message went out on ("call" is the listing).
SENT_ON: dict[Channel, Outcome] = {
    Channel.SMS: "sms",
    Channel.WHATSAPP: "whatsapp",
    Channel.EMAIL: "email",
    Channel.CALL: "listing",
}

#: Makes a channel's sender for one delivery run (connections are opened and closed per run).
SenderFactory = Callable[[], Sender]


@dataclass(frozen=True)
class DeliverySettings:
    """How to send and how hard to try: ``backoff`` seconds before the 2nd try, doubling.

    E-mail is on when ``smtp`` is set; ``senders`` adds the other configured channels (SMS,
    WhatsApp), each a factory of a Sender (rides/messaging/channels.py).
    """

    smtp: SmtpSettings | None = None
    max_attempts: int = 5
    backoff: float = 60.0
    batch: int = 200
    senders: Mapping[Channel, SenderFactory] = field(default_factory=dict)

    def channels_on(self) -> tuple[Channel, ...]:
        """The channels this configuration can deliver on, the listing (``call``) always."""
        on = set(self.senders) | ({Channel.EMAIL} if self.smtp is not None else set())
        return tuple(c for c in Channel if c in on or c == Channel.CALL)

    def channels_off(self) -> tuple[Channel, ...]:
        """The channels left off for lack of settings: said by ``rural-cars check`` and the
        outbox page, so nobody waits for an SMS that cannot leave."""
        on = self.channels_on()
        return tuple(c for c in Channel if c not in on)


@dataclass
class DeliveryReport:
    """What one run of the sender did, for the log and the ``outbox send`` command."""

    sms: int = 0
    whatsapp: int = 0
    email: int = 0
    listing: int = 0
    retry: int = 0
    failed: int = 0

    def add(self, outcome: Outcome) -> None:
        """Count one message's outcome."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def any(self) -> bool:
        """Whether the run did anything worth a log line."""
        return bool(self.sms + self.whatsapp + self.email + self.listing + self.retry + self.failed)

    def __str__(self) -> str:
        return (
            f"{self.sms} by SMS, {self.whatsapp} by WhatsApp, {self.email} e-mailed, "
            f"{self.listing} to the coordinators' listing, {self.retry} to retry, "
            f"{self.failed} failed"
        )


def send_pending(
    factory: sessionmaker[Session],
    settings: DeliverySettings,
    *,
    now: dt.datetime | None = None,
) -> DeliveryReport:
    """Deliver the messages that are due, one transaction each, up to ``settings.batch``."""
    report = DeliveryReport()
    with _senders(settings) as senders:
        for _ in range(settings.batch):
            outcome = deliver_next(factory, settings, senders, now=now)
            if outcome is None:
                break
            report.add(outcome)
    if report.any():
        log.info("outbox: %s", report)
    return report


def deliver_next(
    factory: sessionmaker[Session],
    settings: DeliverySettings,
    senders: Mapping[Channel, Sender],
    *,
    now: dt.datetime | None = None,
) -> Outcome | None:
    """Claim, send and mark one due message in one transaction; None when nothing is due."""
    now = now or clock.now()
    with unit_of_work(factory) as session:
        message = claim(session, now)
        if message is None:
            return None
        return _attempt(session, message, settings, senders, now)


def claim(session: Session, now: dt.datetime, *, tries: int = 5) -> OutboxMessage | None:
    """The oldest due message, now ours until the transaction ends (its attempt counted)."""
    for _ in range(tries):
        query = (
            select(OutboxMessage)
            .where(
                OutboxMessage.status == MessageStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
            )
            .order_by(OutboxMessage.id)
            .limit(1)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        message = session.scalar(query)
        if message is None:
            return None
        if _count_attempt(session, message):
            session.refresh(message)
            return message
    return None


def _count_attempt(session: Session, message: OutboxMessage) -> bool:
    """Take the message if nobody took it since we read it (the write that serialises SQLite)."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.status == MessageStatus.PENDING,
            OutboxMessage.attempts == message.attempts,
        )
        .values(attempts=OutboxMessage.attempts + 1),
        execution_options={"synchronize_session": False},
    )
    return bool(getattr(result, "rowcount", 0))


def _attempt(
    session: Session,
    message: OutboxMessage,
    settings: DeliverySettings,
    senders: Mapping[Channel, Sender],
    now: dt.datetime,
) -> Outcome:
    """Try the person's channels in order until one takes the message (see the module doc)."""
    person = message.recipient
    order = person.channel_order if person is not None else (Channel.CALL,)
    closed = closed_channels(session, message.id)
    waiting: list[str] = []  # failures that may pass: the message is tried again later
    lost: list[str] = []  # failures for good on a channel
    for channel in order:
        if channel == Channel.CALL:
            break
        sender = senders.get(channel)
        if person is None or sender is None or channel in closed:
            continue
        address = sender.address(person)
        if not address:
            continue
        outgoing = _outgoing(message, person, channel, address, settings, now)
        try:
            accepted = sender.send(outgoing)
        except SendFailed as failure:
            _record(session, message, channel, now, failure=failure)
            (lost if failure.permanent else waiting).append(f"{channel.value}: {failure.reason}")
            continue
        _record(session, message, channel, now, accepted=accepted, body=outgoing.body)
        return _mark_sent(message, SENT_ON[channel], now)
    why = "; ".join(waiting + lost) or None
    if waiting and message.attempts < settings.max_attempts:
        return _mark_retry(message, why or "", settings, now)
    if Channel.CALL in order:
        _record(session, message, Channel.CALL, now)
        return _mark_sent(message, LISTING, now, why=why)
    return _mark_failed(message, why or "no channel reaches this person", now)


def closed_channels(session: Session, message_id: int) -> set[Channel]:
    """Channels this message must not be sent on again: a provider took it there, or it
    failed there for good. Only a failure that may pass leaves its channel open."""
    return set(
        session.scalars(
            select(DeliveryAttempt.channel).where(
                DeliveryAttempt.message_id == message_id, DeliveryAttempt.retryable.is_(False)
            )
        )
    )


def _outgoing(
    message: OutboxMessage,
    person: Person,
    channel: Channel,
    address: str,
    settings: DeliverySettings,
    now: dt.datetime,
) -> Outgoing:
    internal = {"channel", "message_id"}
    reference = message_id(message, settings.smtp) if channel == Channel.EMAIL else None
    return Outgoing(
        message_id=message.id,
        kind=message.kind,
        language=message.language,
        to=address,
        subject=message.subject,
        body=sms_text(message) if channel == Channel.SMS else message.body,
        fields={k: str(v) for k, v in message.payload.items() if k not in internal},
        name=person.first_name,
        reference=reference,
        sent_at=now,
    )


def _record(
    session: Session,
    message: OutboxMessage,
    channel: Channel,
    now: dt.datetime,
    *,
    accepted: Accepted | None = None,
    failure: SendFailed | None = None,
    body: str = "",
) -> None:
    """Store one try and its outcome (the listing's is a try on ``call`` that always works)."""
    attempt = DeliveryAttempt(
        message_id=message.id, channel=channel, attempted_at=now, updated_at=now,
        status=AttemptStatus.FAILED if failure is not None else AttemptStatus.SENT,
    )  # fmt: skip
    if failure is not None:
        attempt.error = failure.reason[:500]
        attempt.retryable = not failure.permanent
    if accepted is not None:
        attempt.provider_id = accepted.provider_id[:120]
        if channel == Channel.SMS:
            attempt.segments = accepted.segments or sms_segments(body)
        else:
            attempt.segments = accepted.segments
    session.add(attempt)


def _mark_sent(
    message: OutboxMessage, channel: Outcome, now: dt.datetime, *, why: str | None = None
) -> Outcome:
    """Handed over; ``why`` keeps what failed first (shown on the outbox page for the listing)."""
    message.status = MessageStatus.SENT
    message.sent_at = now
    message.last_error = why[:500] if why else None
    message.payload = {**message.payload, "channel": channel}
    return channel


def _mark_retry(
    message: OutboxMessage, why: str, settings: DeliverySettings, now: dt.datetime
) -> Outcome:
    message.last_error = why[:500]
    delay = settings.backoff * 2 ** (message.attempts - 1)
    message.next_attempt_at = now + dt.timedelta(seconds=delay)
    log.warning("outbox message %s: retry in %.0f s (%s)", message.id, delay, message.last_error)
    return "retry"


def _mark_failed(message: OutboxMessage, why: str, now: dt.datetime) -> Outcome:
    message.last_error = why[:500]
    message.status = MessageStatus.FAILED
    log.error("outbox message %s failed for good: %s", message.id, message.last_error)
    return "failed"


@contextmanager
def _senders(settings: DeliverySettings) -> Iterator[dict[Channel, Sender]]:
    """The configured channels' senders for one run, closed at its end."""
    senders: dict[Channel, Sender] = {}
    try:
        if settings.smtp is not None:
            senders[Channel.EMAIL] = EmailSender(settings.smtp)
        for channel, make in settings.senders.items():
            senders[channel] = make()
        yield senders
    finally:
        for sender in senders.values():
            try:
                sender.close()
            except Exception:  # one channel's goodbye must not lose the run's report
                log.exception("closing the %s sender", sender.channel)
