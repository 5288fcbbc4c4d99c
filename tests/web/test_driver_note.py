"""The note for the driver on the pages and the API: typed on the booking forms (the
newcomer's and the coordinator's phone booking), refused in the reader's language, and shown
on the trip card, the driver's route and sheet beside the pickup, and the coordinator's pages."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.models import Person, RideRequest
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.factories import ATIENZA, SIGUENZA, Factory, tomorrow
from tests.web.pages import browse_as, csrf_token

NOTE = "Llevo un carrito de bebé"


def _form(client: FlaskClient, path: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "csrf_token": csrf_token(client, path), "origin": "Atienza", "destination": "Sigüenza",
        "date": tomorrow().isoformat(), "time_kind": "arrive_by", "time": "10:30",
        "adults": "1", "children": "0", "child_seats": "0", "purpose": "health",
    }  # fmt: skip
    data.update(overrides)
    return data


def _field_error(page: str, name: str) -> str:
    match = re.search(rf'<p class="error" id="{name}-error" role="alert">([^<]*)</p>', page)
    return html_lib.unescape(match.group(1)) if match else ""


def _trips(session: Session, person: Person) -> list[RideRequest]:
    session.expire_all()
    query = select(RideRequest).where(RideRequest.rider_id == person.id)
    return list(session.scalars(query.order_by(RideRequest.time)))


def test_a_newcomer_books_with_a_note_and_sees_it_on_the_trip_card(
    client: FlaskClient, session: Session, make: Factory
) -> None:
    """The note, trimmed, goes on the trip and its way back; the card shows it once; the form
    says who the people travelling are."""
    amina = make.newcomer(first_name="Amina", preferred_language="en")
    session.commit()
    browse_as(client, amina.id)
    page = client.get("/newcomer/book").get_data(as_text=True)
    assert "Note for the driver (optional)" in page and "Adults, you included" in page
    assert "You and the people who travel with you." in page
    data = _form(client, "/newcomer/book", driver_note=f"  {NOTE} ", and_back="y",
                 return_time="13:00")  # fmt: skip
    assert client.post("/newcomer/book", data=data).status_code == 302
    assert [t.driver_note for t in _trips(session, amina)] == [NOTE, NOTE]
    card = html_lib.unescape(client.get("/newcomer/").get_data(as_text=True))
    assert card.count(NOTE) == 1 and "Your note for the driver:" in card


@pytest.mark.parametrize(
    ("language", "control", "too_long", "label"),
    [
        ("es", "Quita el carácter de control U+0009.", "Como máximo 200 caracteres.",
         "Nota para el conductor"),
        ("ar", "احذف رمز التحكم U+0009.", "200", "ملاحظة للسائق"),
    ],
)  # fmt: skip
def test_a_bad_note_is_refused_on_its_field_in_the_readers_language(
    client: FlaskClient, session: Session, make: Factory,
    language: str, control: str, too_long: str, label: str,
) -> None:  # fmt: skip
    """A tab in the note, then 201 characters: 400, the message under the note in Spanish or
    Arabic, the other fields kept, nothing booked."""
    rider = make.newcomer(preferred_language=language)
    session.commit()
    browse_as(client, rider.id)
    response = client.post(
        "/newcomer/book", data=_form(client, "/newcomer/book", driver_note="carrito\tgrande")
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _field_error(page, "driver_note") == control
    assert label in html_lib.unescape(page)
    assert re.search(r'aria-describedby="[^"]*\bdriver_note-error\b', page)
    long_note = "x" * 201
    response = client.post(
        "/newcomer/book", data=_form(client, "/newcomer/book", driver_note=long_note)
    )
    assert response.status_code == 400
    assert too_long in _field_error(response.get_data(as_text=True), "driver_note")
    assert _trips(session, rider) == []


def test_the_api_takes_the_note_and_refuses_a_bad_one_naming_the_field(
    sign_in, make: Factory
) -> None:
    """201 with the note (trimmed) in the answer; a control character, a direction override
    or 201 characters: 422 JSON whose fields name ``driver_note``."""
    caller = sign_in(make.newcomer(preferred_language="en"))
    body = {"origin_id": make.place(ATIENZA).id, "destination_id": make.place(SIGUENZA).id,
            "date": tomorrow().isoformat(), "time": "10:30"}  # fmt: skip
    made = caller.post("/requests", json={**body, "driver_note": " I have a pram "})
    assert made.status_code == 201, made.get_json()
    assert made.get_json()[0]["driver_note"] == "I have a pram"
    for bad in ("pram\x00", "\u202epram", "x" * 201, 42):
        refused = caller.post("/requests", json={**body, "time": "11:00", "driver_note": bad})
        assert refused.status_code == 422, (bad, refused.get_json())
        assert "driver_note" in refused.get_json()["error"]["fields"]


def test_the_driver_reads_the_note_beside_the_pickup(
    client: FlaskClient, session: Session, make: Factory, sign_in
) -> None:
    """On the route page and the printed sheet: the note once, with the pickup (not the
    drop-off); the coordinator sees it on the day's stop list and on the trip's page."""
    javier = make.driver(first_name="Javier", preferred_language="en")
    make.shift(javier)
    request = make.request(make.newcomer(first_name="Amina"), driver_note=NOTE)
    plan = publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1.0)))
    coordinator = make.coordinator(preferred_language="en")
    session.commit()
    (route,) = plan.routes
    browse_as(client, javier.id)
    for path in (f"/driver/?day={tomorrow().isoformat()}", f"/driver/routes/{route.id}/sheet"):
        page = html_lib.unescape(client.get(path).get_data(as_text=True))
        assert page.count(NOTE) == 1, path
        assert "Note from Amina:" in page
        pickup = page.index("Pick up")
        assert pickup < page.index(NOTE) < page.index("Drop off"), path
    stops = sign_in(javier).get(f"/routes/{route.id}").get_json()["stops"]
    assert [s["passenger"]["driver_note"] for s in stops] == [NOTE, NOTE]
    browse_as(client, coordinator.id)
    day = html_lib.unescape(client.get(f"/coordinator/?date={tomorrow().isoformat()}").get_data(
        as_text=True))  # fmt: skip
    assert NOTE in day
    page = html_lib.unescape(client.get(f"/coordinator/requests/{request.id}").get_data(
        as_text=True))  # fmt: skip
    assert "Note for the driver:" in page and NOTE in page


def test_a_coordinator_books_a_caller_with_a_note(
    client: FlaskClient, session: Session, make: Factory
) -> None:
    """Over the phone: the note goes on both trips; a control character is refused on the
    note's field, in the coordinator's language, and nothing is booked."""
    coordinator = make.coordinator(preferred_language="es")
    session.commit()
    browse_as(client, coordinator.id)
    page = client.get("/coordinator/book").get_data(as_text=True)
    assert "Nota para el conductor" in html_lib.unescape(page)
    bad = _form(client, "/coordinator/book", first_name="Moussa", preferred_language="fr",
                driver_note="bébé\x0b", return_time="13:00")  # fmt: skip
    response = client.post("/coordinator/book", data=bad)
    assert response.status_code == 422
    assert _field_error(response.get_data(as_text=True), "driver_note") == (
        "Quita el carácter de control U+000B."
    )
    assert session.scalars(select(Person).where(Person.first_name == "Moussa")).all() == []
    good = {**bad, "csrf_token": csrf_token(client, "/coordinator/book"), "driver_note": NOTE}
    assert client.post("/coordinator/book", data=good).status_code == 303
    moussa = session.scalars(select(Person).where(Person.first_name == "Moussa")).one()
    assert [t.driver_note for t in _trips(session, moussa)] == [NOTE, NOTE]
