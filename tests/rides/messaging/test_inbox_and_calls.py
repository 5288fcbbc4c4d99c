"""The coordinators' inbox (replies left for a person) and the "call today" list (messages
no digital channel delivered), as services."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from rides import clock
from rides.db import make_sessionmaker
from rides.errors import NotFound, PermissionDenied
from rides.messaging import calls, delivery, inbox, notifications
from rides.messaging.inbound import Inbound, receive
from rides.models import AuditEntry, Channel, MessageStatus, OutboxMessage, Person
from tests.factories import Factory


def _reply(session: Session, sender: str, body: str, provider_id: str) -> int:
    stored = receive(session, Inbound(Channel.SMS, provider_id, sender, body, clock.now()))
    assert stored is not None
    return stored.id


def test_the_inbox_lists_waiting_replies_with_sender_and_ride(
    session: Session, make: Factory
) -> None:
    carmen = make.coordinator()
    amina = make.newcomer(first_name="Amina", last_name="Benali", phone="+34600111222")
    ride = make.request(amina)
    known = _reply(session, "+34600111222", "¿Puedo llevar a mi hija?", "SM1")
    unknown = _reply(session, "+34699000000", "hola?", "SM2")
    items = inbox.inbox(session, carmen)
    assert [i.id for i in items] == [known, unknown]
    assert (items[0].name, items[0].body) == ("Amina B.", "¿Puedo llevar a mi hija?")
    assert items[0].ride is not None and items[0].ride.request_id == ride.id
    assert items[0].ride.origin == ride.origin.name and items[0].ride.time == dt.time(10, 30)
    assert (items[1].name, items[1].sender, items[1].ride) == (None, "+34699000000", None)


def test_done_takes_a_reply_out_once_and_only_coordinators_may(
    session: Session, make: Factory
) -> None:
    carmen, lucia = make.coordinator(), make.coordinator()
    message_id = _reply(session, "+34699000000", "hola?", "SM1")
    with pytest.raises(PermissionDenied):
        inbox.mark_done(session, make.newcomer(), message_id)
    first = inbox.mark_done(session, carmen, message_id)
    again = inbox.mark_done(session, lucia, message_id)
    assert first.handled_at is not None and again.handled_at == first.handled_at
    assert inbox.inbox(session, carmen) == []
    done = session.scalars(select(AuditEntry).where(AuditEntry.action == "done")).all()
    assert [e.actor_id for e in done] == [carmen.id]
    with pytest.raises(NotFound):
        inbox.mark_done(session, carmen, message_id + 100)


def _listed(session: Session, engine: Engine, person: Person, *texts: str) -> list[int]:
    """Messages to ``person`` handed to the coordinators by a delivery run without e-mail."""
    ids = []
    for n, text in enumerate(texts):
        message = notifications.enqueue(
            session, person, "test", f"test:{person.id}:{n}", "Tu viaje", text
        )
        assert message is not None
        session.flush()
        ids.append(message.id)
    session.commit()
    delivery.send_pending(make_sessionmaker(engine), delivery.DeliverySettings(smtp=None))
    session.expire_all()
    return ids


def test_the_call_list_groups_messages_per_person_until_called(
    session: Session, make: Factory, engine: Engine
) -> None:
    carmen = make.coordinator()
    amina = make.newcomer(first_name="Amina", phone="+34600111222", preferred_language="ar")
    ioana = make.newcomer(first_name="Ioana", phone=None)
    first = _listed(session, engine, amina, "Mensaje 1", "Mensaje 2")
    _listed(session, engine, ioana, "Mensaje 3")
    people = calls.calls_to_make(session, carmen)
    assert [(p.name, p.phone) for p in people] == [("Amina", "+34600111222"), ("Ioana", None)]
    assert [m.body for m in people[0].messages] == ["Mensaje 1", "Mensaje 2"]
    assert people[0].message_ids == f"{first[0]},{first[1]}"
    # Only the messages the coordinator read out are ticked: a later one stays listed.
    assert calls.mark_called(session, carmen, amina.id, first[:1]) == 1
    assert [m.body for m in calls.calls_to_make(session, carmen)[0].messages] == ["Mensaje 2"]
    assert calls.mark_called(session, carmen, amina.id, first) == 1
    assert [p.name for p in calls.calls_to_make(session, carmen)] == ["Ioana"]
    called = session.get(OutboxMessage, first[0])
    assert called is not None and called.payload["called_by"] == carmen.id


def test_ticking_nothing_or_someone_elses_messages_is_not_found(
    session: Session, make: Factory, engine: Engine
) -> None:
    carmen = make.coordinator()
    amina, ioana = make.newcomer(), make.newcomer()
    ids = _listed(session, engine, amina, "Mensaje 1")
    with pytest.raises(NotFound):
        calls.mark_called(session, carmen, ioana.id, ids)
    with pytest.raises(PermissionDenied):
        calls.mark_called(session, amina, amina.id, ids)


def test_messages_by_e_mail_and_to_coordinators_are_not_calls(
    session: Session, make: Factory, engine: Engine
) -> None:
    carmen = make.coordinator()
    _listed(session, engine, carmen, "Resumen del día")
    emailed = make.newcomer()
    message = notifications.enqueue(session, emailed, "test", "mailed", "Tu viaje", "Hola")
    assert message is not None
    message.status, message.payload = MessageStatus.SENT, {"channel": "email"}
    session.flush()
    assert calls.calls_to_make(session, carmen) == []
