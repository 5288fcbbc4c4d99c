"""A coordinator's day in a real browser: sign in, plan the demo day, read the map and the
trips left out with what to do, publish, then the other pages; each page screenshotted and
checked by axe-core."""

from __future__ import annotations

import datetime as dt

import pytest

from rides import clock
from rides.accounts.people import PersonSpec, register_newcomer
from rides.booking.ride_requests import RideSpec, book_ride
from rides.db import make_engine, make_sessionmaker, unit_of_work
from rides.models import Purpose, TimeKind
from rides.places.directory import find_municipality
from tests.web.browser.conftest import axe_violations, choose_language, screenshot, sign_in

WHEELCHAIR_SENTENCE = (
    "No car with a wheelchair place is free that day: ask a driver with an adapted car."
)
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def wheelchair_trip(live_app) -> str:
    """Zainab travels in a wheelchair at 16:00 tomorrow. The demo's only adapted car (Ana's,
    driver 4) is free until 15:00 and the drivers still free then have none, so no plan can
    serve her: the page must say why."""
    app = live_app[0]
    engine = make_engine(app.config["DATABASE_URL"])
    with unit_of_work(make_sessionmaker(engine)) as session:
        rider = register_newcomer(session, PersonSpec("Zainab", preferred_language="ar"))
        origin, destination = (
            find_municipality(session, "19001"),
            find_municipality(session, "19257"),
        )
        assert origin is not None and destination is not None
        spec = RideSpec(
            origin_id=origin.id, destination_id=destination.id,
            date=clock.tomorrow(), time=dt.time(16),
            time_kind=TimeKind.LEAVE_AFTER, wheelchair=True, purpose=Purpose.HEALTH,
        )  # fmt: skip
        book_ride(session, rider, spec)
    engine.dispose()
    return "Zainab"


def _check(page, name: str) -> None:
    screenshot(page, name)
    assert axe_violations(page) == [], name


def test_coordinator_plans_reads_the_map_and_the_reasons_then_publishes(
    page, live_app, wheelchair_trip: str
) -> None:
    """The whole journey of issue 7 in chromium, with no serious accessibility violation.
    (One journey on purpose: each step needs the page the previous one left.)
    """
    _app, emails, password = live_app
    page.set_viewport_size(DESKTOP)
    sign_in(page, emails["coordinator"], password)
    page.wait_for_url("**/coordinator/")
    choose_language(page, "en")  # Carmen's profile says Spanish; she reads English here
    assert page.get_by_role("heading", level=1).inner_text().startswith("Day at a glance")
    assert page.locator("#waiting-title").inner_text().startswith("Waiting for a plan")
    _check(page, "coordinator-day-before-planning")

    page.get_by_role("button", name="Plan now").click()
    page.wait_for_selector("text=Version 1 is ready as a draft")
    page.wait_for_selector("#map[data-ready='true']")
    assert page.locator("#map.leaflet-container").count() == 1
    assert page.locator("#map path.route").count() >= 1
    assert page.locator("#map .leaflet-tooltip.village").count() >= 2
    assert page.locator(".drivers > li").count() == 8
    unserved = page.locator(".unserved > li").filter(has_text=wheelchair_trip)
    assert unserved.count() == 1
    assert WHEELCHAIR_SENTENCE in unserved.inner_text()
    _check(page, "coordinator-day-draft")

    page.get_by_role("button", name="Publish version 1").click()
    page.wait_for_selector("text=Version 1 is published")
    assert page.get_by_role("button", name="Publish version 1").count() == 0
    _check(page, "coordinator-day-published")

    page.get_by_role("link", name="Messages").click()
    page.wait_for_url("**/coordinator/outbox")
    assert page.locator("tbody tr").count() >= 1
    _check(page, "coordinator-outbox")

    page.get_by_role("link", name="Book a ride").click()
    page.get_by_label("First name").fill("Hawa")
    page.get_by_label("From").fill("Villa")
    page.get_by_label("To").fill("siguenza")
    suggestion = page.locator("#destination-places option").first
    suggestion.wait_for(state="attached")
    assert suggestion.get_attribute("value") == "Sigüenza"
    page.get_by_label("Day").fill((clock.today() + dt.timedelta(days=2)).isoformat())
    page.get_by_label("Time", exact=True).fill("10:30")
    page.get_by_role("button", name="Book the ride").click()
    page.wait_for_selector("text=Did you mean?")
    _check(page, "coordinator-book-suggestions")
    page.locator("input[name='origin_pick']").first.check()
    page.get_by_role("button", name="Book the ride").click()
    page.wait_for_selector("text=Booked for Hawa")

    page.get_by_role("link", name="People", exact=True).click()
    _check(page, "coordinator-people")
    page.get_by_role("link", name="Places").click()
    page.get_by_label("Place name").fill("siguenza")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Sigüenza", exact=True).click()
    page.get_by_label("Where riders wait (meeting point)").fill("In front of the town hall")
    page.get_by_role("button", name="Save the meeting point").click()
    page.wait_for_selector("text=The meeting point of Sigüenza is saved.")
    _check(page, "coordinator-place")


def test_day_page_on_a_phone(page, live_app) -> None:
    """The day page also works on a phone-sized screen (the fixture's default viewport)."""
    _app, emails, password = live_app
    sign_in(page, emails["coordinator"], password)
    page.wait_for_url("**/coordinator/")
    choose_language(page, "en")  # Carmen's profile says Spanish; she reads English here
    page.get_by_role("button", name="Plan now").click()
    page.wait_for_selector("#map[data-ready='true']")
    _check(page, "coordinator-day-phone")
