"""Contact where it is needed, on the pages (issue 16): the rider's trip card carries the
coordinator's number, and on the ride's day the driver's first name, the car, "I'll be late"
and "I can't come"; the driver's route and sheet carry the number too."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.driving.availability import VehicleSpec, update_vehicle
from rides.models import OutboxMessage
from tests.clocks import ServiceClock
from tests.factories import Factory
from tests.rides.conftest import DrivenDay, accepted_route  # noqa: F401 - shared fixture
from tests.web.pages import browse_as, csrf_token

DAY = dt.date(2026, 12, 4)
LINK = 'href="tel:+34949123456"'


@pytest.fixture
def made(app: Flask, session: Session, accepted_route, make: Factory) -> DrivenDay:  # noqa: F811
    """Javier's accepted route of DAY with a white Seat Ibiza; Amina rides it (in English
    here, so the page's words can be read); a coordinator to hear of it."""
    app.config["COORDINATOR_PHONE"] = "949 12 34 56"
    day = accepted_route(DAY)
    car = day.route.vehicle
    update_vehicle(session, day.driver, car.id,
                   VehicleSpec("Car", car.seats, model="Seat Ibiza", colour="white"))  # fmt: skip
    day.amina.rider.preferred_language = "en"
    make.coordinator(first_name="Carmen", preferred_language="es")
    session.commit()
    return day


def _rider(app: Flask, made: DrivenDay) -> FlaskClient:
    return browse_as(app.test_client(), made.amina.rider_id)


def test_the_trip_card_shows_the_number_always_and_the_driver_on_the_day_only(
    app: Flask, made: DrivenDay, service_clock: ServiceClock
) -> None:
    client = _rider(app, made)
    service_clock.at(DAY - dt.timedelta(days=1), 20)
    page = client.get("/newcomer/").get_data(as_text=True)
    assert LINK in page.split("<main", 1)[1]  # on the card, not only in the menu
    assert "Javier" not in page and "Seat Ibiza" not in page and "/late" not in page
    assert "Cancel this trip" in page
    service_clock.at(DAY, 8)
    page = client.get("/newcomer/").get_data(as_text=True)
    assert 'class="driver-name">Javier<' in page and "white Seat Ibiza" in page
    assert f'action="/newcomer/trips/{made.amina.id}/late"' in page
    assert f'href="/newcomer/trips/{made.amina.id}/cancel"' in page and "I can't come" in page
    assert "Cancel this trip" not in page
    assert 'class="listen" hidden' in page and "/static/listen.js" in page
    assert "Your driver is Javier." in page  # what the Listen button says
    service_clock.at(DAY + dt.timedelta(days=1), 8)
    page = client.get("/newcomer/").get_data(as_text=True)
    assert "Javier" not in page and "Seat Ibiza" not in page


def test_late_is_told_once_and_refused_on_another_day(
    app: Flask, made: DrivenDay, session: Session, service_clock: ServiceClock
) -> None:
    client = _rider(app, made)
    service_clock.at(DAY, 10, 15)
    token = {"csrf_token": csrf_token(client, "/newcomer/book")}
    for _ in range(2):
        response = client.post(f"/newcomer/trips/{made.amina.id}/late", data=token)
        assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your driver and the coordinator know you will be late." in page
    kinds = session.scalars(select(OutboxMessage.kind).where(OutboxMessage.kind == "rider_late"))
    assert len(list(kinds)) == 2  # the coordinator and the driver, once each
    service_clock.at(DAY + dt.timedelta(days=1), 9)
    refused = client.post(f"/newcomer/trips/{made.amina.id}/late", data=token)
    assert refused.status_code == 409
    assert "on the day of the ride only" in refused.get_data(as_text=True)
    other = browse_as(app.test_client(), made.ioana.rider_id)
    service_clock.at(DAY, 10, 16)
    token = {"csrf_token": csrf_token(other, "/newcomer/book")}
    assert other.post(f"/newcomer/trips/{made.amina.id}/late", data=token).status_code == 404


def test_the_drivers_route_and_sheet_carry_the_number(
    app: Flask, made: DrivenDay, service_clock: ServiceClock
) -> None:
    service_clock.at(DAY, 7)
    client = browse_as(app.test_client(), made.driver.id)
    route = client.get(f"/driver/?day={DAY.isoformat()}").get_data(as_text=True)
    assert route.count(LINK) >= 2  # the menu and the route card
    assert route.count("/not-here") == 2  # one per pickup, none for drop-offs
    sheet = client.get(f"/driver/routes/{made.route.id}/sheet").get_data(as_text=True)
    assert LINK in sheet.split("<main", 1)[1]


def test_a_coordinator_sets_model_and_colour_through_the_api(
    session: Session, make: Factory, sign_in
) -> None:
    """PUT /vehicles/<id> by a coordinator takes model and colour; GET shows them; a control
    character is a 4xx with the field named."""
    driver = make.driver(first_name="Ana")
    coordinator = sign_in(make.coordinator())
    car_id = driver.vehicles[0].id
    body = {"label": "Car", "seats": 4, "model": "Seat Ibiza", "colour": "white"}
    response = coordinator.put(f"/vehicles/{car_id}", json=body)
    assert response.status_code == 200, response.get_json()
    assert (response.get_json()["model"], response.get_json()["colour"]) == ("Seat Ibiza", "white")
    listed = coordinator.get(f"/vehicles?driver_id={driver.id}").get_json()
    assert [(v["model"], v["colour"]) for v in listed] == [("Seat Ibiza", "white")]
    refused = coordinator.put(f"/vehicles/{car_id}", json={**body, "colour": "white\u0007"})
    assert refused.status_code in (400, 422)
    assert "colour" in refused.get_json()["error"]["fields"]
