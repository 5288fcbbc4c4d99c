"""Contact on the day in a real browser (issue 16): the rider sees the driver and the car and
presses "I'll be late"; the "Listen" button is hidden without a voice for the page's language
(headless chromium has none) and shows, and speaks, with a voice list injected in the page.

A small world: one coordinator, one driver with a white Seat Ibiza, one rider; the day planned,
published and accepted by calling the services, with the injected clock on the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.db import make_engine, make_sessionmaker, unit_of_work
from rides.driving.availability import VehicleSpec, update_vehicle
from rides.driving.routes import accept_route
from rides.models import OutboxMessage
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.clocks import ServiceClock
from tests.databases import SqliteTemplates
from tests.factories import ATIENZA, SIGUENZA, Factory
from tests.web.browser.conftest import axe_violations, screenshot, sign_in
from web import create_app

pytestmark = pytest.mark.browser

PASSWORD = "a long password for the browser"
DAY = dt.date.today() + dt.timedelta(days=7)

#: A page-injected speech synthesis with the given voices; what it is asked to say is kept in
#: ``window.__said`` (headless chromium has no voices of its own).
FAKE_VOICES = """
(() => {
  const voices = %s.map(lang => ({lang, name: "Fake " + lang, voiceURI: lang, default: false,
                                   localService: true}));
  window.__said = [];
  const fake = {
    getVoices: () => voices,
    speak: (utterance) => window.__said.push([utterance.lang, utterance.text]),
    cancel: () => {},
    addEventListener: () => {},
  };
  Object.defineProperty(window, "speechSynthesis", {value: fake, configurable: true});
})();
"""


@dataclass
class World:
    url: str
    trip_id: int

    @contextmanager
    def session(self) -> Iterator[Session]:
        engine = make_engine(self.url)
        try:
            with unit_of_work(make_sessionmaker(engine)) as session:
                yield session
        finally:
            engine.dispose()


@pytest.fixture
def world(tmp_path: Path, sqlite_templates: SqliteTemplates, service_clock: ServiceClock) -> World:
    url = sqlite_templates.fresh(True, tmp_path / "contact.sqlite3")
    service_clock.at(DAY - dt.timedelta(days=1), 12)
    engine = make_engine(url)
    with unit_of_work(make_sessionmaker(engine)) as session:
        make = Factory(session)

        def who(name: str) -> dict[str, str]:
            return {"first_name": name, "email": f"{name.lower()}@example.org",
                    "password": PASSWORD, "preferred_language": "en"}  # fmt: skip

        make.coordinator(**who("Carmen"))
        javier = make.driver(**who("Javier"))
        car = make.vehicle(javier)
        looks = VehicleSpec("Car", car.seats, model="Seat Ibiza", colour="white")
        update_vehicle(session, javier, car.id, looks)
        make.shift(javier, date=DAY, start_time=dt.time(7), end_time=dt.time(15))
        trip = make.request(make.newcomer(**who("Amina")), origin_id=make.place(ATIENZA).id,
                            destination_id=make.place(SIGUENZA).id, date=DAY,
                            time=dt.time(11))  # fmt: skip
        service_clock.at(DAY - dt.timedelta(days=1), 18)
        plan = publish_plan(session, plan_day(session, DAY, PlanSettings(time_limit=1.0)))
        (route,) = [r for r in plan.routes if r.stops]
        accept_route(session, javier, route.id)
        trip_id = trip.id
    engine.dispose()
    service_clock.at(DAY, 8)
    return World(url, trip_id)


@pytest.fixture
def live_app(world: World):
    """The app on the small world (replaces the demo-seeded app of ``conftest``)."""
    app = create_app({"DATABASE_URL": world.url, "SECRET_KEY": "browser-tests",
                      "COORDINATOR_PHONE": "949 12 34 56"})  # fmt: skip
    return app, {}, PASSWORD


def _late_messages(world: World) -> list[tuple[str, str]]:
    with world.session() as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == "rider_late")
        return [(m.recipient.first_name, m.subject) for m in session.scalars(query)]


def test_the_rider_sees_the_driver_and_says_late(page, world: World) -> None:
    """On the day: the driver's name and car and the coordinator's number on the trip; "I'll be
    late" tells the coordinator and the driver once; "Listen" stays hidden (no voice here)."""
    sign_in(page, "amina@example.org", PASSWORD)
    page.wait_for_url("**/newcomer/")
    trip = page.locator(f"#trip-{world.trip_id}")
    expect(trip.locator(".driver-name")).to_have_text("Javier")
    expect(trip.locator(".car-looks")).to_have_text("white Seat Ibiza")
    expect(trip.locator(".call-line a[href='tel:+34949123456']")).to_be_visible()
    expect(trip.locator("button.listen")).to_be_hidden()
    assert axe_violations(page) == []
    screenshot(page, "newcomer-trip-on-the-day")
    trip.locator("button.late").click()
    page.wait_for_url(f"**#trip-{world.trip_id}")
    expect(page.locator(".flash")).to_contain_text("Your driver and the coordinator know")
    page.locator(f"#trip-{world.trip_id} button.late").click()
    page.wait_for_url(f"**#trip-{world.trip_id}")
    assert sorted(_late_messages(world)) == [
        ("Carmen", "Amina will be late"), ("Javier", "Amina will be late")
    ]  # fmt: skip
    expect(page.locator(f"#trip-{world.trip_id} a.cant-come")).to_have_attribute(
        "href", f"/newcomer/trips/{world.trip_id}/cancel"
    )


def test_listen_shows_with_a_voice_for_the_page_language_and_speaks(page, world: World) -> None:
    page.add_init_script(FAKE_VOICES % '["en-GB"]')
    sign_in(page, "amina@example.org", PASSWORD)
    page.wait_for_url("**/newcomer/")
    listen = page.locator(f"#trip-{world.trip_id} button.listen")
    expect(listen).to_be_visible()
    listen.click()
    said = page.evaluate("window.__said")
    assert len(said) == 1 and said[0][0] == "en-GB"
    assert "Your driver is Javier." in said[0][1] and "white Seat Ibiza" in said[0][1]


def test_listen_stays_hidden_with_voices_of_other_languages_only(page, world: World) -> None:
    """Voices for French and Spanish only, on an English page: no button (and "e" or "eng"
    prefixes are not a match: "es-ES" does not start with "en")."""
    page.add_init_script(FAKE_VOICES % '["fr-FR", "es-ES"]')
    sign_in(page, "amina@example.org", PASSWORD)
    page.wait_for_url("**/newcomer/")
    expect(page.locator(f"#trip-{world.trip_id} .driver-name")).to_be_visible()
    expect(page.locator(f"#trip-{world.trip_id} button.listen")).to_be_hidden()
