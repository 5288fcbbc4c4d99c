"""Twilio's status callbacks and incoming messages, signed as Twilio signs them."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.messaging import notifications
from rides.models import (
    AttemptStatus,
    Channel,
    DeliveryAttempt,
    InboundMessage,
    MessageStatus,
    OutboxMessage,
)
from tests.factories import Factory
from tests.twilio_server import AUTH_TOKEN, incoming_message, signed_headers, status_callback
from web.config import TWILIO_INBOUND_PATH, TWILIO_STATUS_PATH

PUBLIC = "https://rides.example.org"
SID = "SM" + "1" * 32
PHONE = "+34612345678"


@pytest.fixture
def twilio_app(app: Flask) -> Flask:
    app.config.update(TWILIO_AUTH_TOKEN=AUTH_TOKEN, PUBLIC_URL=PUBLIC)
    return app


def _post(client: FlaskClient, path: str, form: dict[str, str], **headers: str):
    signed = signed_headers(PUBLIC + path, form)
    return client.post(path, data=form, headers={**signed, **headers})


def _sent_by_sms(session: Session, make: Factory) -> DeliveryAttempt:
    rider = make.newcomer(phone=PHONE)
    message = notifications.enqueue(session, rider, "test", "t:1", "s", "b")
    assert message is not None
    session.flush()
    message.status = MessageStatus.SENT
    attempt = DeliveryAttempt(
        message_id=message.id, channel=Channel.SMS, status=AttemptStatus.SENT, provider_id=SID
    )
    session.add(attempt)
    session.commit()
    return attempt


def test_status_callbacks_move_the_attempt_forward_once(
    twilio_app: Flask, client: FlaskClient, session: Session, make: Factory
) -> None:
    """sent, delivered, then delivered again and a late "sent": delivered stays."""
    attempt = _sent_by_sms(session, make)
    for status in ("sent", "delivered", "delivered", "sent"):
        response = _post(client, TWILIO_STATUS_PATH, status_callback(SID, status, PHONE))
        assert response.status_code == 204
    session.refresh(attempt)
    assert attempt.status == AttemptStatus.DELIVERED


def test_undelivered_reopens_the_message_once(
    twilio_app: Flask, client: FlaskClient, session: Session, make: Factory
) -> None:
    """Undelivered with ErrorCode 30003: the message is due again for the next channel; the
    same callback a second time changes nothing."""
    attempt = _sent_by_sms(session, make)
    form = status_callback(SID, "undelivered", PHONE, error_code="30003")
    assert _post(client, TWILIO_STATUS_PATH, form).status_code == 204
    session.expire_all()
    message = session.scalars(select(OutboxMessage)).one()
    assert message.status == MessageStatus.PENDING
    assert attempt.status == AttemptStatus.UNDELIVERED and "30003" in (attempt.error or "")
    first_due = message.next_attempt_at
    message.status = MessageStatus.SENT  # the next channel took it meanwhile
    session.commit()
    assert _post(client, TWILIO_STATUS_PATH, form).status_code == 204
    session.expire_all()
    assert message.status == MessageStatus.SENT and message.next_attempt_at == first_due


@pytest.mark.parametrize("path", [TWILIO_STATUS_PATH, TWILIO_INBOUND_PATH])
def test_a_bad_or_missing_signature_is_refused(
    twilio_app: Flask, client: FlaskClient, session: Session, make: Factory, path: str
) -> None:
    """Signed with another token, signed for another URL, or not signed: 403 with a JSON error,
    and nothing is changed or stored."""
    attempt = _sent_by_sms(session, make)
    if path == TWILIO_STATUS_PATH:
        form = status_callback(SID, "delivered", PHONE)
    else:
        form = incoming_message("SM" + "2" * 32, PHONE, "1")
    wrong = [
        signed_headers(PUBLIC + path, form, token="another-token"),
        signed_headers("http://localhost" + path, form),
        signed_headers(PUBLIC + path, {**form, "Body": "forged"}),
        {},
    ]
    for headers in wrong:
        response = client.post(path, data=form, headers=headers)
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "forbidden"
    session.refresh(attempt)
    assert attempt.status == AttemptStatus.SENT
    assert session.scalars(select(InboundMessage)).all() == []


def test_without_an_auth_token_nothing_is_accepted(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    form = incoming_message("SM" + "2" * 32, PHONE, "1")
    assert _post(client, TWILIO_INBOUND_PATH, form).status_code == 403


def test_a_reply_is_stored_once_and_answered_with_empty_twiml(
    twilio_app: Flask, client: FlaskClient, session: Session, make: Factory
) -> None:
    rider = make.newcomer(phone=PHONE)
    session.commit()
    form = incoming_message("SM" + "3" * 32, PHONE, "Llegaré 5 minutos tarde")
    for _ in range(2):
        response = _post(client, TWILIO_INBOUND_PATH, form)
        assert response.status_code == 200 and response.mimetype == "text/xml"
        assert response.get_data(as_text=True).endswith("<Response/>")
    [stored] = session.scalars(select(InboundMessage)).all()
    assert (stored.channel, stored.person_id, stored.body) == (
        Channel.SMS,
        rider.id,
        "Llegaré 5 minutos tarde",
    )


def test_a_signed_request_missing_the_sid_is_a_400(twilio_app: Flask, client: FlaskClient) -> None:
    form = {"MessageStatus": "delivered"}
    response = _post(client, TWILIO_STATUS_PATH, form)
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"] == {"MessageSid": "Missing."}
