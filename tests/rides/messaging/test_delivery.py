"""The outbox sender against a real SMTP server (aiosmtpd on 127.0.0.1) on each backend."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from rides import clock
from rides.db import make_sessionmaker
from rides.messaging import delivery, email_channel, notifications
from rides.messaging.delivery import DeliverySettings
from rides.messaging.email_channel import SmtpSettings
from rides.models import MessageStatus, OutboxMessage, Person
from tests.factories import Factory
from tests.smtp_server import free_port


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


def _enqueue(session: Session, person: Person, n: int, subject: str = "Tu viaje") -> None:
    for i in range(n):
        notifications.enqueue(
            session, person, "test", f"test:{person.id}:{i}", subject, f"Mensaje {i} para Sigüenza"
        )
    session.commit()


def _messages(factory: sessionmaker[Session]) -> list[OutboxMessage]:
    with factory() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_pending_messages_are_emailed_once(
    session: Session, make: Factory, factory: sessionmaker[Session], mailbox
) -> None:
    """Each message reaches its recipient in UTF-8, tagged with its language; a rerun sends none."""
    server, smtp = mailbox
    rider = make.newcomer(first_name="Amina", preferred_language="ar")
    _enqueue(session, rider, 2, subject="Viaje a Sigüenza")
    report = delivery.send_pending(factory, DeliverySettings(smtp))
    assert (report.email, report.listing, report.retry, report.failed) == (2, 0, 0, 0)
    assert [m["To"] for m in server.received] == [f"Amina <{rider.email}>"] * 2
    first = server.received[0]
    assert first["Subject"] == "Viaje a Sigüenza" and first["Content-Language"] == "ar"
    assert first.get_content().strip() == "Mensaje 0 para Sigüenza"
    for message in _messages(factory):
        assert message.status == MessageStatus.SENT and message.attempts == 1
        assert message.sent_at is not None and message.payload["channel"] == "email"
    again = delivery.send_pending(factory, DeliverySettings(smtp))
    assert again.email == 0 and len(server.received) == 2


def test_recipient_without_email_goes_to_the_coordinators_listing(
    session: Session, make: Factory, factory: sessionmaker[Session], mailbox
) -> None:
    """No address: nothing is e-mailed, the message is marked sent on channel 'listing'."""
    server, smtp = mailbox
    _enqueue(session, make.newcomer(email=None), 1)
    report = delivery.send_pending(factory, DeliverySettings(smtp))
    assert report.listing == 1 and server.received == []
    [message] = _messages(factory)
    assert message.status == MessageStatus.SENT and message.payload["channel"] == "listing"


def test_without_smtp_every_message_goes_to_the_listing(
    session: Session, make: Factory, factory: sessionmaker[Session]
) -> None:
    """With no SMTP_HOST configured (the demo), coordinators see every message in the listing."""
    _enqueue(session, make.driver(), 2)
    report = delivery.send_pending(factory, DeliverySettings(smtp=None))
    assert report.listing == 2
    assert {m.payload["channel"] for m in _messages(factory)} == {"listing"}


def test_temporary_failure_is_retried_after_the_backoff(
    session: Session, make: Factory, factory: sessionmaker[Session], mailbox
) -> None:
    """A 451 answer keeps the message pending until the back-off passes, then it is sent."""
    server, smtp = mailbox
    settings = DeliverySettings(smtp, max_attempts=5, backoff=30)
    _enqueue(session, make.newcomer(), 1)
    now = clock.now()
    server.refuse_with = "451 4.3.0 Try again later"
    assert delivery.send_pending(factory, settings, now=now).retry == 1
    [message] = _messages(factory)
    assert message.status == MessageStatus.PENDING and message.attempts == 1
    assert message.next_attempt_at == now + dt.timedelta(seconds=30)
    assert "451" in (message.last_error or "")
    server.refuse_with = None
    assert delivery.send_pending(factory, settings, now=now + dt.timedelta(seconds=29)).email == 0
    assert delivery.send_pending(factory, settings, now=now + dt.timedelta(seconds=30)).email == 1
    [message] = _messages(factory)
    assert message.status == MessageStatus.SENT and message.attempts == 2
    assert message.last_error is None and len(server.received) == 1


def test_gives_up_after_max_attempts_with_doubling_delays(
    session: Session, make: Factory, factory: sessionmaker[Session]
) -> None:
    """With the server down, tries at +0, +10 s and +30 s, then the message is failed for good
    (for a person who is reached by e-mail only: others go to the coordinators' listing)."""
    settings = DeliverySettings(SmtpSettings("127.0.0.1", free_port()), max_attempts=3, backoff=10)
    rider = make.newcomer()
    rider.channels = "email"
    _enqueue(session, rider, 1)
    now = clock.now()
    outcomes = []
    for offset in (0, 10, 30, 1000):
        report = delivery.send_pending(factory, settings, now=now + dt.timedelta(seconds=offset))
        outcomes.append((report.retry, report.failed))
        if offset == 10:
            [message] = _messages(factory)
            assert message.next_attempt_at == now + dt.timedelta(seconds=30)
    assert outcomes == [(1, 0), (1, 0), (0, 1), (0, 0)]
    [message] = _messages(factory)
    assert message.status == MessageStatus.FAILED and message.attempts == 3
    assert message.last_error and "ConnectionRefusedError" in message.last_error


def test_two_senders_at_once_send_each_message_once(
    session: Session, make: Factory, factory: sessionmaker[Session], mailbox
) -> None:
    """Two sender threads started together deliver 30 messages exactly once between them."""
    server, smtp = mailbox
    _enqueue(session, make.newcomer(), 30)
    barrier = threading.Barrier(2)
    reports: list[delivery.DeliveryReport] = []

    def run() -> None:
        barrier.wait()
        reports.append(delivery.send_pending(factory, DeliverySettings(smtp)))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(r.email for r in reports) == 30
    ids = sorted(m["Message-ID"] for m in server.received)
    assert len(ids) == 30 and len(set(ids)) == 30
    assert {(m.status, m.attempts) for m in _messages(factory)} == {(MessageStatus.SENT, 1)}


def test_mail_carries_the_send_time_and_keeps_its_message_id_across_retries(
    session: Session, make: Factory, factory: sessionmaker[Session], mailbox
) -> None:
    """Date is the moment of sending; a retried message keeps the Message-ID of its first try."""
    server, smtp = mailbox
    settings = DeliverySettings(smtp, max_attempts=5, backoff=30)
    _enqueue(session, make.newcomer(), 1)
    # Whole seconds (the Date header's), and after the message was written (it is due then).
    now = clock.now().replace(microsecond=0) + dt.timedelta(seconds=1)
    server.refuse_with = "451 4.3.0 Try again later"
    delivery.send_pending(factory, settings, now=now)
    [message] = _messages(factory)
    first_id = message.payload["message_id"]
    server.refuse_with = None
    later = now + dt.timedelta(seconds=30)
    assert delivery.send_pending(factory, settings, now=later).email == 1
    [received] = server.received
    assert received["Message-ID"] == first_id
    assert received["Date"].datetime == later
    assert first_id.endswith("@rural-cars.org>")


def test_message_ids_never_repeat_when_outbox_ids_do() -> None:
    """After a database restore the outbox ids start again: the Message-IDs must not."""
    smtp = SmtpSettings("127.0.0.1", 25, sender="coordinacion@rural-cars.org")
    now = dt.datetime(2026, 12, 3, 17, 5, tzinfo=dt.UTC)
    before_restore = OutboxMessage(id=7, subject="s", body="b", language="es", payload={})
    after_restore = OutboxMessage(id=7, subject="s", body="b", language="es", payload={})
    first = email_channel.compose(before_restore, "a@example.org", smtp, now)["Message-ID"]
    second = email_channel.compose(after_restore, "a@example.org", smtp, now)["Message-ID"]
    assert first != second
    again = email_channel.compose(before_restore, "a@example.org", smtp, now)["Message-ID"]
    assert again == first
