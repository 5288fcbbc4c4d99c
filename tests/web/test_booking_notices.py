"""The notice a booking gets on the spot, on the newcomer's page and in the API response."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from rides import clock
from tests.clocks import ServiceClock
from tests.factories import ATIENZA, SIGUENZA, Factory
from tests.web.pages import csrf_token, sign_in_page

PASSWORD = "a long newcomer password"
DAY = dt.date(2026, 12, 4)


def _page_booking(client: FlaskClient, day: dt.date, time: str) -> str:
    """Book Atienza to Sigüenza on the page; the My rides page it leads to."""
    response = client.post("/newcomer/book", data={
        "csrf_token": csrf_token(client, "/newcomer/book"), "origin": "Atienza",
        "destination": "Sigüenza", "date": day.isoformat(), "time_kind": "arrive_by",
        "time": time, "adults": "1", "children": "0", "child_seats": "0", "purpose": "health",
    })  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get("/newcomer/").get_data(as_text=True)


def test_a_same_day_booking_is_told_what_happens_next_on_the_page(
    client: FlaskClient, session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """09:00 for 18:00 the same day (issue 14, point 4): not "we will tell you the pickup
    time", but that a coordinator tries to fit it in and answers by 11:00 (the rider's
    language: English here)."""
    make.newcomer(email="amina@example.org", password=PASSWORD, preferred_language="en")
    session.commit()
    service_clock.set(clock.local_datetime(DAY, dt.time(9)))
    assert sign_in_page(client, "amina@example.org", PASSWORD).status_code == 302
    html = _page_booking(client, DAY, "18:00")
    assert "We will tell you the pickup time" not in html
    assert "Your request is for today" in html and "by 11:00" in html


def test_an_on_time_booking_says_when_the_pickup_time_comes(
    client: FlaskClient, session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    make.newcomer(email="amina@example.org", password=PASSWORD, preferred_language="es")
    session.commit()
    service_clock.set(clock.local_datetime(DAY - dt.timedelta(days=1), dt.time(12)))
    assert sign_in_page(client, "amina@example.org", PASSWORD).status_code == 302
    html = _page_booking(client, DAY, "10:30")
    assert "18:00" in html and "Your ride is booked" not in html  # in Spanish


def test_the_api_booking_carries_its_notice_and_documents_it(
    app: Flask, sign_in, make: Factory, service_clock: ServiceClock
) -> None:
    """After the evening's planning: ``late`` with its answer time; the weekly repetition a
    week later is on time; the OpenAPI document describes the field."""
    rider = make.newcomer(preferred_language="en")
    caller = sign_in(rider)
    service_clock.set(clock.local_datetime(DAY - dt.timedelta(days=1), dt.time(19, 15)))
    body = {
        "origin_id": make.place(ATIENZA).id, "destination_id": make.place(SIGUENZA).id,
        "date": DAY.isoformat(), "time": "10:30",
        "weekly_until": (DAY + dt.timedelta(weeks=1)).isoformat(),
    }  # fmt: skip
    response = caller.post("/requests", json=body)
    assert response.status_code == 201, response.get_json()
    first, second = response.get_json()
    assert first["notice"]["code"] == "late"
    assert "by 21:15" in first["notice"]["text"]
    answer_by = dt.datetime.fromisoformat(first["notice"]["answer_by"])
    assert answer_by == clock.local_datetime(DAY - dt.timedelta(days=1), dt.time(21, 15))
    assert second["notice"]["code"] == "booked" and second["notice"]["answer_by"] is None
    assert caller.get(f"/requests/{first['id']}").get_json().get("notice") is None
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    notice = spec["components"]["schemas"]["BookingNoticeOut"]
    assert set(notice["properties"]) == {"code", "text", "answer_by"}
    post = spec["paths"]["/api/v1/requests"]["post"]
    assert "notice" in post["description"]


def test_my_rides_keeps_saying_what_happens_to_a_late_trip(
    client: FlaskClient, session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """The notice flashes once, on booking; coming back to "My rides" later that evening, the
    late trip's card still says a coordinator answers by 21:15, in the rider's language, not
    only "Waiting for a car". The next day the card says no more than its status."""
    make.newcomer(email="amina@example.org", password=PASSWORD, preferred_language="fr")
    session.commit()
    service_clock.set(clock.local_datetime(DAY - dt.timedelta(days=1), dt.time(19, 15)))
    assert sign_in_page(client, "amina@example.org", PASSWORD).status_code == 302
    _page_booking(client, DAY, "10:30")
    service_clock.set(clock.local_datetime(DAY - dt.timedelta(days=1), dt.time(20, 40)))
    html = client.get("/newcomer/").get_data(as_text=True)
    assert html.count('class="hint waiting-notice"') == 1
    card = html.split('class="hint waiting-notice">')[1].split("</p>")[0]
    assert "21:15" in card and "18:00" in card
    assert "coordinat" in card.lower() and "Your request came" not in card  # French
    service_clock.set(clock.local_datetime(DAY, dt.time(8)))
    html = client.get("/newcomer/").get_data(as_text=True)
    assert "waiting-notice" not in html
