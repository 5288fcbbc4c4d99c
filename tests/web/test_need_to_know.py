"""Need-to-know over time (issue 15, finding 4): a driver reads the passengers of their own
routes in the current published plan, from the offer to the end of the day after the route;
the routes page, the printable sheet, the API and the calendar feed alike, on both databases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from rides.driving.routes import accept_route, decline_route
from rides.models import Person, Route
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.clocks import ServiceClock
from tests.factories import Factory
from tests.web.pages import browse_as

DAY = dt.date(2026, 12, 10)
FAST = PlanSettings(time_limit=1.0)


@dataclass
class Driving:
    """Javier's accepted route of DAY, with Amina on it, and what he can read of it."""

    driver: Person
    route: Route
    client: FlaskClient
    api: Callable[[str], object]


def _route_with(session: Session, day: dt.date, driver: Person, *, publish: bool) -> Route:
    plan = plan_day(session, day, FAST)
    if publish:
        plan = publish_plan(session, plan)
    (route,) = [r for r in plan.routes if r.driver_id == driver.id and r.stops]
    return route


@pytest.fixture
def driving(
    session: Session, make: Factory, client: FlaskClient, sign_in, service_clock: ServiceClock
) -> Driving:
    service_clock.at(DAY - dt.timedelta(days=2), 12)
    javier = make.driver(first_name="Javier", preferred_language="en")
    make.shift(javier, date=DAY, start_time=dt.time(7), end_time=dt.time(16))
    make.request(make.newcomer(first_name="Amina"), date=DAY)
    route = _route_with(session, DAY, javier, publish=True)
    accept_route(session, javier, route.id)
    caller = sign_in(javier)
    session.commit()
    return Driving(javier, route, browse_as(client, javier.id), caller.get)


def _reads(d: Driving, route: Route, day: dt.date) -> dict[str, bool]:
    """Where the driver finds Amina for ``route`` of ``day``: page, sheet, API one, API list,
    calendar feed."""
    sheet = d.client.get(f"/driver/routes/{route.id}/sheet")
    one = d.api(f"/routes/{route.id}")
    listed = d.api(f"/routes?date={day.isoformat()}")
    return {
        "page": "Amina" in d.client.get(f"/driver/?day={day.isoformat()}").get_data(as_text=True),
        "sheet": sheet.status_code == 200 and "Amina" in sheet.get_data(as_text=True),
        "api": one.status_code == 200 and "Amina" in one.get_data(as_text=True),  # type: ignore[attr-defined]
        "api_list": "Amina" in listed.get_data(as_text=True),  # type: ignore[attr-defined]
        "calendar": "Amina" in d.client.get("/driver/calendar.ics").get_data(as_text=True),
    }


ALL = dict.fromkeys(("page", "sheet", "api", "api_list", "calendar"), True)
NONE = dict.fromkeys(ALL, False)


def test_passengers_readable_until_the_end_of_the_day_after(
    driving: Driving, service_clock: ServiceClock
) -> None:
    """On the day and the day after (to its last minute) everywhere; two days after nowhere."""
    for moment in ((DAY, 9, 0), (DAY + dt.timedelta(days=1), 23, 59)):
        service_clock.at(*moment)
        assert _reads(driving, driving.route, DAY) == ALL
    service_clock.at(DAY + dt.timedelta(days=2), 0, 0)
    assert _reads(driving, driving.route, DAY) == NONE
    assert driving.client.get(f"/driver/routes/{driving.route.id}/sheet").status_code == 404
    assert driving.api(f"/routes/{driving.route.id}").status_code == 404  # type: ignore[attr-defined]


def test_a_superseded_version_shows_no_passengers(
    driving: Driving, session: Session, make: Factory
) -> None:
    """After a new version is published, the old version's route shows nothing; the new one
    (offered again) shows its passengers."""
    pablo = make.driver(first_name="Pablo")
    make.shift(pablo, date=DAY, start_time=dt.time(7), end_time=dt.time(16))
    make.request(make.newcomer(first_name="Olena"), date=DAY, time=dt.time(12))
    newer = _route_with(session, DAY, driving.driver, publish=True)
    session.commit()
    assert newer.id != driving.route.id
    reads = _reads(driving, driving.route, DAY)
    assert (reads["sheet"], reads["api"]) == (False, False)
    assert driving.client.get(f"/driver/routes/{driving.route.id}/sheet").status_code == 404
    assert _reads(driving, newer, DAY)["api"]


def test_declined_and_draft_routes_show_no_passengers(
    driving: Driving, session: Session, make: Factory
) -> None:
    """A route the driver declined, and a draft plan's route, show nothing anywhere."""
    later, draft_day = DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2)
    for day in (later, draft_day):
        make.shift(driving.driver, date=day, start_time=dt.time(7), end_time=dt.time(16))
        make.request(make.newcomer(first_name="Amina"), date=day)
    declined = _route_with(session, later, driving.driver, publish=True)
    session.commit()
    assert _reads(driving, declined, later)["api"]  # offered: readable
    decline_route(session, driving.driver, declined.id, "ill")
    draft = _route_with(session, draft_day, driving.driver, publish=False)
    session.commit()
    assert _reads(driving, declined, later) == NONE | {"calendar": True}  # DAY's route is there
    assert _reads(driving, draft, draft_day) == NONE | {"calendar": True}
    feed = driving.client.get("/driver/calendar.ics").get_data(as_text=True)
    assert feed.count("BEGIN:VEVENT") == 1  # only the accepted route of DAY
