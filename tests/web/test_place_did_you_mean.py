""" "Did you mean?" on the booking page when a named stop is not found (issue 17): the form's
own example books the real stop once the demo's stops are loaded; a stop that is not known
comes back with the village's stops and the village to tap, in Spanish and Arabic."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.models import RideRequest
from rides.places.stop_import import import_stops, parse_stops_csv
from scenarios.demo import DEMO_STOPS
from tests.factories import Factory, tomorrow
from tests.web.pages import browse_as, csrf_token


def _form(client: FlaskClient, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "csrf_token": csrf_token(client, "/newcomer/book"), "origin": "Atienza",
        "destination": "Sigüenza", "date": tomorrow().isoformat(), "time_kind": "arrive_by",
        "time": "10:30", "adults": "1", "children": "0", "child_seats": "0",
    }  # fmt: skip
    data.update(overrides)
    return data


def _choices(page: str) -> list[str]:
    found = re.findall(r'name="destination_choice" value="([^"]*)"', page)
    return [html_lib.unescape(value) for value in found]


@pytest.fixture
def demo_stops(session: Session) -> None:
    """The demo's named stops (two in Sigüenza: the health centre and the station)."""
    import_stops(session, parse_stops_csv(DEMO_STOPS.read_text(encoding="utf-8")))
    session.commit()


def test_the_forms_example_books_the_real_stop(
    client: FlaskClient, session: Session, make: Factory, demo_stops: None
) -> None:
    """ "Centro de Salud, Sigüenza", the hint under To, is the health centre, not the village."""
    rider = make.newcomer(preferred_language="es")
    session.commit()
    browse_as(client, rider.id)
    data = _form(client, destination="Centro de Salud, Sigüenza")
    assert client.post("/newcomer/book", data=data).status_code == 302
    session.expire_all()
    trip = session.scalars(select(RideRequest).where(RideRequest.rider_id == rider.id)).one()
    assert (trip.destination.name, trip.destination.municipality.name) == (
        "Centro de Salud", "Sigüenza"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("language", "did_you_mean", "which_place"),
    [
        ("es", "Quizás querías decir:", "¿Qué lugar quieres decir?"),
        ("ar", "هل تقصد:", "أي مكان تقصد؟"),
    ],
)
def test_an_unknown_named_stop_asks_did_you_mean_then_books_the_tapped_one(
    client: FlaskClient, session: Session, make: Factory, demo_stops: None,
    language: str, did_you_mean: str, which_place: str | None,
) -> None:  # fmt: skip
    """ "Hospital de Sigüenza" (no hospital there): 400, nothing booked, the field says which
    place, and the choices are Sigüenza's stops then Sigüenza; tapping the station books it."""
    rider = make.newcomer(preferred_language=language)
    session.commit()
    browse_as(client, rider.id)
    response = client.post("/newcomer/book", data=_form(client, destination="Hospital de Sigüenza"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert did_you_mean in page
    if which_place:
        assert which_place in html_lib.unescape(page)
    choices = _choices(page)
    assert set(choices[:2]) == {"Centro de Salud, Sigüenza", "Estación de tren, Sigüenza"}
    assert choices[2:] == ["Sigüenza"]
    assert session.scalars(select(RideRequest)).all() == []
    tapped = _form(client, destination="Hospital de Sigüenza",
                   destination_choice="Estación de tren, Sigüenza")  # fmt: skip
    assert client.post("/newcomer/book", data=tapped).status_code == 302
    session.expire_all()
    (trip,) = session.scalars(select(RideRequest)).all()
    assert trip.destination.name == "Estación de tren"


def test_a_stop_not_loaded_offers_the_village(
    client: FlaskClient, session: Session, make: Factory
) -> None:
    """Without any stop loaded, the example "Centro de Salud, Sigüenza" is not silently the
    village: the one choice is Sigüenza, and typing just the village books it."""
    rider = make.newcomer(preferred_language="en")
    session.commit()
    browse_as(client, rider.id)
    response = client.post(
        "/newcomer/book", data=_form(client, destination="Centro de Salud, Sigüenza")
    )
    assert response.status_code == 400
    assert _choices(response.get_data(as_text=True)) == ["Sigüenza"]
    assert (
        client.post("/newcomer/book", data=_form(client, destination="siguenza")).status_code == 302
    )
