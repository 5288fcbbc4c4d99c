"""Meta's WhatsApp webhook: the URL check, signed status notifications moving delivery attempts,
and replies stored once; bad signatures and bad bodies are refused with a JSON error."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.messaging.notifications import enqueue
from rides.models import (
    AttemptStatus,
    Channel,
    DeliveryAttempt,
    InboundMessage,
    MessageStatus,
    OutboxMessage,
)
from tests.clocks import ServiceClock
from tests.factories import Factory
from tests.rides.messaging import whatsapp_examples as examples

SECRET = "6c5e7d0b9c5a4f1e8a2b3c4d5e6f7a8b"
VERIFY = "rural-cars-verify"
URL = "/webhooks/whatsapp"
NOON = dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)
PHONE = "+34600111222"


@pytest.fixture
def meta(app: Flask) -> Flask:
    app.config.update(WHATSAPP_APP_SECRET=SECRET, WHATSAPP_VERIFY_TOKEN=VERIFY)
    return app


def _post(client: FlaskClient, payload: Any, secret: str | None = SECRET) -> Any:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        digest = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
        headers["X-Hub-Signature-256"] = f"sha256={digest}"
    return client.post(URL, data=raw, headers=headers)


def _sent(session: Session, make: Factory) -> tuple[int, int]:
    """A pickup message sent by WhatsApp with the documentation's wamid: (message, attempt)."""
    rider = make.newcomer(phone=PHONE)
    message = enqueue(session, rider, "pickup_confirmed", "wa-test", "Subject", "Body")
    assert message is not None
    session.flush()
    message.status = MessageStatus.SENT
    attempt = DeliveryAttempt(
        message_id=message.id,
        channel=Channel.WHATSAPP,
        status=AttemptStatus.SENT,
        provider_id=examples.WAMID,
    )
    session.add(attempt)
    session.commit()
    return message.id, attempt.id


def _attempt(session: Session, attempt_id: int) -> DeliveryAttempt:
    session.expire_all()
    attempt = session.get(DeliveryAttempt, attempt_id)
    assert attempt is not None
    return attempt


def test_meta_s_url_check_is_answered_with_the_challenge_only_for_our_token(
    meta: Flask, client: FlaskClient
) -> None:
    good = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"}
    response = client.get(URL, query_string=good)
    assert (response.status_code, response.text) == (200, "1158201444")
    for wrong in ({**good, "hub.verify_token": "guess"}, {**good, "hub.mode": "unsubscribe"}, {}):
        response = client.get(URL, query_string=wrong)
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "forbidden"
    meta.config["WHATSAPP_VERIFY_TOKEN"] = None
    assert client.get(URL, query_string=good).status_code == 403


def test_delivered_then_read_move_the_attempt_and_a_repeat_changes_nothing(
    meta: Flask, client: FlaskClient, session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    service_clock.set(NOON)
    _, attempt_id = _sent(session, make)
    delivered = examples.status(examples.WAMID, "delivered", PHONE[1:])
    response = _post(client, delivered)
    assert response.status_code == 200
    assert response.get_json()["receipts"] == 1
    assert _attempt(session, attempt_id).status == AttemptStatus.DELIVERED
    read_at = service_clock.set(NOON + dt.timedelta(minutes=3))
    assert _post(client, examples.status(examples.WAMID, "read", PHONE[1:])).status_code == 200
    assert _attempt(session, attempt_id).status == AttemptStatus.READ
    service_clock.set(NOON + dt.timedelta(minutes=5))
    assert _post(client, delivered).status_code == 200  # late and repeated
    attempt = _attempt(session, attempt_id)
    assert attempt.status == AttemptStatus.READ
    assert attempt.updated_at == read_at


def test_a_failed_status_makes_the_message_due_for_the_next_channel(
    meta: Flask, client: FlaskClient, session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    service_clock.set(NOON)
    message_id, attempt_id = _sent(session, make)
    for _ in range(2):  # Meta retries a notification it thinks we missed
        response = _post(client, examples.status(examples.WAMID, "failed", PHONE[1:]))
        assert response.status_code == 200
    attempt = _attempt(session, attempt_id)
    assert attempt.status == AttemptStatus.FAILED
    assert attempt.error == "131026 Message undeliverable: Message Undeliverable."
    message = session.get(OutboxMessage, message_id)
    assert message is not None
    assert (message.status, message.next_attempt_at) == (MessageStatus.PENDING, NOON)
    assert message.last_error is not None and message.last_error.startswith("whatsapp: 131026")


def test_an_unknown_id_is_acknowledged(meta: Flask, client: FlaskClient) -> None:
    response = _post(client, examples.status("wamid.UNKNOWN", "delivered", PHONE[1:]))
    assert response.status_code == 200
    assert response.get_json() == {"receipts": 0, "unknown": 1, "replies": 0, "repeated": 0}


def test_a_bad_or_missing_signature_is_refused_and_changes_nothing(
    meta: Flask, client: FlaskClient, session: Session, make: Factory
) -> None:
    _, attempt_id = _sent(session, make)
    failed = examples.status(examples.WAMID, "failed", PHONE[1:])
    for secret in ("not-the-app-secret", None):
        response = _post(client, failed, secret=secret)
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "forbidden"
    tampered = json.dumps(failed).encode()
    good = hmac.new(SECRET.encode(), tampered, hashlib.sha256).hexdigest()
    response = client.post(
        URL, data=tampered + b" ", headers={"X-Hub-Signature-256": f"sha256={good}"}
    )
    assert response.status_code == 403
    meta.config["WHATSAPP_APP_SECRET"] = None  # no secret: nothing can be believed
    assert _post(client, failed).status_code == 403
    assert _attempt(session, attempt_id).status == AttemptStatus.SENT


def test_a_signed_body_that_is_not_a_notification_is_a_400(
    meta: Flask, client: FlaskClient
) -> None:
    for body in (b"{not json", b"\xff\xfe", b"[1, 2]"):
        response = _post(client, body)
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "bad_request"
    assert _post(client, {"object": "whatsapp_business_account"}).status_code == 200


def test_a_text_reply_is_stored_once_with_its_sender(
    meta: Flask, client: FlaskClient, session: Session, make: Factory
) -> None:
    rider = make.newcomer(phone=PHONE)
    session.commit()
    reply = examples.text_message(PHONE[1:], "wamid.REPLY1", "¿Puede venir mi hija?")
    assert _post(client, reply).get_json()["replies"] == 1
    assert _post(client, reply).get_json()["repeated"] == 1
    session.expire_all()
    (stored,) = session.scalars(select(InboundMessage)).all()
    assert (stored.channel, stored.sender, stored.person_id) == (Channel.WHATSAPP, PHONE, rider.id)
    assert stored.body == "¿Puede venir mi hija?"
    assert stored.provider_id == "wamid.REPLY1"
    assert stored.received_at == dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)


def test_button_taps_are_stored_as_their_labels(
    meta: Flask, client: FlaskClient, session: Session
) -> None:
    _post(client, examples.button_message(PHONE[1:], "wamid.B1", "Sí"))
    _post(client, examples.interactive_message(PHONE[1:], "wamid.B2", "No"))
    session.expire_all()
    bodies = dict(session.execute(select(InboundMessage.provider_id, InboundMessage.body)).all())
    assert bodies == {"wamid.B1": "Sí", "wamid.B2": "No"}
