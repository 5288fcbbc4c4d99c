"""Issue 16's day, from an empty database: the first coordinator by the operator's command,
invitations accepted on their page, a plan published, the pickup reaching one newcomer by SMS
(Arabic, at most two segments) and another by WhatsApp (Ukrainian template), a "1" by SMS
confirming the ride, and a free-text WhatsApp reply waiting in the coordinators' inbox.

Every outside service is a local server speaking its provider's documented format (Twilio,
the WhatsApp Cloud API); the parts each step uses are tested in depth in their own files."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from rides import clock
from rides.accounts import invitations
from rides.accounts.people import PersonSpec
from rides.booking.reminders import ReminderLinks, queue_reminders
from rides.booking.ride_requests import book_ride
from rides.db import make_sessionmaker
from rides.driving.availability import VehicleSpec, add_vehicle
from rides.driving.routes import accept_route
from rides.messaging import delivery
from rides.messaging.delivery import DeliverySettings
from rides.messaging.sms_segments import segments
from rides.messaging.sms_twilio import TwilioSms
from rides.messaging.whatsapp_cloud import WhatsAppSender, WhatsAppSettings
from rides.models import Channel, InboundMessage, Person, ReplyOutcome, Role
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.clocks import ServiceClock
from tests.factories import JADRAQUE, Factory
from tests.rides.messaging import whatsapp_examples as examples
from tests.rides.messaging.whatsapp_server import TOKEN, FakeCloudApi, Running, serve
from tests.twilio_server import AUTH_TOKEN, incoming_message, signed_headers
from tests.web.pages import csrf_token, sign_in_page
from web.commands.people import people
from web.config import TWILIO_INBOUND_PATH

PASSWORD = "a long enough passphrase"
PUBLIC = "https://rides.example.org"
APP_SECRET = "6c5e7d0b9c5a4f1e8a2b3c4d5e6f7a8b"
#: A Tuesday; booked, planned and reminded on the Monday.
DAY = dt.date(2026, 12, 8)
AMINA, OLENA = "+34612345678", "+34612345679"


@pytest.fixture
def cloud() -> Iterator[Running]:
    yield from serve(FakeCloudApi())


def _accept(app: Flask, path: str, language: str) -> None:
    """The person opens the link, chooses a password and confirms the language."""
    browser = app.test_client()
    form = {"csrf_token": csrf_token(browser, path), "language": language,
            "password": PASSWORD, "password_again": PASSWORD}  # fmt: skip
    response = browser.post(path, data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def _deliver(engine: Engine, twilio_settings, cloud: Running) -> delivery.DeliveryReport:
    whatsapp = WhatsAppSettings(TOKEN, examples.PHONE_NUMBER_ID, api_url=cloud.url, timeout=5)
    senders = {Channel.SMS: functools.partial(TwilioSms, twilio_settings),
               Channel.WHATSAPP: functools.partial(WhatsAppSender, whatsapp)}  # fmt: skip
    settings = DeliverySettings(senders=senders)
    return delivery.send_pending(make_sessionmaker(engine), settings, now=clock.now())


def test_real_people_from_an_empty_database_to_a_confirmed_ride(
    app: Flask, client: FlaskClient, session: Session, engine: Engine, make: Factory,
    service_clock: ServiceClock, twilio, cloud: Running,
) -> None:  # fmt: skip
    fake_twilio, twilio_settings = twilio
    app.config.update(TWILIO_AUTH_TOKEN=AUTH_TOKEN, PUBLIC_URL=PUBLIC,
                      WHATSAPP_APP_SECRET=APP_SECRET)  # fmt: skip
    service_clock.at(DAY - dt.timedelta(days=1), 9)
    assert session.scalar(select(func.count()).select_from(Person)) == 0

    # The operator creates the first coordinator.
    added = app.test_cli_runner().invoke(people, [
        "add", "--role", "coordinator", "--email", "carmen@example.org", "--first-name",
        "Carmen", "--password-stdin"], input=f"{PASSWORD}\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    carmen = session.scalars(select(Person).where(Person.role == Role.COORDINATOR)).one()

    # She invites two newcomers (phones only) and a driver; each accepts on the link's page.
    invited = {}
    for name, role, spec_fields, language in (
        ("Amina", Role.NEWCOMER, {"phone": AMINA}, "ar"),
        ("Olena", Role.NEWCOMER, {"phone": OLENA}, "uk"),
        ("Javier", Role.DRIVER, {"email": "javier@example.org"}, "es"),
    ):
        spec = PersonSpec(first_name=name, preferred_language=language, **spec_fields)
        person, link = invitations.create_and_invite(session, carmen, role, spec)
        invited[name] = (person, link)
    amina, olena, javier = (invited[n][0] for n in ("Amina", "Olena", "Javier"))
    olena.channels = "whatsapp,sms,call"  # she reads WhatsApp, not SMS
    session.commit()
    for name, language in (("Amina", "ar"), ("Olena", "uk"), ("Javier", "es")):
        _accept(app, invited[name][1].path, language)
    session.expire_all()
    assert all(p.password_hash for p in (amina, olena, javier))

    # The driver gives a car and a morning; the newcomers book; the day is planned at 18:00.
    add_vehicle(session, javier, VehicleSpec("Seat Ibiza", 4))
    make.shift(javier, date=DAY, start_time=dt.time(7), end_time=dt.time(15))
    book_ride(session, amina, make.ride_spec(date=DAY, time=dt.time(10, 30)))
    book_ride(session, olena, make.ride_spec(date=DAY, time=dt.time(11, 30),
                                             origin_id=make.place(JADRAQUE).id))  # fmt: skip
    service_clock.at(DAY - dt.timedelta(days=1), 18)
    plan = publish_plan(session, plan_day(session, DAY, PlanSettings(time_limit=1.0)))
    (route,) = [r for r in plan.routes if r.stops]
    accept_route(session, javier, route.id)
    session.commit()
    assert {s.request.rider_id for s in route.stops} == {amina.id, olena.id}

    _deliver(engine, twilio_settings, cloud)

    # Amina's pickup came by SMS, in Arabic, in at most two segments; nothing by WhatsApp.
    to_amina = [c.form["Body"] for c in fake_twilio.created if c.form["To"] == AMINA]
    pickup_at = next(s.planned_at for s in route.stops if s.request.rider_id == amina.id)
    shown = pickup_at.astimezone(clock.LOCAL_TZ).strftime("%H:%M")
    pickups = [body for body in to_amina if shown in body]
    assert len(pickups) == 1 and re.search("[\u0600-\u06ff]", pickups[0]), to_amina
    assert segments(pickups[0]) <= 2
    # Olena's came as the approved Ukrainian template on WhatsApp, not by SMS.
    templates = [seen.body["template"] for seen in cloud.api.seen
                 if seen.body.get("to") == OLENA.lstrip("+")]  # fmt: skip
    assert {t["name"] for t in templates} >= {"rural_cars_pickup"}
    assert {t["language"]["code"] for t in templates} == {"uk"}
    # (her invitation has no WhatsApp template, so it went by SMS, the next channel she chose)
    olena_at = next(s.planned_at for s in route.stops if s.request.rider_id == olena.id)
    olena_time = olena_at.astimezone(clock.LOCAL_TZ).strftime("%H:%M")
    to_olena = [c.form["Body"] for c in fake_twilio.created if c.form["To"] == OLENA]
    assert to_olena and not [body for body in to_olena if olena_time in body]

    # The evening reminder goes out; Amina answers "1" by SMS, Olena writes a question.
    service_clock.at(DAY - dt.timedelta(days=1), 19)
    assert queue_reminders(session, DAY, ReminderLinks(str(app.config["SECRET_KEY"]), PUBLIC)) == 2
    session.commit()
    _deliver(engine, twilio_settings, cloud)
    service_clock.at(DAY - dt.timedelta(days=1), 19, 30)
    form = incoming_message("SM" + "7" * 32, AMINA, "1")
    answered = client.post(TWILIO_INBOUND_PATH, data=form,
                           headers=signed_headers(PUBLIC + TWILIO_INBOUND_PATH, form))  # fmt: skip
    assert answered.status_code == 200
    question = "Можна взяти з собою дитячий візок?"
    raw = json.dumps(examples.text_message(OLENA.lstrip("+"), "wamid.olena1", question,
                                           str(int(clock.now().timestamp())))).encode()  # fmt: skip
    digest = hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    written = client.post("/webhooks/whatsapp", data=raw, headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"})  # fmt: skip
    assert written.status_code == 200

    session.expire_all()
    replies = {m.person_id: m for m in session.scalars(select(InboundMessage))}
    amina_ride = next(s.request for s in route.stops if s.request.rider_id == amina.id)
    assert replies[amina.id].outcome == ReplyOutcome.CONFIRMED
    assert replies[amina.id].request_id == amina_ride.id
    assert replies[olena.id].outcome == ReplyOutcome.INBOX
    # The coordinator sees Olena's question, with her name, on the day page.
    assert sign_in_page(client, "carmen@example.org", PASSWORD).status_code == 302
    page = client.get(f"/coordinator/?date={DAY.isoformat()}").get_data(as_text=True)
    assert question in page and "Olena" in page
