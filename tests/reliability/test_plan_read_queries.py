"""Reading a day's plan costs a fixed number of statements, whatever its size (issue 8's load
figures: a 200-request day took about 470 statements, one per passenger, place and language)."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy.orm import Session

from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.factories import ATIENZA, GUADALAJARA, JADRAQUE, SIGUENZA, Factory, tomorrow
from tests.reliability.statements import statements

#: Token and caller; plan; routes; drivers; stops; places; requests; riders; languages;
#: unserved requests.
MAX_STATEMENTS = 12


def test_a_plan_is_read_in_a_fixed_number_of_statements(
    app: Flask, sign_in, session: Session, make: Factory
) -> None:
    """Two drivers and six trips from four villages: the whole plan, passengers' names and
    languages included, in at most 12 statements."""
    for driver in (make.driver(), make.driver()):
        make.shift(driver, start_time=dt.time(7), end_time=dt.time(15))
    for i, code in enumerate((ATIENZA, JADRAQUE, GUADALAJARA, ATIENZA, JADRAQUE, GUADALAJARA)):
        make.request(origin_id=make.place(code).id, destination_id=make.place(SIGUENZA).id,
                     time=dt.time(9 + i, 0))  # fmt: skip
    plan = publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=0.5)))
    caller = sign_in(make.coordinator())
    with statements(app) as sent:
        response = caller.get(f"/plans/{plan.id}")
    assert response.status_code == 200, response.json
    stops = [s for r in response.json["routes"] for s in r["stops"]]
    assert len(stops) >= 4
    assert all(s["passenger"]["first_name"] and s["passenger"]["languages"] for s in stops)
    assert len(sent) <= MAX_STATEMENTS, "\n".join(s.split("\n")[0][:90] for s in sent)
