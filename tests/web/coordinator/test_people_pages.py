"""The People pages: invitations and their card, edit, deactivate, the call list; and the API."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.accounts import invitations
from rides.models import Invitation, OutboxMessage, Person, RequestStatus
from tests.factories import Factory
from tests.web.coordinator.actions import page_text, post_form
from tests.web.pages import sign_in_page

LINK = re.compile(r"http://127\.0\.0\.1:5000/invite/[A-Za-z0-9_-]+")


def test_creating_a_newcomer_without_password_shows_the_card_in_their_language(
    client: FlaskClient, coordinator: Person, session: Session
) -> None:
    """The card has the QR code, the link and the instructions in Arabic, right to left; the
    same link goes out in the outbox; only its hash is stored."""
    response = post_form(
        client, "/coordinator/people",
        {"role": "newcomer", "first_name": "Salma", "email": "salma@example.org",
         "preferred_language": "ar"},
        token_page="/coordinator/people",
    )  # fmt: skip
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert 'lang="ar" dir="rtl"' in page and '<svg role="img" viewBox=' in page
    assert "Print the card" in page  # the coordinator's own language around the card
    (link,) = set(LINK.findall(page))
    message = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invitation")).one()
    assert message.language == "ar" and message.body.endswith(link)
    secret = link.rsplit("/", 1)[1]
    assert all(secret not in row.token_hash for row in session.scalars(select(Invitation)))


def test_a_person_page_edits_the_phone_in_e164_and_refuses_a_bad_one(
    client: FlaskClient, coordinator: Person, session: Session, make: Factory
) -> None:
    salma = make.newcomer(first_name="Salma", email=None)
    village = make.place()
    session.commit()
    path = f"/coordinator/people/{salma.id}"
    base = {"first_name": "Salma", "last_name": "Benali", "preferred_language": "ar"}
    bad = post_form(client, path, {**base, "phone": "12 34"}, token_page=path)
    assert bad.status_code == 422
    assert "Not a valid phone number." in html.unescape(bad.get_data(as_text=True))
    good = post_form(
        client, path, {**base, "phone": "612 345 678", "home_village": village.name.lower()},
        token_page=path,
    )  # fmt: skip
    assert good.status_code == 303
    session.refresh(salma)
    assert salma.phone == "+34612345678" and salma.home_place_id == village.id
    listing = page_text(client, "/coordinator/people")
    assert f"Salma B. · {village.name} · ···678" in listing


def test_deactivating_stops_sign_in_and_cancels_open_trips(
    client: FlaskClient, coordinator: Person, session: Session, make: Factory
) -> None:
    rider = make.newcomer(email="amina@example.org", password="a long password")
    trip = make.request(rider)
    session.commit()
    path = f"/coordinator/people/{rider.id}"
    response = post_form(client, f"{path}/active", {"action": "deactivate"}, token_page=path)
    assert response.status_code == 303
    session.refresh(trip)
    assert trip.status == RequestStatus.CANCELLED
    assert "Deactivated: cannot sign in" in page_text(client, path)
    other = client.application.test_client()
    assert sign_in_page(other, "amina@example.org", "a long password").status_code == 400


def test_reinviting_shows_a_new_card_and_the_old_link_stops_working(
    client: FlaskClient, coordinator: Person, session: Session, make: Factory
) -> None:
    person = make.newcomer(email=None, phone=None)
    first = invitations.invite(session, coordinator, person)
    session.commit()
    path = f"/coordinator/people/{person.id}"
    response = post_form(client, f"{path}/invitation", {}, token_page=path)
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "no e-mail and no phone: print this card" in page
    assert client.get(first.path).status_code == 410


def test_the_call_list_shows_who_asked_for_a_new_password(
    client: FlaskClient, coordinator: Person, session: Session, make: Factory
) -> None:
    village = make.place()
    make.newcomer(first_name="Fatou", email=None, home_place_id=village.id)
    session.commit()
    other = client.application.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', other.get("/forgot").text)
    assert token
    answer = other.post(
        "/forgot",
        data={
            "csrf_token": token.group(1),
            "help-first_name": "Fatou",
            "help-village": village.name,
        },
    )
    assert answer.status_code == 303
    listing = page_text(client, "/coordinator/people")
    assert "Asked for a new password" in listing and f"Fatou · {village.name}" in listing


def test_the_api_invites_edits_and_deactivates(sign_in, make: Factory, session: Session) -> None:
    caller = sign_in(make.coordinator())
    created = caller.post(
        "/people", json={"role": "driver", "first_name": "Luis", "phone": "612000222"}
    )
    assert created.status_code == 201
    body = created.get_json()
    assert body["phone"] == "+34612000222" and body["active"] is True
    assert LINK.fullmatch(body["invitation"]["url"])
    again = caller.post(f"/people/{body['id']}/invitation")
    assert again.status_code == 201 and again.get_json()["url"] != body["invitation"]["url"]
    bad = caller.put(f"/people/{body['id']}", json={"first_name": "Luis", "phone": "12"})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"phone"}
    edited = caller.put(f"/people/{body['id']}", json={"first_name": "Luis", "last_name": "Gil"})
    assert edited.status_code == 200 and edited.get_json()["phone"] is None
    gone = caller.post(f"/people/{body['id']}/deactivate")
    assert gone.status_code == 200 and gone.get_json()["active"] is False
    assert caller.post(f"/people/{body['id']}/invitation").status_code == 400


def test_how_to_reach_a_person_is_chosen_on_their_page(
    client: FlaskClient, coordinator: Person, session: Session, make: Factory
) -> None:
    """WhatsApp first for Salma: saved as her channel order (delivery reads it); a forged
    value is a message under the field and changes nothing; the usual order clears it."""
    salma = make.newcomer(first_name="Salma", phone="+34612345678")
    session.commit()
    path = f"/coordinator/people/{salma.id}"
    base = {"first_name": "Salma", "preferred_language": "ar", "phone": "612345678"}
    page = html.unescape(client.get(path).get_data(as_text=True))
    assert "How to reach them" in page and 'value="whatsapp,sms,email,call"' in page
    chosen = post_form(client, path, {**base, "channels": "whatsapp,sms,email,call"},
                       token_page=path)  # fmt: skip
    assert chosen.status_code == 303
    session.refresh(salma)
    assert [c.value for c in salma.channel_order] == ["whatsapp", "sms", "email", "call"]
    forged = post_form(client, path, {**base, "channels": "fax,sms"}, token_page=path)
    assert forged.status_code == 422
    assert "Not a channel: fax." in html.unescape(forged.get_data(as_text=True))
    session.refresh(salma)
    assert salma.channels == "whatsapp,sms,email,call"
    usual = post_form(client, path, {**base, "channels": ""}, token_page=path)
    assert usual.status_code == 303
    session.refresh(salma)
    assert salma.channels is None


def test_the_api_sets_and_shows_the_channel_order(sign_in, make: Factory, session: Session) -> None:
    caller = sign_in(make.coordinator())
    olena = {"role": "newcomer", "first_name": "Olena", "phone": "612000333"}
    created = caller.post("/people", json={**olena, "channels": "whatsapp,call"})
    assert created.status_code == 201 and created.get_json()["channels"] == "whatsapp,call"
    person_id = created.get_json()["id"]
    twice = caller.put(f"/people/{person_id}", json={"first_name": "Olena", "channels": "sms,sms"})
    assert twice.status_code == 422 and set(twice.get_json()["error"]["fields"]) == {"channels"}
    kept = caller.put(f"/people/{person_id}", json={"first_name": "Olena", "phone": "612000333"})
    assert kept.status_code == 200 and kept.get_json()["channels"] == "whatsapp,call"
