"""The coordinator's day page after a no-show on the way out: "keep the return?" and its two
answers (issue 14)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.booking.ride_requests import book_ride
from rides.driving.routes import accept_route, record_stop
from rides.models import (
    OutboxMessage,
    Person,
    RequestStatus,
    RideRequest,
    StopKind,
    StopStatus,
)
from rides.planning.day_plans import plan_day, publish_plan
from tests.clocks import ServiceClock
from tests.factories import Factory, tomorrow
from tests.web.coordinator.actions import FAST, page_text, post_form


@dataclass
class Missed:
    """The day, and Amina's trips: the outward one she missed and the return."""

    day: dt.date
    outward: RideRequest
    back: RideRequest


@pytest.fixture
def missed(session: Session, make: Factory, service_clock: ServiceClock) -> Missed:
    """Tomorrow Javier's accepted route carries Amina there and back; at 10:15 on the day he
    marks her pickup a no-show."""
    day = tomorrow()
    javier = make.driver(first_name="Javier")
    make.shift(javier, start_time=dt.time(7), end_time=dt.time(16))
    amina = make.newcomer(first_name="Amina")
    outward, back = book_ride(session, amina, make.ride_spec(return_time=dt.time(13)))
    plan = publish_plan(session, plan_day(session, day, FAST))
    (route,) = plan.routes
    accept_route(session, javier, route.id)
    service_clock.at(day, 10, 15)
    pickup = next(s for s in route.stops if (s.request_id, s.kind) == (outward.id, StopKind.PICKUP))
    record_stop(session, javier, pickup.id, StopStatus.NO_SHOW)
    session.commit()
    return Missed(day, outward, back)


def _section(page: str) -> str:
    return page[page.index('id="returns-title"') : page.index('id="drivers-title"')]


def test_the_day_page_asks_about_the_return(
    client: FlaskClient, coordinator: Person, missed: Missed
) -> None:
    """The question, who missed which pickup, the return and its driver, and two buttons."""
    page = page_text(client, f"/coordinator/?date={missed.day.isoformat()}")
    section = _section(page)
    assert "No-show on the way out: keep the return?" in section
    assert "Amina" in section and "not at the pickup at" in section and "Javier" in section
    assert f"/coordinator/requests/{missed.back.id}/keep-return" in section
    assert f"/coordinator/requests/{missed.back.id}/cancel-return" in section


def test_keep_the_return(
    client: FlaskClient, coordinator: Person, missed: Missed, session: Session
) -> None:
    """Keeping it: the question goes away, the return stays scheduled, nobody is told."""
    response = post_form(client, f"/coordinator/requests/{missed.back.id}/keep-return",
                         token_page=f"/coordinator/?date={missed.day.isoformat()}")  # fmt: skip
    assert response.status_code == 303
    page = page_text(client, response.headers["Location"])
    assert "The return trip of Amina is kept." in page and 'id="returns-title"' not in page
    session.expire_all()
    assert session.get(RideRequest, missed.back.id).status == RequestStatus.SCHEDULED


def test_cancel_the_return(
    client: FlaskClient, coordinator: Person, missed: Missed, session: Session
) -> None:
    """Cancelling it: the return is cancelled and leaves the plan; rider and driver are told."""
    response = post_form(client, f"/coordinator/requests/{missed.back.id}/cancel-return",
                         token_page=f"/coordinator/?date={missed.day.isoformat()}")  # fmt: skip
    assert response.status_code == 303
    page = page_text(client, response.headers["Location"])
    assert "The return trip of Amina is cancelled" in page and 'id="returns-title"' not in page
    session.expire_all()
    assert session.get(RideRequest, missed.back.id).status == RequestStatus.CANCELLED
    kinds = ("return_cancelled", "passenger_cancelled")
    told = session.scalars(select(OutboxMessage).where(OutboxMessage.kind.in_(kinds)))
    assert len(list(told)) == 2


def test_a_trip_that_follows_no_no_show_is_refused_with_a_message(
    client: FlaskClient, coordinator: Person, missed: Missed, make: Factory, session: Session
) -> None:
    """Posting "keep the return" for any other trip shows why on the day page (409)."""
    other = make.request(date=missed.day + dt.timedelta(days=1))
    session.commit()
    response = post_form(client, f"/coordinator/requests/{other.id}/keep-return",
                         token_page=f"/coordinator/?date={missed.day.isoformat()}")  # fmt: skip
    assert response.status_code == 409
    assert "This trip does not follow a no-show." in response.get_data(as_text=True)
