"""The operating day in a real browser (issue 14): an accepted route survives a re-plan, a
same-day request is fitted in and accepted by the driver, and each change by hand on the
coordinator's trip page, with a refused one and its reason.

A small world instead of the demo day (two drivers, three trips), planned with a one-second
solver limit; the service's clock is the injected one (``tests/clocks.py``), so the day of the
route is reached without waiting. Plans are made and published by calling the planning service
in the test, as the scheduler does (the "Plan now" button is tested elsewhere).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from rides.db import make_engine, make_sessionmaker, unit_of_work
from rides.driving.routes import accept_route
from rides.models import Person, RideRequest, Route
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan, published_plan
from tests.clocks import ServiceClock
from tests.databases import SqliteTemplates
from tests.factories import ATIENZA, JADRAQUE, SIGUENZA, Factory
from tests.web.browser.conftest import screenshot, sign_in
from web import create_app

pytestmark = pytest.mark.browser

PASSWORD = "a long password for the browser"
DESKTOP = {"width": 1280, "height": 900}
#: The route's day: a week from now, so every booking in the world is on time.
DAY = dt.date.today() + dt.timedelta(days=7)
SETTINGS = PlanSettings(time_limit=1.0)


@dataclass
class World:
    """The small world's database and who is who (e-mail addresses by first name)."""

    url: str
    emails: dict[str, str]
    trips: dict[str, int]

    @contextmanager
    def session(self) -> Iterator[Session]:
        engine = make_engine(self.url)
        try:
            with unit_of_work(make_sessionmaker(engine)) as session:
                yield session
        finally:
            engine.dispose()

    def person(self, session: Session, name: str) -> Person:
        return session.query(Person).filter_by(email=self.emails[name]).one()


@pytest.fixture
def world(tmp_path: Path, sqlite_templates: SqliteTemplates, service_clock: ServiceClock) -> World:
    """Two drivers free 07:00-15:00 from Sigüenza; three trips to Sigüenza booked the day
    before at noon; the day planned and published at 18:00 the evening before."""
    url = sqlite_templates.fresh(True, tmp_path / "operating-day.sqlite3")
    service_clock.at(DAY - dt.timedelta(days=1), 12)
    engine = make_engine(url)
    emails: dict[str, str] = {}
    trips: dict[str, int] = {}
    with unit_of_work(make_sessionmaker(engine)) as session:
        make = Factory(session)

        def who(name: str) -> dict[str, str]:
            emails[name] = f"{name.lower()}@example.org"
            return {"first_name": name, "email": emails[name], "password": PASSWORD,
                    "preferred_language": "en"}  # fmt: skip

        make.coordinator(**who("Carmen"))
        for name in ("Dani", "Eva"):
            make.shift(make.driver(**who(name)), date=DAY, start_time=dt.time(7),
                       end_time=dt.time(15))  # fmt: skip
        for name, village, hour in (("Amina", ATIENZA, 10), ("Bilal", JADRAQUE, 11),
                                    ("Chen", ATIENZA, 12)):  # fmt: skip
            rider = make.newcomer(**who(name))
            trip = make.request(rider, origin_id=make.place(village).id,
                                destination_id=make.place(SIGUENZA).id, date=DAY,
                                time=dt.time(hour))  # fmt: skip
            trips[name] = trip.id
        service_clock.at(DAY - dt.timedelta(days=1), 18)
        publish_plan(session, plan_day(session, DAY, SETTINGS))
    engine.dispose()
    return World(url, emails, trips)


@pytest.fixture
def live_app(world: World):
    """The app on the small world (replaces the demo-seeded app of ``conftest``)."""
    app = create_app({"DATABASE_URL": world.url, "SECRET_KEY": "browser-tests",
                      "SOLVER_TIME_LIMIT": 1.0, "SOLVER_MAX_TIME_LIMIT": 2.0})  # fmt: skip
    return app, world.emails, PASSWORD


def _route_of(session: Session, world: World, rider: str) -> Route:
    """The published route carrying this rider's trip."""
    plan = published_plan(session, DAY)
    assert plan is not None
    trip = world.trips[rider]
    return next(r for r in plan.routes if any(s.request_id == trip for s in r.stops))


def _driver_of(world: World, rider: str) -> str:
    with world.session() as session:
        return _route_of(session, world, rider).driver.first_name


def _sharing_rider(world: World) -> str:
    """A rider whose route carries another trip too (three trips, two drivers: one has two)."""
    with world.session() as session:
        for rider in world.trips:
            if len({s.request_id for s in _route_of(session, world, rider).stops}) > 1:
                return rider
    raise AssertionError("no route carries two trips")


def _accept_every_route(world: World) -> None:
    """Both drivers say yes to their offered routes (the evening before)."""
    with world.session() as session:
        plan = published_plan(session, DAY)
        assert plan is not None
        for route in plan.routes:
            if route.stops:
                accept_route(session, route.driver, route.id)


def _stops_text(page, route) -> list[str]:
    """Each stop of a route card as "time kind name"."""
    stops = route.locator("li.stop")
    return [
        " ".join(
            (
                stops.nth(i).locator("time").inner_text(),
                stops.nth(i).locator(".what").inner_text(),
                stops.nth(i).locator(".first-name").inner_text(),
            )
        )
        for i in range(stops.count())
    ]


def _new_context(browser, server: str, viewport: dict[str, int] | None = None):
    context = browser.new_context(viewport=viewport or {"width": 390, "height": 844},
                                  base_url=server)  # fmt: skip
    return context, context.new_page()


def test_an_accepted_route_with_a_done_mark_survives_a_replan(
    page, browser, server, world: World, service_clock: ServiceClock
) -> None:
    """Scenario 1 of issue 14: the driver accepts tomorrow's route; on its day marks the first
    pickup done; the coordinator re-plans and publishes a new version; the driver's page still
    shows the accepted route, its done mark, the same stops and times; the mileage page counts
    the route as driven with its km."""
    driver = _driver_of(world, "Amina")
    sign_in(page, world.emails[driver], PASSWORD)
    page.wait_for_url("**/driver/")
    page.goto(f"/driver/?day={DAY.isoformat()}")
    route = page.locator("article.route").filter(has=page.locator("li.stop"))
    expect(route).to_have_count(1)
    route.locator("form[action$='/accept'] button").click()
    expect(page.locator("article.route .status.accepted")).to_be_visible()

    service_clock.at(DAY, 7)
    page.goto(f"/driver/?day={DAY.isoformat()}")
    route = page.locator("article.route").filter(has=page.locator("li.stop"))
    route.locator("li.stop").first.locator("form[action$='/done'] button").click()
    page.wait_for_url("**#stop-*")
    route = page.locator("article.route").filter(has=page.locator("li.stop"))
    expect(route.locator("li.stop").first.locator(".status.done")).to_be_visible()
    before = _stops_text(page, route)
    title = route.locator("h2").inner_text()
    km = re.search(r"([\d.,]+)\s*km", title)
    assert km is not None

    service_clock.at(DAY, 7, 5)
    with world.session() as session:
        version = publish_plan(session, plan_day(session, DAY, SETTINGS)).version
    assert version >= 2

    page.goto(f"/driver/?day={DAY.isoformat()}")
    route = page.locator("article.route").filter(has=page.locator("li.stop"))
    expect(route).to_have_count(1)
    expect(route.locator(".status.accepted")).to_be_visible()
    expect(route.locator("form[action$='/accept']")).to_have_count(0)
    expect(route.locator("li.stop").first.locator(".status.done")).to_be_visible()
    assert _stops_text(page, route) == before
    assert route.locator("h2").inner_text() == title
    screenshot(page, "driver-route-kept-after-replan")

    page.goto(f"/driver/mileage?month={DAY:%Y-%m}")
    rows = page.locator("#mileage tbody tr")
    expect(rows).to_have_count(1)
    assert rows.first.locator("td").nth(1).inner_text() == "1"
    partly = float(page.locator("#mileage-total").inner_text().replace(",", ""))
    assert partly > 0  # driven up to the last mark

    # The rest of the route driven: the mileage is the route's km, as the driver accepted it.
    page.goto(f"/driver/?day={DAY.isoformat()}")
    while page.locator("article.route form[action$='/done'] button").count():
        with page.expect_navigation():
            page.locator("article.route form[action$='/done'] button").first.click()
    page.goto(f"/driver/mileage?month={DAY:%Y-%m}")
    driven = float(page.locator("#mileage-total").inner_text().replace(",", ""))
    assert driven == pytest.approx(float(km.group(1).replace(",", "")), abs=0.1)
    assert driven >= partly
    screenshot(page, "driver-mileage-after-replan")


def test_a_same_day_request_is_fitted_in_and_accepted_by_the_driver(
    page, browser, server, world: World, service_clock: ServiceClock
) -> None:
    """On the day at 08:00 Amina asks for a ride at 13:00: she is told a coordinator will
    fit it in; the coordinator opens the trip from the day page and gives it to the best
    driver; the driver sees what changed since they accepted and accepts; Amina's page shows
    her pickup time."""
    _accept_every_route(world)
    service_clock.at(DAY, 8)
    sign_in(page, world.emails["Amina"], PASSWORD)
    page.wait_for_url("**/newcomer/")
    page.goto("/newcomer/book")
    page.locator("#origin").fill("Atienza")
    page.locator("#destination").fill("Sigüenza")
    page.locator("#date").fill(DAY.isoformat())
    page.locator("#time").fill("13:00")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/newcomer/")
    expect(page.locator(".flash")).to_contain_text("Your request is for today")
    expect(page.locator(".flash")).to_contain_text("we will tell you by 10:00")
    screenshot(page, "newcomer-same-day-notice")
    with world.session() as session:
        late = (
            session.query(RideRequest)
            .filter_by(rider_id=world.person(session, "Amina").id, date=DAY)
            .order_by(RideRequest.id.desc())
            .first()
        )
        assert late is not None
        late_id = late.id

    coordinator_context, desk = _new_context(browser, server, DESKTOP)
    sign_in(desk, world.emails["Carmen"], PASSWORD)
    desk.wait_for_url("**/coordinator/")
    desk.goto(f"/coordinator/?date={DAY.isoformat()}")
    desk.locator(f"a[href='/coordinator/requests/{late_id}']").first.click()
    desk.wait_for_url(f"**/coordinator/requests/{late_id}")
    options = desk.locator("table.options tbody tr")
    expect(options.first).to_be_visible()
    # The best fit among the drivers who accepted (an idle driver would get a new offer).
    chosen = options.filter(has_text="accepted: proposed to them").first
    best = chosen.locator("td").first.inner_text().split()[0]
    screenshot(desk, "coordinator-fit-same-day")
    chosen.locator("button").click()
    expect(desk.locator(".flash")).to_contain_text("the change is proposed to them")
    coordinator_context.close()

    driver_context, phone = _new_context(browser, server)
    sign_in(phone, world.emails[best], PASSWORD)
    phone.wait_for_url("**/driver/")
    phone.get_by_role("link", name="See what changes").first.click()
    expect(phone.locator("h1")).to_have_text("A change to your route")
    expect(phone.locator("li.new").first).to_contain_text("Amina")
    screenshot(phone, "driver-change-same-day")
    phone.locator("form[action$='/accept'] button").click()
    expect(phone.locator(".flash")).to_contain_text("your route is updated")
    driver_context.close()

    page.goto("/newcomer/")
    trip = page.locator(f"#trip-{late_id}")
    expect(trip.locator(".status.scheduled")).to_be_visible()
    expect(trip.locator(".pickup time")).to_have_text(re.compile(r"^1[2-4]:\d\d$"))
    screenshot(page, "newcomer-same-day-pickup")


def _window(message: str) -> tuple[dt.time, dt.time]:
    found = re.search(r"window \((\d\d:\d\d) to (\d\d:\d\d)\)", message)
    assert found is not None, message
    return dt.time.fromisoformat(found.group(1)), dt.time.fromisoformat(found.group(2))


def _retime_inside(desk, low: dt.time, high: dt.time) -> dt.time:
    """Move the pickup to a time inside the window the refusal named: the window's end first
    (free when the trip rides alone), else a minute either side of the current pickup (the
    other riders' promised times are held, so a far move may not fit their route)."""
    text = desk.locator("#route-title + p").inner_text()
    shown = re.search(r"Pickup at (\d+:\d\d)\s([AP]M)", text)  # babel: a narrow space
    assert shown is not None, text
    now = dt.datetime.strptime(" ".join(shown.groups()), "%I:%M %p")
    nearby = [(now + dt.timedelta(minutes=m)).time() for m in (1, -1, 2, -2)]
    for wanted in [high, low, *nearby]:
        if not low <= wanted <= high or wanted == now.time():
            continue
        desk.locator("#pickup_at").fill(wanted.strftime("%H:%M"))
        with desk.expect_navigation():
            desk.get_by_role("button", name="Change the pickup time").click()
        if desk.locator(".flash").count():
            expect(desk.locator(".flash")).to_contain_text("is published with the change")
            return wanted
    raise AssertionError("no time inside the window was taken")


def test_each_change_by_hand_and_a_refused_one(
    browser, server, world: World, service_clock: ServiceClock
) -> None:
    """On offered routes each change is published at once: take a trip off, give it to the
    other driver, move its pickup inside the rider's window (a pickup outside the window is
    refused first, with the window in plain words), move it back to the first driver."""
    service_clock.at(DAY - dt.timedelta(days=1), 19)
    rider = _sharing_rider(world)
    first = _driver_of(world, rider)
    context, desk = _new_context(browser, server, DESKTOP)
    sign_in(desk, world.emails["Carmen"], PASSWORD)
    desk.wait_for_url("**/coordinator/")
    trip = f"/coordinator/requests/{world.trips[rider]}"
    desk.goto(trip)
    route_title = desk.locator("#route-title")
    expect(route_title).to_contain_text(f"On the route of {first}")

    desk.get_by_role("button", name="Take off this route").click()
    expect(desk.locator(".flash")).to_contain_text("is published with the change")
    expect(desk.locator("#route-title")).to_have_count(0)
    expect(desk.locator(".status.unserved").first).to_be_visible()

    other = "Eva" if first == "Dani" else "Dani"
    desk.get_by_role("button", name=f"Give to {other}").click()
    expect(desk.locator(".flash")).to_contain_text("is published with the change")
    expect(desk.locator("#route-title")).to_contain_text(f"On the route of {other}")

    desk.locator("#pickup_at").fill("03:00")
    desk.get_by_role("button", name="Change the pickup time").click()
    refusal = desk.locator(".error-box")
    expect(refusal).to_contain_text("That time is outside the rider's window")
    screenshot(desk, "coordinator-change-refused")
    wanted = _retime_inside(desk, *_window(refusal.inner_text()))
    shown = wanted.strftime("%I:%M").lstrip("0")
    expect(desk.locator("#route-title + p")).to_contain_text(f"Pickup at {shown}")

    desk.get_by_role("button", name=f"Move to {first}").click()
    expect(desk.locator(".flash")).to_contain_text("is published with the change")
    expect(desk.locator("#route-title")).to_contain_text(f"On the route of {first}")
    screenshot(desk, "coordinator-changes-done")
    context.close()
    with world.session() as session:
        request = session.get(RideRequest, world.trips[rider])
        assert request is not None and request.confirmed_pickup_at is not None
        assert request.status.value == "scheduled"
        assert _driver_of(world, rider) == first
