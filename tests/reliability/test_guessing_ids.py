"""A driver who guesses ids sees nothing of other drivers' passengers (issue 8).

tests/web/test_api_day.py checks one guessed route and stop; this sweeps every id of a
generated, published day, and beyond, through every driver-facing read and write.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides.models import Route, Stop
from tests.reliability import seeding
from tests.web.conftest import Caller

#: Access rules are the same on every backend; SQLite keeps this sweep quick.
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_a_driver_guessing_every_id_sees_no_other_passenger(session: Session, sign_in) -> None:
    """Every route, stop, request, plan and person id of the day (and past its end) as one
    driver: their own route reads; everything else is 403 or 404, and no other driver's
    passenger's name appears in any answer."""
    day = seeding.published_day(session, requests=16, drivers=3, time_limit=0.5)
    routes = [r for r in day.plan.routes if r.stops]
    mine = routes[0]
    others = {s.request.rider.first_name for r in day.plan.routes if r is not mine for s in r.stops}
    others -= {s.request.rider.first_name for s in mine.stops}
    assert others, "the day needs passengers on another driver's route"
    driver: Caller = sign_in(mine.driver)
    highest = [session.scalar(select(func.max(m.id))) or 0 for m in (Stop, Route)]
    top = max(highest) + 5
    answers = []
    for n in range(1, top + 1):
        answers += [
            (n, driver.get(f"/routes/{n}")),
            (n, driver.post(f"/stops/{n}/no-show", json={})),
            (n, driver.post(f"/stops/{n}/done", json={})),
            (n, driver.get(f"/requests/{n}")),
            (n, driver.get(f"/plans/{n}")),
            (n, driver.get(f"/people/{n}")),
        ]
    own_stops = {s.id for s in mine.stops}
    for n, response in answers:
        text = response.get_data(as_text=True)
        assert not any(name in text for name in others), (n, response.request.path, text[:200])
        path = response.request.path
        if path == f"/api/v1/routes/{mine.id}":
            assert response.status_code == 200
        elif path.startswith("/api/v1/stops/") and n in own_stops:
            assert response.status_code == 409  # own stop: accept the route first
        else:
            assert response.status_code in (403, 404), (path, response.status_code)
