"""The booking allowance holds across tokens and pages: it counts the person, not the credential.

Also: one booking may create at most 26 trips, through the API as on the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides.models import RideRequest
from tests.factories import ATIENZA, SIGUENZA, Factory, tomorrow
from tests.web.pages import csrf_token, sign_in_page

PASSWORD = "a long newcomer password"


def _series(make: Factory, hour: int, weeks: int = 12, back: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "origin_id": make.place(ATIENZA).id,
        "destination_id": make.place(SIGUENZA).id,
        "date": tomorrow().isoformat(),
        "time": f"{hour:02}:00",
        "weekly_until": (tomorrow() + dt.timedelta(weeks=weeks)).isoformat(),
    }
    if back:
        body["return_time"] = f"{hour:02}:30"
    return body


def _count(session: Session, rider_id: int) -> int:
    session.expire_all()
    query = select(func.count(RideRequest.id)).where(RideRequest.rider_id == rider_id)
    return int(session.scalar(query) or 0)


def test_two_tokens_and_the_page_share_one_allowance(
    client: FlaskClient, session: Session, make: Factory, sign_in
) -> None:
    """Token A books 26 trips, token B 26 more; the page may still book a single ride but
    not a 13-trip series (the page says why); token A is then refused with 429 naming the
    limit. 54 trips in all."""
    rider = make.newcomer(email="amina@example.org", password=PASSWORD, preferred_language="en")
    token_a, token_b = sign_in(rider), sign_in(rider)
    assert token_a.post("/requests", json=_series(make, 8)).status_code == 201
    assert token_b.post("/requests", json=_series(make, 10)).status_code == 201
    assert _count(session, rider.id) == 52

    page = FlaskClient(client.application, use_cookies=True)
    assert sign_in_page(page, "amina@example.org", PASSWORD).status_code == 302
    form = {
        "csrf_token": csrf_token(page, "/newcomer/book"),
        "origin": "Atienza",
        "destination": "Sigüenza",
        "date": tomorrow().isoformat(),
        "time_kind": "arrive_by",
        "time": "12:00",
        "adults": "1",
        "children": "0",
        "child_seats": "0",
        "purpose": "health",
        "weekly": "y",
        "weekly_until": (tomorrow() + dt.timedelta(weeks=12)).isoformat(),
    }
    refused = page.post("/newcomer/book", data=form)
    assert refused.status_code == 400
    assert "at most 60 a day" in refused.get_data(as_text=True)
    assert _count(session, rider.id) == 52
    single = {k: v for k, v in form.items() if not k.startswith("weekly")}
    single |= {"and_back": "y", "return_time": "13:00"}
    assert page.post("/newcomer/book", data=single).status_code == 302
    assert _count(session, rider.id) == 54

    again = token_a.post("/requests", json=_series(make, 14, back=False))
    assert again.status_code == 429, again.get_json()
    error = again.get_json()["error"]
    assert error["code"] == "too_many_requests" and "at most 60 a day" in error["message"]
    assert _count(session, rider.id) == 54


def test_one_booking_makes_at_most_26_trips(make: Factory, sign_in) -> None:
    """A year of weeks with returns (106 trips) is refused with 422 naming weekly_until;
    13 weeks with returns is 26 trips."""
    caller = sign_in(make.newcomer())
    year = caller.post("/requests", json=_series(make, 8, weeks=52))
    assert year.status_code == 422
    error = year.get_json()["error"]
    assert error["code"] == "too_many_trips" and "weekly_until" in error["fields"]
    assert "At most 13 weeks" in error["fields"]["weekly_until"]
    quarter = caller.post("/requests", json=_series(make, 8, weeks=12))
    assert quarter.status_code == 201 and len(quarter.get_json()) == 26
