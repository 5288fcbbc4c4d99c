"""Delivering the outbox: each pending message is sent once, by e-mail or to the coordinators.

One transaction per message claims it, sends it and marks the outcome, so a message is never
marked sent without having been handed over. The claim is ``SELECT ... FOR UPDATE SKIP LOCKED``
on PostgreSQL (two senders pick different messages) followed, on every backend, by an UPDATE
that only succeeds while the message is still pending with the attempt count we read: on SQLite,
which has one writer at a time, that UPDATE waits for the other sender and then finds the message
gone. A recipient without an e-mail address (or no SMTP server configured) gets the message
through the coordinators' outbox listing: it is marked sent with ``channel`` "listing" and a
coordinator relays it by phone. Failures are retried with exponential back-off, then ``failed``.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from rides import clock
from rides.db import unit_of_work
from rides.models import MessageStatus, OutboxMessage

log = logging.getLogger(__name__)

Outcome = Literal["email", "listing", "retry", "failed"]
EMAIL: Outcome = "email"
LISTING: Outcome = "listing"


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to hand e-mail over (config SMTP_HOST, SMTP_PORT, SMTP_USER...)."""

    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "rural-cars@localhost"
    starttls: bool = False
    timeout: float = 20.0


@dataclass(frozen=True)
class DeliverySettings:
    """How to send and how hard to try: ``backoff`` seconds before the 2nd try, doubling."""

    smtp: SmtpSettings | None = None
    max_attempts: int = 5
    backoff: float = 60.0
    batch: int = 200


@dataclass
class DeliveryReport:
    """What one run of the sender did, for the log and the ``outbox send`` command."""

    email: int = 0
    listing: int = 0
    retry: int = 0
    failed: int = 0

    def add(self, outcome: Outcome) -> None:
        """Count one message's outcome."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self) -> str:
        return (
            f"{self.email} e-mailed, {self.listing} to the coordinators' listing, "
            f"{self.retry} to retry, {self.failed} failed"
        )


class SmtpMailer:
    """One SMTP connection reused for a run of the sender, reopened after an error."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def send(self, email: EmailMessage) -> None:
        """Hand one message to the server; raises smtplib.SMTPException or OSError."""
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(email)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Say goodbye to the server, ignoring a connection that is already gone."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            if s.starttls:
                smtp.starttls()
            if s.user:
                smtp.login(s.user, s.password or "")
        except BaseException:
            smtp.close()  # a refused STARTTLS or login must not leak the connection
            raise
        return smtp


def probe(settings: SmtpSettings) -> None:
    """Connect, STARTTLS and log in exactly as the sender does, then leave without sending.

    ``rural-cars check`` calls this so a wrong port, TLS setting or password shows up at
    install time, not as a day of messages stuck in the outbox.
    """
    mailer = SmtpMailer(settings)
    mailer._smtp = mailer._connect()
    try:
        mailer._smtp.noop()
    finally:
        mailer.close()


def send_pending(
    factory: sessionmaker[Session],
    settings: DeliverySettings,
    *,
    now: dt.datetime | None = None,
) -> DeliveryReport:
    """Deliver the messages that are due, one transaction each, up to ``settings.batch``."""
    report = DeliveryReport()
    with _mailer(settings.smtp) as mailer:
        for _ in range(settings.batch):
            outcome = deliver_next(factory, settings, mailer, now=now)
            if outcome is None:
                break
            report.add(outcome)
    if report.email or report.listing or report.retry or report.failed:
        log.info("outbox: %s", report)
    return report


def deliver_next(
    factory: sessionmaker[Session],
    settings: DeliverySettings,
    mailer: SmtpMailer | None,
    *,
    now: dt.datetime | None = None,
) -> Outcome | None:
    """Claim, send and mark one due message in one transaction; None when nothing is due."""
    now = now or clock.now()
    with unit_of_work(factory) as session:
        message = claim(session, now)
        if message is None:
            return None
        return _attempt(message, settings, mailer, now)


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
    message: OutboxMessage,
    settings: DeliverySettings,
    mailer: SmtpMailer | None,
    now: dt.datetime,
) -> Outcome:
    address = message.recipient.email if message.recipient is not None else None
    if mailer is None or settings.smtp is None or not address:
        return _mark_sent(message, LISTING, now)
    try:
        mailer.send(compose(message, address, settings.smtp, now))
    except (smtplib.SMTPException, OSError) as error:
        return _mark_failed(message, error, settings, now)
    return _mark_sent(message, EMAIL, now)


def compose(
    message: OutboxMessage, address: str, smtp: SmtpSettings, now: dt.datetime
) -> EmailMessage:
    """The e-mail for a message, already in the recipient's language.

    The Message-ID is drawn once (random and time-based, so a restored database never reuses
    one) and kept in the payload, so a retry of the same message carries the same id and mail
    clients fold the duplicates.
    """
    email = EmailMessage()
    email["From"] = smtp.sender
    recipient = message.recipient.first_name if message.recipient is not None else ""
    email["To"] = formataddr((recipient, address))
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now if now.tzinfo else now.replace(tzinfo=dt.UTC))
    email["Message-ID"] = message_id(message, smtp)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    email["Content-Language"] = message.language  # after set_content, which clears Content-*
    return email


def message_id(message: OutboxMessage, smtp: SmtpSettings) -> str:
    """This message's globally unique Message-ID, the same on every attempt."""
    known = message.payload.get("message_id")
    if isinstance(known, str) and known:
        return known
    domain = smtp.sender.rpartition("@")[2] or "localhost"
    drawn = make_msgid(idstring=f"outbox{message.id}", domain=domain)
    message.payload = {**message.payload, "message_id": drawn}
    return drawn


def _mark_sent(message: OutboxMessage, channel: Outcome, now: dt.datetime) -> Outcome:
    message.status = MessageStatus.SENT
    message.sent_at = now
    message.last_error = None
    message.payload = {**message.payload, "channel": channel}
    return channel


def _mark_failed(
    message: OutboxMessage, error: Exception, settings: DeliverySettings, now: dt.datetime
) -> Outcome:
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    if message.attempts >= settings.max_attempts:
        message.status = MessageStatus.FAILED
        log.error("outbox message %s failed for good: %s", message.id, message.last_error)
        return "failed"
    delay = settings.backoff * 2 ** (message.attempts - 1)
    message.next_attempt_at = now + dt.timedelta(seconds=delay)
    log.warning("outbox message %s: retry in %.0f s (%s)", message.id, delay, message.last_error)
    return "retry"


@contextmanager
def _mailer(smtp: SmtpSettings | None) -> Iterator[SmtpMailer | None]:
    mailer = SmtpMailer(smtp) if smtp is not None else None
    try:
        yield mailer
    finally:
        if mailer is not None:
            mailer.close()
