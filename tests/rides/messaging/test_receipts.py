"""Receipts move an attempt forward only, and a lost message becomes due for the next channel."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rides.messaging.notifications import enqueue
from rides.messaging.receipts import record_receipt
from rides.models import AttemptStatus, Channel, DeliveryAttempt, MessageStatus, OutboxMessage
from tests.factories import Factory

NOON = dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)


def _sent(session: Session, make: Factory) -> tuple[OutboxMessage, DeliveryAttempt]:
    rider = make.newcomer(phone="+34600111222")
    message = enqueue(session, rider, "test", "receipt-test", "Subject", "Body")
    assert message is not None
    session.flush()
    message.status = MessageStatus.SENT
    attempt = DeliveryAttempt(
        message_id=message.id, channel=Channel.SMS, status=AttemptStatus.SENT, provider_id="SM1"
    )
    session.add(attempt)
    session.flush()
    return message, attempt


def test_receipts_move_forward_only_whatever_order_they_come_in(
    session: Session, make: Factory
) -> None:
    message, attempt = _sent(session, make)
    record_receipt(session, Channel.SMS, "SM1", AttemptStatus.READ, NOON)
    record_receipt(session, Channel.SMS, "SM1", AttemptStatus.DELIVERED, NOON)
    record_receipt(session, Channel.SMS, "SM1", AttemptStatus.READ, NOON)
    assert attempt.status == AttemptStatus.READ
    assert message.status == MessageStatus.SENT


def test_an_undelivered_message_is_due_again_for_the_next_channel(
    session: Session, make: Factory
) -> None:
    message, attempt = _sent(session, make)
    record_receipt(session, Channel.SMS, "SM1", AttemptStatus.UNDELIVERED, NOON, "30003")
    assert (attempt.status, attempt.error) == (AttemptStatus.UNDELIVERED, "30003")
    assert (message.status, message.next_attempt_at) == (MessageStatus.PENDING, NOON)
    message.status = MessageStatus.SENT  # delivered since on another channel
    record_receipt(session, Channel.SMS, "SM1", AttemptStatus.FAILED, NOON)
    assert message.status == MessageStatus.SENT


def test_a_receipt_for_an_unknown_id_or_other_channel_changes_nothing(
    session: Session, make: Factory
) -> None:
    _, attempt = _sent(session, make)
    assert record_receipt(session, Channel.SMS, "SM2", AttemptStatus.FAILED, NOON) is None
    assert record_receipt(session, Channel.WHATSAPP, "SM1", AttemptStatus.FAILED, NOON) is None
    assert attempt.status == AttemptStatus.SENT
