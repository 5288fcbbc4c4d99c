"""A driver in a real browser: the published demo day, accepting a route, marking a stop,
downloading the calendar file; the sheet, mileage and availability pages pass axe-core."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import expect

from rides.db import make_engine, make_sessionmaker, unit_of_work
from rides.driving.routes import accept_route
from rides.models import ChangeStatus, OutboxMessage, Person, RideRequest, Route, RouteChange
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from scenarios import demo
from tests.clocks import ServiceClock
from tests.web import every_page
from tests.web.browser.conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def published(live_app) -> tuple[dt.date, int]:
    """The demo day planned and published in the live app's database; the demo driver's
    route (day, route id)."""
    app, emails, _password = live_app
    engine = make_engine(app.config["DATABASE_URL"])
    with unit_of_work(make_sessionmaker(engine)) as session:
        day = demo.demo_day(session)
        plan = publish_plan(session, plan_day(session, day, PlanSettings(time_limit=2.0)))
        driver = session.query(Person).filter_by(email=emails["driver"]).one()
        route_id = next(r.id for r in plan.routes if r.driver_id == driver.id)
    engine.dispose()
    return day, route_id


def _not_here_messages(app, stop_id: int) -> list[OutboxMessage]:
    """The "passenger not here" messages written for a stop (read from the live database)."""
    engine = make_engine(app.config["DATABASE_URL"])
    try:
        with unit_of_work(make_sessionmaker(engine)) as session:
            found = [
                m
                for m in session.query(OutboxMessage).filter_by(kind="passenger_not_here")
                if m.dedup_key.split(":")[2] == str(stop_id)
            ]
            for message in found:
                assert message.recipient is not None and message.body
            session.expunge_all()
            return found
    finally:
        engine.dispose()


def _change_waiting(app, route_id: int, note: str) -> tuple[int, str]:
    """The demo driver's route accepted, and a change to it waiting for their answer that keeps
    its stops and brings its first rider in as new, with a note for the driver; (change id,
    that rider's first name)."""
    engine = make_engine(app.config["DATABASE_URL"])
    try:
        with unit_of_work(make_sessionmaker(engine)) as session:
            route = session.get(Route, route_id)
            assert route is not None and route.driver is not None
            accept_route(session, route.driver, route_id)
            change = every_page.change_bringing_first_rider(route, note)
            session.add(change)
            session.flush()
            first = session.get(RideRequest, change.summary["added"][0])
            assert first is not None
            return change.id, first.rider.first_name
    finally:
        engine.dispose()


def test_driver_accepts_a_route_and_downloads_the_calendar(
    page, live_app, published, service_clock: ServiceClock
) -> None:
    """On the route's day, My routes shows the offered route; accepting it shows the stop
    buttons; the first pickup is marked; the .ics download holds one event for it."""
    _app, emails, password = live_app
    day, route_id = published
    service_clock.at(day, 7)  # stops are marked on the route's day
    sign_in(page, emails["driver"], password)
    page.wait_for_url("**/driver/")
    page.goto(f"/driver/?day={day.isoformat()}")
    route = page.locator(f"#route-{route_id}")
    expect(route.locator(".status.offered")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "driver-routes-offered")

    route.locator("form[action$='/accept'] button").click()
    page.wait_for_url(f"**#route-{route_id}")
    route = page.locator(f"#route-{route_id}")
    expect(route.locator(".status.accepted")).to_be_visible()
    first_stop = route.locator("li.stop").first
    first_stop.locator("form[action$='/done'] button").click()
    page.wait_for_url("**#stop-*")
    first_stop = page.locator(f"#route-{route_id} li.stop").first
    expect(first_stop.locator(".status.done")).to_be_visible()
    expect(first_stop.locator("form[action$='/undo'] button")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "driver-routes-accepted")

    with page.expect_download() as download_info:
        page.locator("a[href='/driver/calendar.ics']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    assert day.isoformat() in str(events[0].get("uid"))


def test_no_show_is_confirmed_then_undone(
    page, live_app, published, service_clock: ServiceClock
) -> None:
    """On the day, the route shows the coordinator's phone; one tap on "Passenger not here"
    tells the coordinators (an outbox message with the rider's name and stop) and opens the
    no-show question; confirming marks the pickup and says the drop-off is not needed; Undo
    puts both back."""
    _app, emails, password = live_app
    day, route_id = published
    service_clock.at(day, 7)
    sign_in(page, emails["driver"], password)
    page.wait_for_url("**/driver/")
    route = page.locator(f"#route-{route_id}")
    route.locator("form[action$='/accept'] button").click()
    page.wait_for_url(f"**#route-{route_id}")
    pickup = page.locator(f"#route-{route_id} li.stop.pickup").first
    stop_id = pickup.get_attribute("id")
    expect(route.locator(".call-line a[href^='tel:']")).to_be_visible()
    name = pickup.locator(".first-name").inner_text()
    pickup.locator("form[action$='/not-here'] button").click()
    page.wait_for_url("**/no-show")
    expect(page.locator(".flash")).to_contain_text(name)  # in the demo driver's language
    told = _not_here_messages(live_app[0], int(stop_id.removeprefix("stop-")))
    assert told and all(m.recipient.role.value == "coordinator" for m in told)
    expect(page.locator("form[action$='/no-show'] input[name=confirm]")).to_have_value("yes")
    assert axe_violations(page) == []
    screenshot(page, "driver-no-show-question")
    page.locator("form[action$='/no-show'] button").click()
    page.wait_for_url(f"**#{stop_id}")
    expect(page.locator(f"#{stop_id} .status.no_show")).to_be_visible()
    expect(page.locator(f"#route-{route_id} .status.skipped").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "driver-no-show-marked")
    page.locator(f"#{stop_id} form[action$='/undo'] button").click()
    page.wait_for_url(f"**#{stop_id}")
    expect(page.locator(f"#{stop_id} form[action$='/done'] button")).to_be_visible()
    expect(page.locator(f"#route-{route_id} .status.skipped")).to_have_count(0)


def test_a_change_shows_the_new_passengers_needs_and_note_and_is_accepted(
    page, live_app, published
) -> None:
    """My routes links to the change waiting for an answer; its page marks the new passenger,
    with their seats and the note beside the pickup, and passes axe; accepting it brings the
    driver back to My routes (the day's new version, their route accepted) and answers it."""
    app, emails, password = live_app
    day, route_id = published
    change_id, name = _change_waiting(app, route_id, note="Carrito de bebé")
    sign_in(page, emails["driver"], password)
    page.wait_for_url("**/driver/")
    page.goto(f"/driver/?day={day.isoformat()}")
    page.locator(f"a[href$='/driver/changes/{change_id}']").first.click()
    page.wait_for_url(f"**/driver/changes/{change_id}")
    new = page.locator("ol.stops li.pickup.new")
    expect(new).to_have_count(1)
    expect(new).to_contain_text(name)
    expect(new.locator(".who")).to_be_visible()
    expect(new.locator(".driver-note")).to_contain_text("Carrito de bebé")
    expect(page.locator("ol.stops .driver-note")).to_have_count(1)
    assert axe_violations(page) == []
    screenshot(page, "driver-change")
    page.locator("form[action$='/accept'] button").click()
    page.wait_for_url("**/driver/?day=*")
    expect(page.locator(".flash")).to_be_visible()
    expect(page.locator("article.route .status.accepted").first).to_be_visible()
    engine = make_engine(app.config["DATABASE_URL"])
    try:
        with unit_of_work(make_sessionmaker(engine)) as session:
            assert session.get(RouteChange, change_id).status == ChangeStatus.ACCEPTED
    finally:
        engine.dispose()


def test_decline_asks_for_a_reason(page, live_app, published) -> None:
    """The decline button opens a small form with an optional reason; sending it marks the
    route declined."""
    _app, emails, password = live_app
    day, route_id = published
    sign_in(page, emails["driver"], password)
    page.wait_for_url("**/driver/")
    page.goto(f"/driver/?day={day.isoformat()}")
    route = page.locator(f"#route-{route_id}")
    route.locator("details.decline summary").click()
    route.locator(f"#reason-{route_id}").fill("Car at the garage")
    assert axe_violations(page) == []
    route.locator("form[action$='/decline'] button").click()
    expect(page.locator(f"#route-{route_id} .status.declined")).to_be_visible()


def test_sheet_mileage_and_availability_pages(page, live_app, published) -> None:
    """The printable sheet, the mileage log and the availability page: accessible, and the
    sheet hides its buttons when printed."""
    _app, emails, password = live_app
    day, route_id = published
    sign_in(page, emails["driver"], password)
    page.wait_for_url("**/driver/")
    page.goto(f"/driver/routes/{route_id}/sheet")
    assert page.locator("table.stops-table tbody tr").count() >= 2
    assert axe_violations(page) == []
    screenshot(page, "driver-sheet")
    page.emulate_media(media="print")
    assert page.locator("[data-print]").is_hidden()
    assert page.locator("header.top").is_hidden()
    page.emulate_media(media="screen")

    page.goto(f"/driver/mileage?month={day:%Y-%m}")
    assert page.locator("#month").input_value() == f"{day:%Y-%m}"
    assert axe_violations(page) == []
    screenshot(page, "driver-mileage")

    page.goto("/driver/availability")
    assert page.locator("ul.shifts > li").count() >= 1
    assert page.locator("div.car input[name$='-seats']").first.input_value() != ""
    assert axe_violations(page) == []
    screenshot(page, "driver-availability")
    page.locator("#date").fill((day + dt.timedelta(days=2)).isoformat())
    page.locator("#start_time").fill("09:00")
    page.locator("#end_time").fill("12:00")
    page.locator("#start_place").press_sequentially("jadra", delay=30)
    page.locator("#start_place-suggestions [role=option]").first.click()
    expect(page.locator("#start_place")).to_have_value("Jadraque")
    page.locator("#shift-form button[type=submit]").click()
    expect(page.locator(".flash")).to_be_visible()
    expect(page.locator("ul.shifts > li")).to_have_count(2)
