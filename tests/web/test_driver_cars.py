"""A car chosen per shift on the driver's availability page and through the API (issue 17)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.driving.availability import ShiftSpec, VehicleSpec, add_shift, add_vehicle
from rides.models import Person, Shift, Vehicle
from tests.factories import SIGUENZA, Factory, tomorrow
from tests.web.pages import csrf_token, sign_in_page

PASSWORD = "a long driver password"


@pytest.fixture
def driver(session: Session, make: Factory) -> Person:
    """Marie, reading French, with a small white Seat Ibiza and a grey seven-seat van."""
    marie = make.driver(first_name="Marie", email="marie@example.org", password=PASSWORD,
                        preferred_language="fr")  # fmt: skip
    ibiza = marie.vehicles[0]
    ibiza.model, ibiza.colour = "Seat Ibiza", "blanche"
    add_vehicle(session, marie, VehicleSpec("Van", 7, model="Dacia Jogger", colour="grise"))
    session.commit()
    return marie


def _cars(driver: Person) -> tuple[Vehicle, Vehicle]:
    first, second = sorted(driver.vehicles, key=lambda v: v.id)
    return first, second


def _shift_form(client: FlaskClient, vehicle_id: int | str, **fields: str) -> dict[str, str]:
    return {
        "csrf_token": csrf_token(client, "/driver/availability"),
        "date": (tomorrow() + dt.timedelta(days=2)).isoformat(),
        "start_time": "09:00", "end_time": "13:00", "start_place": "Jadraque",
        "vehicle_id": str(vehicle_id), **fields,
    }  # fmt: skip


def test_the_page_offers_each_car_and_keeps_the_one_chosen(
    client: FlaskClient, driver: Person, session: Session
) -> None:
    """Two cars: a "Car" choice labelled by looks and seats, the first chosen; a shift with the
    second car is stored with it, listed with it, and the second is then the one offered."""
    ibiza, van = _cars(driver)
    assert sign_in_page(client, "marie@example.org", PASSWORD).status_code == 302
    page = html.unescape(client.get("/driver/availability").get_data(as_text=True))
    assert '<select id="vehicle_id" name="vehicle_id"' in page
    assert f'<option selected value="{ibiza.id}">Seat Ibiza blanche · 4 places</option>' in page
    assert f'<option value="{van.id}">Dacia Jogger grise · 7 places</option>' in page
    response = client.post("/driver/shifts", data=_shift_form(client, van.id))
    assert response.status_code == 302
    session.expire_all()
    shift = session.scalars(select(Shift).where(Shift.driver_id == driver.id)).one()
    assert shift.vehicle_id == van.id
    page = html.unescape(client.get("/driver/availability").get_data(as_text=True))
    listed = page[page.index(f'id="shift-{shift.id}"') :]
    assert "Dacia Jogger grise · 7 places" in listed[: listed.index("</li>")]
    assert f'<option selected value="{van.id}">' in page


def test_a_weekly_repeat_takes_the_chosen_car_every_week(
    client: FlaskClient, driver: Person, session: Session
) -> None:
    """Every shift of a weekly repeat is with the car chosen on the form."""
    _ibiza, van = _cars(driver)
    sign_in_page(client, "marie@example.org", PASSWORD)
    until = (tomorrow() + dt.timedelta(days=2, weeks=2)).isoformat()
    response = client.post("/driver/shifts", data=_shift_form(client, van.id, repeat_until=until))
    assert response.status_code == 302
    session.expire_all()
    shifts = session.scalars(select(Shift).where(Shift.driver_id == driver.id)).all()
    assert [s.vehicle_id for s in shifts] == [van.id] * 3


@pytest.mark.parametrize("posted", ["other", "abc"])
def test_a_car_that_is_not_the_drivers_is_a_message_in_her_language(
    client: FlaskClient, driver: Person, session: Session, make: Factory, posted: str
) -> None:
    """Another driver's car (or no car's id at all) posted: 400, a French message under the
    car's field, nothing stored."""
    other = make.driver().vehicles[0].id
    session.commit()
    sign_in_page(client, "marie@example.org", PASSWORD)
    response = client.post(
        "/driver/shifts", data=_shift_form(client, other if posted == "other" else posted)
    )
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert re.search(r'id="vehicle_id-error" role="alert">Ce conducteur n’a pas de voiture', page)
    session.expire_all()
    assert session.scalars(select(Shift).where(Shift.driver_id == driver.id)).all() == []


def test_one_car_means_no_choice(client: FlaskClient, make: Factory, session: Session) -> None:
    """A driver with one car is not asked which one."""
    make.driver(email="solo@example.org", password=PASSWORD)
    session.commit()
    sign_in_page(client, "solo@example.org", PASSWORD)
    assert 'name="vehicle_id"' not in client.get("/driver/availability").get_data(as_text=True)


def test_the_api_refuses_another_drivers_car_naming_vehicle_id(
    make: Factory, sign_in, session: Session
) -> None:
    """POST /shifts with someone else's car: 422 JSON naming vehicle_id, nothing stored."""
    driver = make.driver()
    other = make.driver().vehicles[0].id
    caller = sign_in(driver)
    response = caller.post("/shifts", json={
        "date": tomorrow().isoformat(), "start_time": "08:00", "end_time": "12:00",
        "start_place_id": make.place(SIGUENZA).id, "vehicle_id": other,
    })  # fmt: skip
    assert response.status_code == 422, response.get_json()
    assert "vehicle_id" in response.get_json()["error"]["fields"]
    assert caller.get("/shifts").get_json() == []


def test_the_coordinators_day_lists_each_shift_with_its_car(
    client: FlaskClient, driver: Person, session: Session, make: Factory
) -> None:
    """The day page's driver row names the car chosen for that shift, with its seats."""
    _ibiza, van = _cars(driver)
    add_shift(session, driver, ShiftSpec(date=tomorrow(), start_time=dt.time(8),
                                         end_time=dt.time(12), vehicle_id=van.id,
                                         start_place_id=make.place(SIGUENZA).id))  # fmt: skip
    make.coordinator(email="carmen@example.org", password=PASSWORD, preferred_language="en")
    session.commit()
    sign_in_page(client, "carmen@example.org", PASSWORD)
    page = html.unescape(client.get(f"/coordinator/?date={tomorrow().isoformat()}").get_data(
        as_text=True))  # fmt: skip
    row = page[page.index(f'id="driver-{driver.id}"') :]
    assert "Van: 7 seats." in row[: row.index("</li>")]


def test_the_api_takes_a_car_off_the_road(make: Factory, sign_in, session: Session) -> None:
    """DELETE /vehicles/<id>: 200 with the car, inactive; it leaves the driver's list; a second
    DELETE answers the same; another driver's car is 404 and stays."""
    driver = make.driver()
    van = add_vehicle(session, driver, VehicleSpec("Van", 7))
    session.commit()
    caller = sign_in(driver)
    response = caller.delete(f"/vehicles/{van.id}")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["id"] == van.id and response.get_json()["active"] is False
    assert [v["id"] for v in caller.get("/vehicles").get_json()] == [driver.vehicles[0].id]
    assert caller.delete(f"/vehicles/{van.id}").status_code == 200
    other = make.driver().vehicles[0]
    session.commit()
    refused = caller.delete(f"/vehicles/{other.id}")
    assert refused.status_code == 404 and refused.get_json()["error"]["code"]
    session.refresh(other)
    assert other.active


def test_the_api_refuses_to_remove_a_car_a_coming_shift_uses(
    make: Factory, sign_in, session: Session
) -> None:
    """409 JSON with the code and vehicle_id while a coming shift counts on the car; the car
    stays and the shift keeps it."""
    driver = make.driver()
    car = driver.vehicles[0]
    day = tomorrow() + dt.timedelta(days=3)
    spec = ShiftSpec(date=day, start_time=dt.time(8), end_time=dt.time(12),
                     start_place_id=make.place(SIGUENZA).id, vehicle_id=car.id)  # fmt: skip
    shift = add_shift(session, driver, spec)
    session.commit()
    response = sign_in(driver).delete(f"/vehicles/{car.id}")
    assert response.status_code == 409, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "vehicle_in_use" and "vehicle_id" in error["fields"]
    assert error["message"] == (
        f"This car is used for a time on {day.isoformat()}: take that time back first."
    )
    session.refresh(car)
    session.refresh(shift)
    assert car.active and shift.vehicle_id == car.id
