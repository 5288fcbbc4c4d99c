"""What the coordinator page tests do and expect: read a page, post a form, the newest plan."""

from __future__ import annotations

import html

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from rides.models import (
    DayPlan,
)
from rides.planning import day_plans
from rides.planning.day_plans import PlanSettings
from tests.factories import tomorrow
from tests.web.pages import csrf_token

FAST = PlanSettings(time_limit=1.0)
PASSWORD = "coordinator password"
WHEELCHAIR_SENTENCE = (
    "No car with a wheelchair place is free that day: ask a driver with an adapted car."
)


def page_text(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def post_form(
    client: FlaskClient, path: str, data: dict | None = None, token_page: str | None = None
):
    token = csrf_token(client, token_page or "/coordinator/")
    return client.post(path, data={"csrf_token": token, **(data or {})})


def newest_plan(session: Session) -> DayPlan:
    plan = day_plans.plan_day(session, tomorrow(), FAST)
    session.commit()
    return plan
