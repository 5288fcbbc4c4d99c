"""Delivery over a person's channels: SMS (a local Twilio), e-mail (a local SMTP server) and
the coordinators' listing; every try stored; never twice on one channel."""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from rides import clock
from rides.db import make_sessionmaker
from rides.messaging import delivery, notifications
from rides.messaging.delivery import DeliverySettings
from rides.messaging.receipts import record_receipt
from rides.messaging.sms_twilio import TwilioSettings, TwilioSms
from rides.models import (
    AttemptStatus,
    Channel,
    DeliveryAttempt,
    MessageStatus,
    OutboxMessage,
    Person,
)
from tests.factories import Factory
from tests.twilio_server import NOT_A_MOBILE, SERVER_ERROR

PHONE = "+34612345678"


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


def _settings(twilio: TwilioSettings, smtp=None, **overrides) -> DeliverySettings:
    senders = {Channel.SMS: functools.partial(TwilioSms, twilio)}
    return DeliverySettings(smtp=smtp, senders=senders, **overrides)


def _rider(session: Session, make: Factory, channels: str | None = None, **spec) -> Person:
    rider = make.newcomer(phone=PHONE, first_name="Amina", **spec)
    rider.channels = channels
    notifications.enqueue(
        session, rider, "test", f"t:{rider.id}", "Tu viaje", "Mañana a las 9 en Sacedón"
    )
    session.commit()
    return rider


def _state(factory: sessionmaker[Session]) -> tuple[OutboxMessage, list[DeliveryAttempt]]:
    with factory() as session:
        [message] = session.scalars(select(OutboxMessage))
        attempts = list(session.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id)))
        session.expunge_all()
        return message, attempts


def test_sms_first_with_its_sid_and_segments(
    session: Session, make: Factory, factory: sessionmaker[Session], twilio, mailbox
) -> None:
    """The default order starts with SMS: sent there, not by e-mail; the attempt keeps the sid."""
    fake, twilio_settings = twilio
    server, smtp = mailbox
    _rider(session, make)
    report = delivery.send_pending(factory, _settings(twilio_settings, smtp))
    assert (report.sms, report.email, report.listing) == (1, 0, 0)
    [created] = fake.created
    assert created.form["To"] == PHONE and created.form["Body"] == "Mañana a las 9 en Sacedon"
    message, [attempt] = _state(factory)
    assert message.status == MessageStatus.SENT and message.payload["channel"] == "sms"
    assert (attempt.channel, attempt.status) == (Channel.SMS, AttemptStatus.SENT)
    assert attempt.provider_id == created.sid and attempt.segments == 1
    assert server.received == []


def test_sms_refused_for_good_then_email_delivers(
    session: Session, make: Factory, factory: sessionmaker[Session], twilio, mailbox
) -> None:
    """21614 (not a mobile): e-mail takes the message in the same run; both tries stored."""
    fake, twilio_settings = twilio
    server, smtp = mailbox
    rider = _rider(session, make)
    fake.answers.append(NOT_A_MOBILE)
    report = delivery.send_pending(factory, _settings(twilio_settings, smtp))
    assert (report.sms, report.email, report.retry) == (0, 1, 0)
    [email] = server.received
    assert email["To"] == f"Amina <{rider.email}>"
    message, attempts = _state(factory)
    assert message.payload["channel"] == "email" and message.attempts == 1
    assert [(a.channel, a.status, a.retryable) for a in attempts] == [
        (Channel.SMS, AttemptStatus.FAILED, False),
        (Channel.EMAIL, AttemptStatus.SENT, False),
    ]
    assert "21614" in (attempts[0].error or "")
    assert attempts[1].provider_id == email["Message-ID"]


def test_sms_undelivered_later_then_email_and_never_a_second_sms(
    session: Session, make: Factory, factory: sessionmaker[Session], twilio, mailbox
) -> None:
    """Twilio took it, the receipt says undelivered (30003): the next run e-mails it, and no
    run after that sends anything again."""
    fake, twilio_settings = twilio
    server, smtp = mailbox
    _rider(session, make)
    settings = _settings(twilio_settings, smtp)
    assert delivery.send_pending(factory, settings).sms == 1
    [created] = fake.created
    now = clock.now()
    with factory() as s:
        record_receipt(
            s, Channel.SMS, created.sid, AttemptStatus.UNDELIVERED, now, "Twilio error 30003"
        )
        s.commit()
    report = delivery.send_pending(factory, settings)
    assert (report.sms, report.email) == (0, 1)
    assert len(fake.created) == 1 and len(server.received) == 1
    for _ in range(2):
        later = delivery.send_pending(factory, settings, now=now + dt.timedelta(hours=1))
        assert not later.any()
    message, attempts = _state(factory)
    assert message.status == MessageStatus.SENT and message.payload["channel"] == "email"
    assert [(a.channel, a.status) for a in attempts] == [
        (Channel.SMS, AttemptStatus.UNDELIVERED),
        (Channel.EMAIL, AttemptStatus.SENT),
    ]
    assert fake.requests == 1


def test_sms_down_retries_on_sms_then_the_listing_for_sms_and_call(
    session: Session, make: Factory, factory: sessionmaker[Session], twilio
) -> None:
    """Channels "sms,call" and Twilio answering 503: the message waits for the back-off and
    SMS is tried again; when the tries are used up a coordinator calls (the listing)."""
    fake, twilio_settings = twilio
    _rider(session, make, channels="sms,call")
    fake.answers.extend([SERVER_ERROR, SERVER_ERROR])
    settings = _settings(twilio_settings, max_attempts=2, backoff=10)
    now = clock.now()
    assert delivery.send_pending(factory, settings, now=now).retry == 1
    message, _attempts = _state(factory)
    assert message.status == MessageStatus.PENDING and "503" in (message.last_error or "")
    assert message.next_attempt_at == now + dt.timedelta(seconds=10)
    assert delivery.send_pending(factory, settings, now=now + dt.timedelta(seconds=10)).listing == 1
    message, attempts = _state(factory)
    assert message.status == MessageStatus.SENT and message.payload["channel"] == "listing"
    assert "503" in (message.last_error or "")  # the coordinator sees why they must call
    assert [(a.channel, a.status, a.retryable) for a in attempts] == [
        (Channel.SMS, AttemptStatus.FAILED, True),
        (Channel.SMS, AttemptStatus.FAILED, True),
        (Channel.CALL, AttemptStatus.SENT, False),
    ]
    assert fake.created == [] and fake.requests == 2


def test_a_failure_that_passed_lets_sms_take_the_message(
    session: Session, make: Factory, factory: sessionmaker[Session], twilio
) -> None:
    """503 then Twilio is back: the retry goes out by SMS (a failed try is not a sent one)."""
    fake, twilio_settings = twilio
    _rider(session, make, channels="sms,call")
    fake.answers.append(SERVER_ERROR)
    settings = _settings(twilio_settings, backoff=10)
    now = clock.now()
    assert delivery.send_pending(factory, settings, now=now).retry == 1
    assert delivery.send_pending(factory, settings, now=now + dt.timedelta(seconds=10)).sms == 1
    assert len(fake.created) == 1


def test_without_a_phone_sms_is_skipped(
    session: Session, make: Factory, factory: sessionmaker[Session], twilio, mailbox
) -> None:
    fake, twilio_settings = twilio
    server, smtp = mailbox
    rider = make.newcomer(phone=None)
    notifications.enqueue(session, rider, "test", "t:1", "s", "b")
    session.commit()
    assert delivery.send_pending(factory, _settings(twilio_settings, smtp)).email == 1
    assert fake.requests == 0 and len(server.received) == 1
    _message, [attempt] = _state(factory)
    assert attempt.channel == Channel.EMAIL


def test_channels_off_are_named(twilio) -> None:
    _fake, twilio_settings = twilio
    assert DeliverySettings().channels_off() == (Channel.SMS, Channel.WHATSAPP, Channel.EMAIL)
    assert _settings(twilio_settings).channels_off() == (Channel.WHATSAPP, Channel.EMAIL)
