"""Replies are stored once per provider id and matched to their sender by phone number."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides.messaging.inbound import Inbound, receive
from rides.models import Channel, InboundMessage, ReplyOutcome
from tests.factories import Factory

NOON = dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)


def _reply(sender: str, provider_id: str = "SM1", body: str = "hola") -> Inbound:
    return Inbound(Channel.SMS, provider_id, sender, body, NOON)


def test_a_reply_is_stored_with_its_sender_and_waits_in_the_inbox(
    session: Session, make: Factory
) -> None:
    rider = make.newcomer(phone="+34600111222")
    stored = receive(session, _reply("+34600111222"))
    assert stored is not None
    assert (stored.person_id, stored.outcome, stored.body) == (rider.id, ReplyOutcome.INBOX, "hola")


def test_a_callback_repeated_by_the_provider_is_stored_once(
    session: Session, make: Factory
) -> None:
    make.newcomer(phone="+34600111222")
    assert receive(session, _reply("+34600111222")) is not None
    assert receive(session, _reply("+34600111222", body="again")) is None
    assert session.scalar(select(func.count()).select_from(InboundMessage)) == 1


def test_an_unknown_or_shared_number_has_no_sender(session: Session, make: Factory) -> None:
    make.newcomer(phone="+34600111222")
    make.newcomer(phone="+34600111222")
    shared = receive(session, _reply("+34600111222", "SM1"))
    unknown = receive(session, _reply("+34699999999", "SM2"))
    assert shared is not None and shared.person_id is None
    assert unknown is not None and unknown.person_id is None


def test_channel_order_defaults_to_phones_first_and_ignores_unknown_names(make: Factory) -> None:
    person = make.newcomer()
    assert person.channel_order == (Channel.SMS, Channel.WHATSAPP, Channel.EMAIL, Channel.CALL)
    person.channels = "email,fax,call,email"
    assert person.channel_order == (Channel.EMAIL, Channel.CALL)
