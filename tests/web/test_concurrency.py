"""Real parallel requests on PostgreSQL: what only one caller may do, only one caller does."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from rides.accounts import issue_token
from rides.models import RideRequest
from rides.planning import PlanSettings, plan_day, publish_plan
from tests.factories import ATIENZA, SIGUENZA, Factory, tomorrow

#: Row-level concurrency is a property of the production database: PostgreSQL only.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("db_url", ["postgresql"], indirect=True),
]


@pytest.fixture
def live_url(app) -> Iterator[str]:
    """The app behind a real threaded HTTP server on a free loopback port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/api/v1"
    server.shutdown()
    thread.join(timeout=5)


def _post(url: str, token: str, body: dict) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_parallel_accepts_of_one_route_succeed_once(
    live_url: str, session: Session, make: Factory
) -> None:
    """20 simultaneous accepts of one route: exactly one 200, the others 409."""
    driver = make.driver()
    make.shift(driver)
    make.request()
    plan = publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1)))
    route_id = plan.routes[0].id
    token, _ = issue_token(session, driver)
    session.commit()
    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(
            pool.map(lambda _: _post(f"{live_url}/routes/{route_id}/accept", token, {}), range(20))
        )
    assert Counter(codes) == Counter({200: 1, 409: 19})


def test_parallel_identical_bookings_make_one_request(
    live_url: str, session: Session, make: Factory
) -> None:
    """The same trip booked 10 times at once (double taps, two coordinators): one row."""
    rider = make.newcomer()
    token, _ = issue_token(session, rider)
    session.commit()
    body = {
        "origin_id": make.place(ATIENZA).id,
        "destination_id": make.place(SIGUENZA).id,
        "date": tomorrow().isoformat(),
        "time": "10:30",
    }
    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(pool.map(lambda _: _post(f"{live_url}/requests", token, body), range(10)))
    assert Counter(codes) == Counter({201: 1, 409: 9})
    session.expire_all()
    count = session.scalar(
        select(func.count()).select_from(RideRequest).where(RideRequest.rider_id == rider.id)
    )
    assert count == 1
