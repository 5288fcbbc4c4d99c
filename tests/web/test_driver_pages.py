"""Drivers' pages: routes of a day, accept/decline, stops, sheet, calendar, mileage, shifts, car."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import icalendar
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.models import (
    AuditEntry,
    DayPlan,
    Person,
    PlanStatus,
    RequestStatus,
    RideRequest,
    Route,
    RouteStatus,
    Shift,
    StopKind,
    StopStatus,
)
from rides.places.directory import set_meeting_point
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.clocks import ServiceClock
from tests.factories import ATIENZA, JADRAQUE, Factory, tomorrow
from tests.web.pages import csrf_token, sign_in_page

PASSWORD = "a long driver password"
FAST = PlanSettings(time_limit=1.0)
SURNAME = "Zubizarreta-Private"
PHONE = "+34600123456"


@dataclass
class Day:
    """A published day: the driver, their route, the rider and her request."""

    driver: Person
    route: Route
    rider: Person
    request: RideRequest


def publish(session: Session, day: dt.date) -> DayPlan:
    plan = publish_plan(session, plan_day(session, day, FAST))
    session.commit()
    return plan


@pytest.fixture
def day(session: Session, make: Factory) -> Day:
    """Javier drives tomorrow from Sigüenza; Amina (surname and phone on file) rides from
    Atienza, where a meeting point is described, with a child in a child seat."""
    javier = make.driver(first_name="Javier", email="javier@example.org", password=PASSWORD,
                         preferred_language="en", child_seats=1)  # fmt: skip
    make.shift(javier)
    amina = make.newcomer(first_name="Amina", last_name=SURNAME, phone=PHONE,
                          email="amina@example.org", languages=("ar", "fr"))  # fmt: skip
    set_meeting_point(session, make.place(ATIENZA), "Bus shelter by the fountain")
    request = make.request(amina, children=1, child_seats=1)
    plan = publish(session, tomorrow())
    (route,) = plan.routes
    return Day(javier, route, amina, request)


@pytest.fixture
def browser(client: FlaskClient, day: Day) -> FlaskClient:
    """The test client signed in as the day's driver."""
    assert sign_in_page(client, "javier@example.org", PASSWORD).status_code == 302
    return client


def token(client: FlaskClient) -> dict[str, str]:
    return {"csrf_token": csrf_token(client, "/driver/availability")}


def route_of(session: Session, route_id: int) -> Route:
    session.expire_all()
    route = session.get(Route, route_id)
    assert route is not None
    return route


def test_sign_in_lands_on_my_routes_of_tomorrow(client: FlaskClient, day: Day) -> None:
    """A driver's home is My routes, tomorrow by default, with the offered route."""
    response = sign_in_page(client, "javier@example.org", PASSWORD)
    assert response.headers["Location"].endswith("/driver/")
    html = client.get("/driver/").get_data(as_text=True)
    assert f'value="{tomorrow().isoformat()}"' in html
    assert f'id="route-{day.route.id}"' in html and "Waiting for your answer" in html


def test_route_shows_stops_with_what_the_driver_needs(browser: FlaskClient, day: Day) -> None:
    """Each stop: planned time, place and meeting point, first name, seats, children, child
    seats and spoken languages; offered routes have accept and decline buttons, no stop
    buttons yet."""
    html = browser.get("/driver/").get_data(as_text=True)
    assert html.count('class="stop pickup"') == 1 and html.count('class="stop dropoff"') == 1
    assert "Bus shelter by the fountain" in html and "Atienza" in html and "Sigüenza" in html
    assert '<strong class="first-name">Amina</strong>' in html
    assert "1 adult" in html and "1 child," in html and "1 child seat" in html
    assert "Arabic" in html and "French" in html
    assert f"/driver/routes/{day.route.id}/accept" in html
    assert f"/driver/routes/{day.route.id}/decline" in html and 'name="reason"' in html
    assert "/driver/stops/" not in html


def test_other_days_and_bad_dates(browser: FlaskClient, day: Day) -> None:
    """Another day has no route; a malformed date falls back to tomorrow."""
    later = tomorrow() + dt.timedelta(days=5)
    html = browser.get(f"/driver/?day={later.isoformat()}").get_data(as_text=True)
    assert "You have no route on this day." in html
    html = browser.get("/driver/?day=not-a-day").get_data(as_text=True)
    assert f'id="route-{day.route.id}"' in html and "Choose a day." in html


def test_accept_then_record_pickup_drop_off(
    browser: FlaskClient, day: Day, session: Session, service_clock: ServiceClock
) -> None:
    """Accepting shows the stop buttons; "picked up" then "dropped off" marks both stops done,
    the trip done and the route completed."""
    route_day = tomorrow()
    service_clock.at(route_day, 9)  # stops are marked on the route's day
    response = browser.post(f"/driver/routes/{day.route.id}/accept", data=token(browser))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"?day={route_day.isoformat()}#route-{day.route.id}"
    )
    assert route_of(session, day.route.id).status == RouteStatus.ACCEPTED
    html = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you! The route is yours." in html
    assert "Picked up" in html and "Passenger not here" in html and "/accept" not in html
    pickup, dropoff = route_of(session, day.route.id).stops
    for stop in (pickup, dropoff):
        response = browser.post(f"/driver/stops/{stop.id}/done", data=token(browser))
        assert response.status_code == 302 and response.headers["Location"].endswith(
            f"#stop-{stop.id}"
        )
    route = route_of(session, day.route.id)
    assert [s.status for s in route.stops] == [StopStatus.DONE, StopStatus.DONE]
    assert route.status == RouteStatus.COMPLETED
    assert session.get(RideRequest, day.request.id).status == RequestStatus.DONE
    html = browser.get(f"/driver/?day={route_day.isoformat()}").get_data(as_text=True)
    assert "Completed" in html and "/done" not in html and "/no-show" not in html
    assert f"/driver/stops/{dropoff.id}/undo" in html  # for ten minutes
    assert f"/driver/stops/{pickup.id}/undo" not in html  # its drop-off is marked after it


def test_no_show_asks_first_then_skips_the_drop_off(
    browser: FlaskClient, day: Day, session: Session, service_clock: ServiceClock
) -> None:
    """The "Passenger not here" button posts (no script needed) and leads to the no-show
    question page, and a post without the confirmation only asks again; confirmed, the trip
    is a no-show and its drop-off not needed (skipped), which the route and the printable
    sheet say."""
    browser.post(f"/driver/routes/{day.route.id}/accept", data=token(browser))
    route_day = tomorrow()
    service_clock.at(route_day, 9)  # on the route's day
    pickup = next(s for s in route_of(session, day.route.id).stops if s.kind == StopKind.PICKUP)
    html = browser.get(f"/driver/?day={route_day.isoformat()}").get_data(as_text=True)
    assert f'action="/driver/stops/{pickup.id}/not-here"' in html
    tapped = browser.post(f"/driver/stops/{pickup.id}/not-here", data=token(browser))
    assert tapped.status_code == 302
    assert tapped.headers["Location"].endswith(f"/driver/stops/{pickup.id}/no-show")
    question = browser.get(f"/driver/stops/{pickup.id}/no-show")
    assert question.status_code == 200
    html = question.get_data(as_text=True)
    assert "Was Amina not at the pickup?" in html and "Bus shelter by the fountain" in html
    assert "The drop-off of Amina will not be needed." in html
    assert "You can undo it for 10 minutes." in html and 'name="confirm" value="yes"' in html
    assert "<script" not in html
    unconfirmed = browser.post(f"/driver/stops/{pickup.id}/no-show", data=token(browser))
    assert unconfirmed.status_code == 200 and "Was Amina not at the pickup?" in unconfirmed.text
    assert route_of(session, day.route.id).stops[0].status == StopStatus.PLANNED
    response = browser.post(f"/driver/stops/{pickup.id}/no-show",
                            data={**token(browser), "confirm": "yes"})  # fmt: skip
    assert response.status_code == 302
    route = route_of(session, day.route.id)
    assert [s.status for s in route.stops] == [StopStatus.NO_SHOW, StopStatus.SKIPPED]
    assert session.get(RideRequest, day.request.id).status == RequestStatus.NO_SHOW
    html = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Marked: Amina was not at the pickup; the drop-off is not needed." in html
    assert "Not needed" in html and "Amina was not at the pickup." in html
    assert f"/driver/stops/{pickup.id}/undo" in html
    sheet = browser.get(f"/driver/routes/{day.route.id}/sheet").get_data(as_text=True)
    assert "Not needed: Amina was not at the pickup." in sheet


def test_stop_buttons_only_on_the_route_day(
    browser: FlaskClient, day: Day, session: Session, service_clock: ServiceClock
) -> None:
    """The day before, an accepted route says when its stops are marked and a mark posted
    anyway is refused; on the day the buttons are there and My routes opens on today; the
    day after, the route is still there without buttons; two days after it is gone."""
    route_day = tomorrow()
    browser.post(f"/driver/routes/{day.route.id}/accept", data=token(browser))
    pickup = route_of(session, day.route.id).stops[0]
    service_clock.at(route_day - dt.timedelta(days=1), 21)
    html = browser.get(f"/driver/?day={route_day.isoformat()}").get_data(as_text=True)
    assert "You will mark each stop here on" in html and "/done" not in html
    refused = browser.post(f"/driver/stops/{pickup.id}/done", data=token(browser))
    assert refused.status_code == 409
    assert "The stops of this route can be marked on its day" in refused.text
    assert browser.get(f"/driver/stops/{pickup.id}/no-show").status_code == 409
    service_clock.at(route_day, 6, 30)
    html = browser.get("/driver/").get_data(as_text=True)  # today, not tomorrow
    assert f'value="{route_day.isoformat()}"' in html and 'aria-current="date"' in html
    assert f"/driver/stops/{pickup.id}/done" in html and "You will mark" not in html
    service_clock.at(route_day + dt.timedelta(days=1), 0, 1)
    html = browser.get(f"/driver/?day={route_day.isoformat()}").get_data(as_text=True)
    assert f'id="route-{day.route.id}"' in html and f"/driver/stops/{pickup.id}/done" not in html
    service_clock.at(route_day + dt.timedelta(days=2), 0, 1)
    html = browser.get(f"/driver/?day={route_day.isoformat()}").get_data(as_text=True)
    assert f'id="route-{day.route.id}"' not in html
    assert route_of(session, day.route.id).stops[0].status == StopStatus.PLANNED


def test_undo_next_to_a_mark_for_ten_minutes(
    browser: FlaskClient, day: Day, session: Session, service_clock: ServiceClock
) -> None:
    """A mark shows "Undo" with the time it is good until; undoing puts the stop back with its
    buttons; eleven minutes after a mark there is no Undo, and a late post is refused."""
    route_day = tomorrow()
    browser.post(f"/driver/routes/{day.route.id}/accept", data=token(browser))
    service_clock.at(route_day, 10)
    pickup = route_of(session, day.route.id).stops[0]
    response = browser.post(f"/driver/stops/{pickup.id}/done", data=token(browser))
    html = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Marked: Amina picked up. You can undo it for 10 minutes." in html
    assert f'action="/driver/stops/{pickup.id}/undo"' in html and "until 10:10" in html
    response = browser.post(f"/driver/stops/{pickup.id}/undo", data=token(browser))
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"#stop-{pickup.id}"
    )
    html = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "The mark is undone" in html and f"/driver/stops/{pickup.id}/done" in html
    assert route_of(session, day.route.id).stops[0].status == StopStatus.PLANNED
    browser.post(f"/driver/stops/{pickup.id}/done", data=token(browser))
    service_clock.advance(minutes=11)
    html = browser.get(f"/driver/?day={route_day.isoformat()}").get_data(as_text=True)
    assert f"/driver/stops/{pickup.id}/undo" not in html
    late = browser.post(f"/driver/stops/{pickup.id}/undo", data=token(browser))
    assert late.status_code == 409 and "can be undone for 10 minutes only" in late.text
    assert route_of(session, day.route.id).stops[0].status == StopStatus.DONE


def test_stops_cannot_be_recorded_before_accepting(
    browser: FlaskClient, day: Day, session: Session
) -> None:
    """Recording a stop of an offered route is a conflict (409) and changes nothing."""
    stop = route_of(session, day.route.id).stops[0]
    assert browser.post(f"/driver/stops/{stop.id}/done", data=token(browser)).status_code == 409
    assert route_of(session, day.route.id).stops[0].status == StopStatus.PLANNED


def test_decline_with_a_reason(browser: FlaskClient, day: Day, session: Session) -> None:
    """Declining records the reason for the coordinator and asks for a re-plan; the declined
    route stays on the page without its passengers (need-to-know)."""
    response = browser.post(f"/driver/routes/{day.route.id}/decline",
                            data={**token(browser), "reason": "Car at the garage"})  # fmt: skip
    assert response.status_code == 302
    route = route_of(session, day.route.id)
    assert route.status == RouteStatus.DECLINED and route.plan.replan_requested_at is not None
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "declined")).one()
    assert entry.changes["reason"] == "Car at the garage"
    html = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "You declined the route." in html and "Declined" in html
    assert "Amina" not in html  # a declined route's passengers are no longer shown


def test_a_decline_can_be_taken_back_until_the_day_is_planned_again(
    browser: FlaskClient, day: Day, session: Session
) -> None:
    """A wrong tap on Decline is put right from the same page: the route is the driver's
    again, accepted, with its passenger shown; after a re-plan is published it is refused."""
    browser.post(f"/driver/routes/{day.route.id}/decline", data=token(browser))
    page = browser.get(f"/driver/?day={tomorrow().isoformat()}").get_data(as_text=True)
    assert "I can drive it after all" in page
    response = browser.post(f"/driver/routes/{day.route.id}/take-back", data=token(browser))
    assert response.status_code == 302
    assert route_of(session, day.route.id).status == RouteStatus.ACCEPTED
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "The route is yours again." in page and "Amina" in page
    assert "I can drive it after all" not in page
    again = browser.post(f"/driver/routes/{day.route.id}/take-back", data=token(browser))
    assert again.status_code == 409
    assert "Only a declined route can be taken back." in again.get_data(as_text=True)


def test_a_decline_cannot_be_taken_back_once_a_re_plan_is_published(
    browser: FlaskClient, day: Day, session: Session
) -> None:
    browser.post(f"/driver/routes/{day.route.id}/decline", data=token(browser))
    publish(session, tomorrow())
    response = browser.post(f"/driver/routes/{day.route.id}/take-back", data=token(browser))
    assert response.status_code == 409
    assert "planned again after you declined" in response.get_data(as_text=True)
    assert route_of(session, day.route.id).status == RouteStatus.DECLINED


def test_accepting_twice_is_a_conflict(browser: FlaskClient, day: Day) -> None:
    """A second answer to the same route is refused with a page saying it changed."""
    browser.post(f"/driver/routes/{day.route.id}/accept", data=token(browser))
    response = browser.post(f"/driver/routes/{day.route.id}/decline", data=token(browser))
    assert response.status_code == 409
    assert "This route is already accepted." in response.get_data(as_text=True)


def test_another_drivers_route_is_not_found(
    client: FlaskClient, day: Day, make: Factory, session: Session
) -> None:
    """Lucía guessing Javier's route and stop ids gets 404 everywhere, changes nothing, and
    sees no route on the day."""
    make.driver(
        first_name="Lucía", email="lucia@example.org", password=PASSWORD, preferred_language="en"
    )
    session.commit()
    sign_in_page(client, "lucia@example.org", PASSWORD)
    data = {"csrf_token": csrf_token(client, "/driver/availability"), "reason": "x"}
    route_id, stop_id = day.route.id, day.route.stops[0].id
    assert client.get(f"/driver/routes/{route_id}/sheet").status_code == 404
    for url in (f"/driver/routes/{route_id}/accept", f"/driver/routes/{route_id}/decline",
                f"/driver/stops/{stop_id}/done", f"/driver/stops/{stop_id}/no-show",
                f"/driver/stops/{stop_id}/undo"):  # fmt: skip
        assert client.post(url, data=data).status_code == 404, url
    assert client.post(f"/driver/stops/{stop_id}/no-show",
                       data={**data, "confirm": "yes"}).status_code == 404  # fmt: skip
    assert client.get(f"/driver/stops/{stop_id}/no-show").status_code == 404
    assert route_of(session, route_id).status == RouteStatus.OFFERED
    html = client.get("/driver/").get_data(as_text=True)
    assert "Amina" not in html and "You have no route on this day." in html
    assert client.get("/driver/routes/999999/sheet").status_code == 404


def test_passenger_surname_and_phone_never_appear(
    browser: FlaskClient, day: Day, session: Session
) -> None:
    """Privacy: routes page, printable sheet and calendar file show the first name only."""
    browser.post(f"/driver/routes/{day.route.id}/accept", data=token(browser))
    pages = [
        browser.get("/driver/").get_data(as_text=True),
        browser.get(f"/driver/routes/{day.route.id}/sheet").get_data(as_text=True),
        browser.get("/driver/calendar.ics").get_data(as_text=True),
    ]
    for text in pages:
        assert "Amina" in text
        assert SURNAME not in text and "Zubizarreta" not in text
        assert PHONE not in text and "600123456" not in text and "600 12" not in text
        assert "amina@example.org" not in text


def test_printable_sheet(browser: FlaskClient, day: Day) -> None:
    """The sheet: a table of stops with times, names, needs and places, a print button run by
    a script file (no inline script), print CSS loaded."""
    html = browser.get(f"/driver/routes/{day.route.id}/sheet").get_data(as_text=True)
    assert '<table class="stops-table">' in html and html.count("<tr>") == 3
    assert "Bus shelter by the fountain" in html and "data-print" in html
    assert 'src="/static/print.js"' in html and "<script>" not in html
    assert 'href="/static/driver.css"' in html
    css = browser.get("/static/driver.css")
    assert css.get_data(as_text=True).count("@media print") == 1
    css.close()


def _events(client: FlaskClient) -> list[icalendar.Event]:
    response = client.get("/driver/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.get_data())
    return list(calendar.walk("VEVENT"))


def test_calendar_has_one_event_per_accepted_route(
    browser: FlaskClient, day: Day, session: Session, make: Factory
) -> None:
    """Offered routes are not in the file; each accepted one is one event with its times and
    its stops in the description."""
    later = tomorrow() + dt.timedelta(days=1)
    make.shift(day.driver, date=later)
    make.request(
        make.newcomer(first_name="Olena"), date=later, destination_id=make.place(JADRAQUE).id
    )
    session.commit()
    later_route = publish(session, later).routes[0]
    assert _events(browser) == []
    browser.post(f"/driver/routes/{day.route.id}/accept", data=token(browser))
    (event,) = _events(browser)
    route = route_of(session, day.route.id)
    assert event.decoded("dtstart") == route.start_at and event.decoded("dtend") == route.end_at
    description = str(event.get("description"))
    assert "Pick up Amina" in description and "Drop off Amina" in description
    assert "Bus shelter by the fountain" in description and "1 child seat" in description
    browser.post(f"/driver/routes/{later_route.id}/accept", data=token(browser))
    events = _events(browser)
    assert len(events) == 2 and len({str(e.get("uid")) for e in events}) == 2
    assert "Olena" in str(events[1].get("description"))


def test_mileage_page_and_csv(
    browser: FlaskClient, day: Day, session: Session, service_clock: ServiceClock
) -> None:
    """An accepted route counts nothing until it is driven; once its stops are marked on the
    day, the month shows its kilometres and the total, and the same as CSV."""
    route_day = tomorrow()
    month = route_day.strftime("%Y-%m")
    browser.post(f"/driver/routes/{day.route.id}/accept", data=token(browser))
    html = browser.get(f"/driver/mileage?month={month}").get_data(as_text=True)
    assert "No route driven in this month." in html
    service_clock.at(route_day, 9)
    for stop in route_of(session, day.route.id).stops:
        browser.post(f"/driver/stops/{stop.id}/done", data=token(browser))
    route = route_of(session, day.route.id)
    assert route.status == RouteStatus.COMPLETED and route.distance_m > 0
    km = f"{route.distance_m / 1000:.1f}"
    html = browser.get(f"/driver/mileage?month={month}").get_data(as_text=True)
    assert f'<strong id="mileage-total">{km}</strong>' in html
    response = browser.get(f"/driver/mileage.csv?month={month}")
    assert response.mimetype == "text/csv"
    assert f"mileage-{month}.csv" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).splitlines()
    assert lines == ["date,routes,km", f"{route_day.isoformat()},1,{km}", f"total,1,{km}"]
    html = browser.get("/driver/mileage?month=2020-01").get_data(as_text=True)
    assert "No route driven in this month." in html


def test_add_and_withdraw_a_shift_by_place_name(
    browser: FlaskClient, day: Day, session: Session
) -> None:
    """A shift from "jadraque" (typed without capital) is saved with the driver's car and
    listed; taking it back withdraws it."""
    later = tomorrow() + dt.timedelta(days=3)
    response = browser.post("/driver/shifts", data={
        **token(browser), "date": later.isoformat(), "start_time": "09:00", "end_time": "13:00",
        "start_place": "jadraque", "end_place": "",
    })  # fmt: skip
    assert response.status_code == 302
    session.expire_all()
    shift = session.scalars(select(Shift).where(Shift.date == later)).one()
    assert shift.start_place.name == "Jadraque" and shift.end_place_id == shift.start_place_id
    html = browser.get("/driver/availability").get_data(as_text=True)
    assert f'id="shift-{shift.id}"' in html and "Thank you! Your time is saved." in html
    assert (
        browser.post(f"/driver/shifts/{shift.id}/withdraw", data=token(browser)).status_code == 302
    )
    session.expire_all()
    assert session.get(Shift, shift.id).withdrawn
    assert f'id="shift-{shift.id}"' not in browser.get("/driver/availability").get_data(
        as_text=True
    )


def test_a_weekly_time_is_offered_once_for_every_week_up_to_the_last_day(
    browser: FlaskClient, day: Day, session: Session
) -> None:
    """Every week from the day to the last day, said once; a last day before the first is
    a message under that field and stores nothing."""
    first = tomorrow() + dt.timedelta(days=2)
    before = len(session.scalars(select(Shift)).all())
    bad = browser.post("/driver/shifts", data={
        **token(browser), "date": first.isoformat(), "start_time": "09:00", "end_time": "13:00",
        "start_place": "Jadraque", "repeat_until": tomorrow().isoformat(),
    })  # fmt: skip
    assert bad.status_code == 400
    assert re.search(r'id="repeat_until-error" role="alert">The last day must be on or after',
                     bad.get_data(as_text=True))  # fmt: skip
    session.expire_all()
    assert len(session.scalars(select(Shift)).all()) == before
    response = browser.post("/driver/shifts", data={
        **token(browser), "date": first.isoformat(), "start_time": "09:00", "end_time": "13:00",
        "start_place": "Jadraque", "repeat_until": (first + dt.timedelta(weeks=3)).isoformat(),
    })  # fmt: skip
    assert response.status_code == 302
    session.expire_all()
    added = session.scalars(select(Shift).where(Shift.date >= first).order_by(Shift.date)).all()
    assert [s.date for s in added] == [first + dt.timedelta(weeks=n) for n in range(4)]
    html = browser.get("/driver/availability").get_data(as_text=True)
    assert "Thank you! Your times are saved: 4 days." in html


def test_bad_shift_comes_back_with_messages(browser: FlaskClient, day: Day) -> None:
    """An end before the start and an unclear place: 400, messages on their fields, input kept."""
    response = browser.post("/driver/shifts", data={
        **token(browser), "date": tomorrow().isoformat(), "start_time": "13:00",
        "end_time": "09:00", "start_place": "cas",
    })  # fmt: skip
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Which place do you mean?" in html and 'name="start_place_choice"' in html
    assert 'value="cas"' in html and 'value="13:00"' in html
    response = browser.post("/driver/shifts", data={
        **token(browser), "date": tomorrow().isoformat(), "start_time": "13:00",
        "end_time": "09:00", "start_place": "Atienza",
    })  # fmt: skip
    assert response.status_code == 400
    assert re.search(r'id="end_time-error" role="alert">The end time must be after the start time.',
                     response.get_data(as_text=True))  # fmt: skip


def test_another_drivers_shift_cannot_be_withdrawn(
    client: FlaskClient, day: Day, make: Factory, session: Session
) -> None:
    """Withdrawing someone else's shift by id is 404 and leaves it in place."""
    make.driver(email="lucia@example.org", password=PASSWORD)
    session.commit()
    shift_id = day.route.shift_id
    sign_in_page(client, "lucia@example.org", PASSWORD)
    response = client.post(
        f"/driver/shifts/{shift_id}/withdraw",
        data={"csrf_token": csrf_token(client, "/driver/availability")},
    )
    assert response.status_code == 404
    session.expire_all()
    assert not session.get(Shift, shift_id).withdrawn


def test_edit_my_car(browser: FlaskClient, day: Day, session: Session) -> None:
    """The car's form starts with the car as registered; saving changes it; more child seats
    than seats is refused on its field."""
    car_id = session.get(Person, day.driver.id).vehicles[0].id
    prefix = f"car-{car_id}"

    def posted(**fields: str) -> dict[str, str]:
        return {f"{prefix}-csrf_token": token(browser)["csrf_token"],
                **{f"{prefix}-{name}": value for name, value in fields.items()}}  # fmt: skip

    html = browser.get("/driver/availability").get_data(as_text=True)
    assert re.search(rf'id="{prefix}-seats"[^>]*value="4"', html)
    response = browser.post(f"/driver/cars/{car_id}", data=posted(
        label="White Dacia", seats="3", child_seats="2", wheelchair_places="1"))  # fmt: skip
    assert response.status_code == 302
    session.expire_all()
    car = session.get(Person, day.driver.id).vehicles[0]
    assert (car.label, car.seats, car.child_seats, car.wheelchair_places) == (
        "White Dacia",
        3,
        2,
        1,
    )
    assert (car.model, car.colour) == (None, None)
    response = browser.post(f"/driver/cars/{car_id}", data=posted(
        label="White Dacia", seats="3", child_seats="2", wheelchair_places="1",
        model="Dacia Sandero", colour="white"))  # fmt: skip
    assert response.status_code == 302
    session.expire_all()
    car = session.get(Person, day.driver.id).vehicles[0]
    assert (car.model, car.colour) == ("Dacia Sandero", "white")
    html = browser.get("/driver/availability").get_data(as_text=True)
    assert 'value="Dacia Sandero"' in html and f'id="{prefix}-colour"' in html
    response = browser.post(f"/driver/cars/{car_id}", data=posted(
        label="White Dacia", seats="2", child_seats="5", wheelchair_places="0"))  # fmt: skip
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(
        rf'id="{prefix}-child_seats-error" role="alert">Between 0 and the number of seats.', html
    )
    assert 'value="5"' in html


def test_plan_not_published_shows_nothing(
    client: FlaskClient, make: Factory, session: Session
) -> None:
    """A draft plan is not shown to drivers: published plans only."""
    driver = make.driver(email="pedro@example.org", password=PASSWORD, preferred_language="en")
    make.shift(driver)
    make.request()
    plan_day(session, tomorrow(), FAST)
    session.commit()
    assert session.scalars(select(DayPlan)).one().status == PlanStatus.DRAFT
    sign_in_page(client, "pedro@example.org", PASSWORD)
    assert "You have no route on this day." in client.get("/driver/").get_data(as_text=True)
