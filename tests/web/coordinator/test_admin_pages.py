"""The coordinator's upkeep pages through the test client: the outbox, people and places."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.db import make_sessionmaker
from rides.messaging import delivery, notifications
from rides.models import (
    MessageStatus,
    OutboxMessage,
    Person,
    Place,
    PlaceKind,
    Role,
)
from rides.planning import day_plans
from tests.factories import ATIENZA, SIGUENZA, Factory
from tests.web.coordinator.actions import (
    newest_plan,
    page_text,
    post_form,
)


def test_outbox_lists_the_messages_of_a_publication(
    client: FlaskClient, coordinator: Person, day, session: Session
) -> None:
    """After publishing, riders' and drivers' messages are listed newest first with status,
    first name, language and text; the "sent" filter hides them while they are pending."""
    day_plans.publish_plan(session, newest_plan(session))
    session.commit()
    messages = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).all()
    assert messages
    page = page_text(client, "/coordinator/outbox?status=pending")
    assert "Olena" in page
    assert "Javier" in page or "Lucía" in page
    assert page.index(messages[0].subject) <= page.index(messages[-1].subject)
    assert messages[0].body.split("\n")[0] in page
    assert all(m.status == MessageStatus.PENDING for m in messages)
    assert "No message here." in page_text(client, "/coordinator/outbox?status=sent")


def test_create_people_of_each_role(
    client: FlaskClient, coordinator: Person, session: Session
) -> None:
    """A driver with a password can then sign in; a bad e-mail is refused under its field."""
    response = post_form(
        client,
        "/coordinator/people",
        {
            "role": "driver",
            "first_name": "Rosa",
            "email": "rosa@example.org",
            "preferred_language": "es",
            "password": "a long password",
        },
        token_page="/coordinator/people",
    )
    assert response.status_code == 303
    rosa = session.scalars(select(Person).where(Person.email == "rosa@example.org")).one()
    assert rosa.role == Role.DRIVER and rosa.password_hash
    assert "Rosa" in page_text(client, "/coordinator/people?role=driver")
    assert "Rosa" not in page_text(client, "/coordinator/people?role=newcomer")
    bad = post_form(
        client,
        "/coordinator/people",
        {
            "role": "newcomer",
            "first_name": "Omar",
            "email": "not an address",
            "preferred_language": "ar",
        },
        token_page="/coordinator/people",
    )
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert 'id="email-error"' in page and 'value="Omar"' in page


def test_add_a_stop_and_edit_a_meeting_point(
    client: FlaskClient, coordinator: Person, session: Session, make: Factory
) -> None:
    """A health centre added in Sigüenza sits at the village unless coordinates are given and
    is found by search; its meeting point can then be changed."""
    town = make.place(SIGUENZA)
    session.commit()
    assert "Add a stop in Sigüenza" in page_text(client, "/coordinator/places?q=siguenza")
    response = post_form(
        client,
        f"/coordinator/places/{town.id}/stops",
        {"name": "Centro de Salud", "kind": "health_centre", "meeting_point": "Main door"},
        token_page=f"/coordinator/places/{town.id}/stops",
    )
    assert response.status_code == 303
    stop = session.scalars(select(Place).where(Place.name == "Centro de Salud")).one()
    assert (stop.kind, stop.municipality_id, stop.meeting_point) == (
        PlaceKind.HEALTH_CENTRE, town.id, "Main door",
    )  # fmt: skip
    assert (stop.latitude, stop.longitude) == (town.latitude, town.longitude)
    assert "Centro de Salud" in page_text(client, "/coordinator/places")
    response = post_form(
        client,
        f"/coordinator/places/{stop.id}",
        {"meeting_point": "  Bench by the car park  "},
        token_page=f"/coordinator/places/{stop.id}",
    )
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Place, stop.id).meeting_point == "Bench by the car park"


def test_a_stop_without_a_name_is_refused_with_the_input_kept(
    client: FlaskClient, coordinator: Person, session: Session, make: Factory
) -> None:
    """The name is required and an impossible latitude is refused by the service."""
    town = make.place(ATIENZA)
    session.commit()
    response = post_form(
        client,
        f"/coordinator/places/{town.id}/stops",
        {"name": "Farmacia", "kind": "shop", "latitude": "95", "longitude": "-2.8"},
        token_page=f"/coordinator/places/{town.id}/stops",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Between -90 and 90." in page and 'value="Farmacia"' in page


def test_place_suggestions_while_typing(client: FlaskClient, coordinator: Person) -> None:
    """The booking form's JSON offers close place names from two letters on, none before."""
    found = client.get("/coordinator/places.json?q=siguenza").get_json()
    assert found[0]["label"] == "Sigüenza" and isinstance(found[0]["id"], int)
    assert client.get("/coordinator/places.json?q=s").get_json() == []


def test_outbox_says_which_channels_are_off_and_how_each_message_went(
    app, client: FlaskClient, coordinator: Person, session: Session, make: Factory
) -> None:
    """Nothing configured: SMS, WhatsApp and e-mail are named off; a message the listing took
    shows "Call". With Twilio set, SMS is no longer named."""
    rider = make.newcomer(first_name="Amina")
    notifications.enqueue(session, rider, "test", "t:1", "Tu viaje", "Mañana")
    session.commit()
    delivery.send_pending(make_sessionmaker(session.get_bind()), delivery.DeliverySettings())
    page = page_text(client, "/coordinator/outbox")
    off = page[page.index("Channels off") : page.index("Channels off") + 120]
    assert "SMS, WhatsApp, E-mail" in off
    assert "Call" in page[page.index("Amina") :]
    app.config.update(
        TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN="t", TWILIO_FROM="+34949000111"
    )
    page = page_text(client, "/coordinator/outbox")
    assert "SMS" not in page[page.index("Channels off") : page.index("Channels off") + 120]
