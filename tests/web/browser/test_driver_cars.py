"""A driver with two cars, on a phone, in French, offers a time with the second car (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from rides.db import make_engine, make_sessionmaker, unit_of_work
from rides.driving.availability import VehicleSpec, add_vehicle
from rides.models import Person, Shift
from tests.factories import tomorrow
from tests.web.browser.conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_a_driver_chooses_her_second_car_for_a_time(page, live_app) -> None:
    """The "Voiture" choice lists both cars by looks and seats; the time offered with the
    second one is saved with it and listed with it; the page passes axe."""
    app, emails, password = live_app
    engine = make_engine(app.config["DATABASE_URL"])
    with unit_of_work(make_sessionmaker(engine)) as session:
        driver = session.scalars(select(Person).where(Person.email == emails["driver"])).one()
        driver.preferred_language = "fr"
        van = add_vehicle(session, driver, VehicleSpec("Van", 7, model="Dacia Jogger",
                                                      colour="grise"))  # fmt: skip
        van_id = van.id
    sign_in(page, emails["driver"], password)
    page.wait_for_url("**/driver/")
    page.goto("/driver/availability")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    car = page.get_by_label("Voiture", exact=True)
    expect(car.locator("option")).to_have_count(2)
    car.select_option(label="Dacia Jogger grise · 7 places")
    day = tomorrow() + dt.timedelta(days=3)
    page.locator("#date").fill(day.isoformat())
    page.locator("#start_time").fill("09:00")
    page.locator("#end_time").fill("12:00")
    page.locator("#start_place").fill("Jadraque")
    page.locator("#shift-form button[type=submit]").click()
    expect(page.locator(".flash")).to_be_visible()
    listed = page.locator("ul.shifts > li", has_text="Dacia Jogger grise · 7 places")
    expect(listed).to_have_count(1)
    assert axe_violations(page) == []
    screenshot(page, "driver-second-car-fr")
    with unit_of_work(make_sessionmaker(engine)) as session:
        shift = session.scalars(select(Shift).where(Shift.date == day)).one()
        assert shift.vehicle_id == van_id
    engine.dispose()
