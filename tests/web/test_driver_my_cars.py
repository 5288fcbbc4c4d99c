"""The driver's "My cars": every car listed with its own form, edit any of them, add one, remove
one that no coming time uses; refusals and bad input are messages in the driver's language."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.driving.availability import (
    ShiftSpec,
    VehicleSpec,
    add_shift,
    add_vehicle,
)
from rides.driving.car_removal import remove_vehicle
from rides.models import Person, Vehicle
from tests.factories import SIGUENZA, Factory, tomorrow
from tests.web.pages import csrf_token, sign_in_page

PASSWORD = "a long driver password"
PAGE = "/driver/availability"


@pytest.fixture
def marie(client: FlaskClient, session: Session, make: Factory) -> Person:
    """Marie, reading French and signed in, with a small white Seat Ibiza and a seven-seat van."""
    driver = make.driver(first_name="Marie", email="marie@example.org", password=PASSWORD,
                         preferred_language="fr")  # fmt: skip
    ibiza = driver.vehicles[0]
    ibiza.label, ibiza.model, ibiza.colour = "Petite", "Seat Ibiza", "blanche"
    add_vehicle(session, driver, VehicleSpec("Van", 7, 2, 1, model="Dacia Jogger", colour="grise"))
    session.commit()
    assert sign_in_page(client, "marie@example.org", PASSWORD).status_code == 302
    return driver


def _cars(session: Session, driver: Person) -> list[tuple[str, int, int, int, bool]]:
    """Each car of the driver as stored: label, seats, child seats, wheelchair places, active."""
    session.expire_all()
    cars = session.scalars(select(Vehicle).where(Vehicle.driver_id == driver.id)
                           .order_by(Vehicle.id))  # fmt: skip
    return [(c.label, c.seats, c.child_seats, c.wheelchair_places, c.active) for c in cars]


def _ids(session: Session, driver: Person) -> tuple[int, int]:
    ibiza, van = sorted(v.id for v in session.get(Person, driver.id).vehicles)
    return ibiza, van


def _car_form(client: FlaskClient, prefix: str, **fields: str) -> dict[str, str]:
    """A car form as the page posts it: every field under the form's prefix."""
    values = {"label": "Van", "model": "Dacia Jogger", "colour": "grise", "seats": "7",
              "child_seats": "2", "wheelchair_places": "1", **fields}  # fmt: skip
    posted = {f"{prefix}-{name}": value for name, value in values.items()}
    return {f"{prefix}-csrf_token": csrf_token(client, PAGE), **posted}


def _page(client: FlaskClient) -> str:
    return html.unescape(client.get(PAGE).get_data(as_text=True))


def _card(page: str, car_id: int) -> str:
    """The part of the page about one car: its title, its form and its remove button."""
    start = page.index(f'id="car-{car_id}"')
    ends = (page.find('<div class="card car"', start), page.find('id="new-car-title"', start))
    return page[start : min(end for end in ends if end != -1)]


def test_the_page_lists_every_car_with_its_own_form(
    client: FlaskClient, marie: Person, session: Session
) -> None:
    """Both cars, each with its values in its own form (ids never clash), a remove button
    each, and an empty form to add a car."""
    ibiza, van = _ids(session, marie)
    page = _page(client)
    assert "Mes voitures" in page
    first, second = _card(page, ibiza), _card(page, van)
    assert "Seat Ibiza blanche · 4 places" in first
    assert re.search(rf'id="car-{ibiza}-label"[^>]*name="car-{ibiza}-label"[^>]*value="Petite"',
                     first)  # fmt: skip
    assert f'action="/driver/cars/{van}"' in second
    for name, value in (("label", "Van"), ("seats", "7"), ("child_seats", "2"),
                        ("wheelchair_places", "1"), ("model", "Dacia Jogger")):  # fmt: skip
        assert re.search(rf'id="car-{van}-{name}"[^>]*value="{value}"', second), name
    assert f'action="/driver/cars/{van}/remove"' in second
    assert "Retirer cette voiture" in second
    assert 'action="/driver/cars"' in page and 'id="new-car-seats"' in page
    duplicated = [i for i, n in Counter(re.findall(r'\bid="([^"]+)"', page)).items() if n > 1]
    assert duplicated == []


def test_saving_the_second_car_changes_it_and_only_it(
    client: FlaskClient, marie: Person, session: Session
) -> None:
    """The van's form saves the van; the Ibiza stays as it was."""
    _ibiza, van = _ids(session, marie)
    before = _cars(session, marie)
    response = client.post(f"/driver/cars/{van}", data=_car_form(
        client, f"car-{van}", label="Grand van", seats="6", child_seats="3",
        wheelchair_places="2"))  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#car-{van}")
    assert _cars(session, marie) == [before[0], ("Grand van", 6, 3, 2, True)]
    assert session.get(Vehicle, van).model == "Dacia Jogger"
    assert "Votre voiture est enregistrée." in _page(client)


def test_adding_a_car(client: FlaskClient, marie: Person, session: Session) -> None:
    """The new car's form registers a third car, listed with its form and offered for a time."""
    response = client.post("/driver/cars", data=_car_form(
        client, "new-car", label="Break", model="Renault Clio", colour="rouge", seats="4",
        child_seats="1", wheelchair_places="0"))  # fmt: skip
    assert response.status_code == 302
    cars = _cars(session, marie)
    assert cars[2] == ("Break", 4, 1, 0, True)
    page = _page(client)
    added = max(v.id for v in session.get(Person, marie.id).vehicles)
    assert "Renault Clio rouge · 4 places" in _card(page, added)
    assert f'<option value="{added}">Renault Clio rouge · 4 places</option>' in page


def test_removing_a_car_no_coming_time_uses(
    client: FlaskClient, marie: Person, session: Session
) -> None:
    """The van, with no coming time, is taken off the road: no longer listed nor offered."""
    ibiza, van = _ids(session, marie)
    response = client.post(f"/driver/cars/{van}/remove",
                           data={"csrf_token": csrf_token(client, PAGE)})  # fmt: skip
    assert response.status_code == 302
    assert [car[4] for car in _cars(session, marie)] == [True, False]
    page = _page(client)
    assert "La voiture Dacia Jogger grise · 7 places est retirée." in page
    assert f'id="car-{van}"' not in page and f'id="car-{ibiza}"' in page
    assert 'name="vehicle_id"' not in page  # one car left: no car to choose for a time


def test_a_car_a_coming_time_uses_is_not_removed(
    client: FlaskClient, marie: Person, session: Session, make: Factory
) -> None:
    """A time tomorrow with the van: 409, the van's card says why (in French, the day written
    the French way), and the van stays."""
    _ibiza, van = _ids(session, marie)
    day = tomorrow() + dt.timedelta(days=1)
    add_shift(session, marie, ShiftSpec(date=day, start_time=dt.time(8), end_time=dt.time(12),
                                        start_place_id=make.place(SIGUENZA).id,
                                        vehicle_id=van))  # fmt: skip
    session.commit()
    response = client.post(f"/driver/cars/{van}/remove",
                           data={"csrf_token": csrf_token(client, PAGE)})  # fmt: skip
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    card = _card(page, van)
    assert "Cette voiture est prévue pour un créneau le " in card
    assert day.strftime("%Y-%m-%d") not in card and str(day.day) in card
    assert "retirez d’abord ce créneau" in card
    assert [car[4] for car in _cars(session, marie)] == [True, True]


@pytest.mark.parametrize(
    ("seats", "message"),
    [("beaucoup", "Écrivez un nombre, par exemple 1."), ("9", "Entre 1 et 8 places.")],
    ids=["not-a-number", "too-many"],
)
def test_bad_input_is_a_message_on_the_field_and_changes_nothing(
    client: FlaskClient, marie: Person, session: Session, seats: str, message: str
) -> None:
    """Seats that are no number or too many for the van: 400, the French message under the
    van's seats, what was typed still there, no car changed."""
    _ibiza, van = _ids(session, marie)
    before = _cars(session, marie)
    response = client.post(f"/driver/cars/{van}", data=_car_form(
        client, f"car-{van}", label="Autre nom", seats=seats))  # fmt: skip
    assert response.status_code == 400
    card = _card(html.unescape(response.get_data(as_text=True)), van)
    assert re.search(rf'id="car-{van}-seats-error" role="alert">{message}', card)
    assert 'value="Autre nom"' in card
    assert _cars(session, marie) == before


def test_an_empty_new_car_is_refused_on_its_own_form(
    client: FlaskClient, marie: Person, session: Session
) -> None:
    """A new car without a name: 400, the message on the new car's form, no car added."""
    response = client.post("/driver/cars", data=_car_form(client, "new-car", label=" "))
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert re.search(r'id="new-car-label-error" role="alert">Donnez un nom à la voiture', page)
    assert len(_cars(session, marie)) == 2


def test_another_drivers_car_is_not_found(
    client: FlaskClient, marie: Person, session: Session, make: Factory
) -> None:
    """Someone else's car can be neither changed nor removed from this page."""
    other = make.driver()
    car = other.vehicles[0].id
    session.commit()
    before = _cars(session, other)
    edited = client.post(f"/driver/cars/{car}", data=_car_form(client, f"car-{car}"))
    removed = client.post(f"/driver/cars/{car}/remove",
                          data={"csrf_token": csrf_token(client, PAGE)})  # fmt: skip
    assert (edited.status_code, removed.status_code) == (404, 404)
    assert _cars(session, other) == before


def test_the_api_does_not_edit_a_removed_car(session: Session, make: Factory, sign_in) -> None:
    """PUT /vehicles/<id> of a car taken off the road: 404 with the field named, as GET no
    longer lists it; the stored car unchanged."""
    driver = make.driver()
    van = add_vehicle(session, driver, VehicleSpec("Van", 7))
    remove_vehicle(session, driver, van.id)
    client = sign_in(driver)
    response = client.put(f"/vehicles/{van.id}", json={"label": "Bus", "seats": 9})
    assert response.status_code == 404, response.get_json()
    assert response.get_json()["error"]["fields"] == {"id": "removed"}
    assert (van.label, van.seats) == ("Van", 7)


def _folded(card: str, css_class: str) -> bool:
    """Whether the card's ``<details class=...>`` is closed."""
    tag = re.search(rf'<details class="{css_class}"[^>]*>', card)
    assert tag is not None, css_class
    return " open" not in tag.group(0)


def test_each_car_s_fields_fold_under_its_name_and_open_after_a_refusal(
    client: FlaskClient, marie: Person, session: Session
) -> None:
    """On a phone six fields per car made the page long: each car shows its name with a
    "Changer" button, "Add a car" is folded once a car exists; a refused save opens the form
    it refused, with its message, and only that one."""
    ibiza, van = _ids(session, marie)
    page = _page(client)
    assert _folded(_card(page, ibiza), "car-edit") and _folded(_card(page, van), "car-edit")
    assert "Changer" in _card(page, van)
    assert _folded(page, "new-car")
    response = client.post(f"/driver/cars/{van}", data=_car_form(client, f"car-{van}", seats="x"))
    refused = html.unescape(response.get_data(as_text=True))
    assert not _folded(_card(refused, van), "car-edit")
    assert _folded(_card(refused, ibiza), "car-edit")
    assert _folded(refused, "new-car")
    response = client.post("/driver/cars", data=_car_form(client, "new-car", label=" "))
    assert not _folded(html.unescape(response.get_data(as_text=True)), "new-car")


def test_a_driver_without_a_car_sees_the_form_to_add_one_open(
    client: FlaskClient, session: Session, make: Factory
) -> None:
    driver = make.driver(email="paul@example.org", password=PASSWORD)
    remove_vehicle(session, driver, driver.vehicles[0].id)
    session.commit()
    assert sign_in_page(client, "paul@example.org", PASSWORD).status_code == 302
    assert not _folded(_page(client), "new-car")
