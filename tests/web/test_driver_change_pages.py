"""A driver answers a change to a route they accepted, on their phone (issue 14)."""

from __future__ import annotations

import datetime as dt
import html

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from rides.driving.routes import accept_route
from rides.models import ChangeStatus, RouteChange
from rides.planning import plan_edits
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan, published_plan
from tests.factories import ATIENZA, SIGUENZA, Factory, tomorrow
from tests.web.pages import csrf_token, sign_in_page

PASSWORD = "a long driver password"


def test_the_driver_sees_what_changes_and_accepts_it(
    client: FlaskClient, session: Session, make: Factory
) -> None:
    """The routes page says a change waits; its page shows the new passenger marked New, with
    their needs and their note for the driver as the route sheet shows them; the driver accepts
    and the published plan has the passenger on their route."""
    javier = make.driver(first_name="Javier", email="javier@example.org", password=PASSWORD,
                         preferred_language="en")  # fmt: skip
    make.shift(javier, start_time=dt.time(7), end_time=dt.time(17))
    make.request(make.newcomer(first_name="Amina"), origin_id=make.place(ATIENZA).id)
    plan = publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1.0)))
    accept_route(session, javier, plan.routes[0].id)
    late = make.request(make.newcomer(first_name="Zahra"), origin_id=make.place(SIGUENZA).id,
                        destination_id=make.place(ATIENZA).id, time=dt.time(13), children=1,
                        driver_note="I have a pram")  # fmt: skip
    outcome = plan_edits.assign(session, make.coordinator(), late.id, plan.routes[0].shift_id or 0)
    assert outcome.proposal is not None
    change_id = outcome.proposal.id
    session.commit()
    assert sign_in_page(client, "javier@example.org", PASSWORD).status_code == 302
    home = html.unescape(
        client.get(f"/driver/?day={tomorrow().isoformat()}").get_data(as_text=True)
    )
    assert "waits for your answer" in home and f"/driver/changes/{change_id}" in home
    page = html.unescape(client.get(f"/driver/changes/{change_id}").get_data(as_text=True))
    assert "Zahra" in page and "New" in page and "Accept the change" in page
    assert "1 adult and 1 child" in page and "Note from Zahra:" in page and "I have a pram" in page
    assert page.count("Note from") == 1  # beside her pickup only; Amina wrote none
    token = csrf_token(client, f"/driver/changes/{change_id}")
    answer = client.post(f"/driver/changes/{change_id}/accept", data={"csrf_token": token})
    assert answer.status_code == 303
    session.expire_all()
    assert session.get(RouteChange, change_id).status == ChangeStatus.ACCEPTED
    current = published_plan(session, tomorrow())
    assert late.id in {s.request_id for r in current.routes for s in r.stops}


def test_another_driver_cannot_open_the_change(
    client: FlaskClient, session: Session, make: Factory
) -> None:
    """A change is its driver's only: another driver gets 404."""
    javier = make.driver()
    make.shift(javier, start_time=dt.time(7), end_time=dt.time(17))
    make.request(origin_id=make.place(ATIENZA).id)
    plan = publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1.0)))
    accept_route(session, javier, plan.routes[0].id)
    late = make.request(origin_id=make.place(SIGUENZA).id, destination_id=make.place(ATIENZA).id,
                        time=dt.time(13))  # fmt: skip
    outcome = plan_edits.assign(session, make.coordinator(), late.id, plan.routes[0].shift_id or 0)
    assert outcome.proposal is not None
    make.driver(email="other@example.org", password=PASSWORD)
    session.commit()
    sign_in_page(client, "other@example.org", PASSWORD)
    assert client.get(f"/driver/changes/{outcome.proposal.id}").status_code == 404
