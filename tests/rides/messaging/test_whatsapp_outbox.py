"""Real outbox messages (a published pickup, the evening reminder) go out as WhatsApp templates
whose filled-in text is what the rider reads on the other channels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.booking.reminders import ReminderLinks, queue_reminders
from rides.messaging import whatsapp_templates as templates
from rides.messaging.channels import Outgoing
from rides.messaging.whatsapp_cloud import WhatsAppSender, WhatsAppSettings
from rides.models import OutboxMessage
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.factories import ATIENZA, Factory, tomorrow
from tests.rides.messaging import whatsapp_examples as examples
from tests.rides.messaging.whatsapp_server import TOKEN, FakeCloudApi, Running, serve


@pytest.fixture
def cloud() -> Iterator[Running]:
    yield from serve(FakeCloudApi())


def _read(template: dict) -> str:
    """The text WhatsApp shows: the approved body with the parameters put in."""
    language = next(
        k for k, v in templates.LANGUAGE_CODES.items() if v == template["language"]["code"]
    )
    kind = next(k for k, t in templates.TEMPLATES.items() if t.name == template["name"])
    text = templates.body(kind, language)
    for number, parameter in enumerate(template["components"][0]["parameters"], 1):
        text = text.replace(f"{{{{{number}}}}}", parameter["text"])
    return text


@pytest.mark.parametrize("language", ["uk", "ar"])
def test_pickup_and_reminder_read_as_the_outbox_wrote_them(
    session: Session, make: Factory, cloud: Running, language: str
) -> None:
    make.place(ATIENZA).meeting_point = "plaza Mayor"
    make.shift(make.driver(), start_time=dt.time(7), end_time=dt.time(15))
    rider = make.newcomer(preferred_language=language, phone="+34600111222")
    make.request(rider, origin_id=make.place(ATIENZA).id, time=dt.time(10))
    publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1.0)))
    queue_reminders(session, tomorrow(), ReminderLinks("k" * 32, "https://x.org"))
    messages = {
        m.kind: m
        for m in session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient_id == rider.id)
        )
    }
    sender = WhatsAppSender(
        WhatsAppSettings(TOKEN, examples.PHONE_NUMBER_ID, api_url=cloud.url, timeout=2.0)
    )
    try:
        for kind in ("pickup_confirmed", "ride_reminder"):
            message = messages[kind]
            outgoing = Outgoing(message.id, kind, message.language, sender.address(rider) or "",
                                message.subject, message.body, message.payload)  # fmt: skip
            assert sender.send(outgoing).provider_id.startswith("wamid.")
    finally:
        sender.close()
    pickup, reminder = (_read(seen.body["template"]) for seen in cloud.api.seen)
    assert pickup == messages["pickup_confirmed"].body.split("\n\n")[0]
    assert "plaza Mayor" in pickup
    assert ".." not in pickup
    assert reminder.startswith(pickup.rstrip("."))
    assert cloud.api.seen[0].body["to"] == "34600111222"
