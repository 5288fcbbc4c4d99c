"""A plan's unserved requests through the API carry the figures behind their reason (the ones
the planner's note on the coordinator's day is written from), as a documented object."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy.orm import Session

from rides.models import DayPlan
from rides.planning.versions import UNSERVED_PARAMS
from tests.factories import Factory, tomorrow


def test_an_unserved_request_comes_with_its_figures(
    session: Session, make: Factory, sign_in
) -> None:
    """No car with a wheelchair place: the reason, its English detail as before, and the
    figures (one wheelchair place needed); a served day has none to show."""
    make.shift(make.driver())
    left_out = make.request(make.newcomer(), wheelchair=True, time=dt.time(10))
    coordinator = sign_in(make.coordinator())

    created = coordinator.post("/plans", json={"date": tomorrow().isoformat(), "time_limit": 1})
    assert created.status_code == 201, created.get_json()
    shown = coordinator.get(f"/plans/{created.get_json()['id']}")
    for plan in (created.get_json(), shown.get_json()):
        (unserved,) = plan["unserved"]
        assert unserved["request_id"] == left_out.id
        assert unserved["reason"] == "no_wheelchair_place" and unserved["detail"]
        assert unserved["params"] == {"amount": 1, "dimension": "wheelchair_places"}


def test_figures_not_kept_are_an_empty_object(session: Session, make: Factory, sign_in) -> None:
    """A plan stored before the figures were kept (none in its figures): ``params`` is ``{}``,
    never missing, so a client can always read it."""
    make.shift(make.driver())
    make.request(make.newcomer(), wheelchair=True, time=dt.time(10))
    coordinator = sign_in(make.coordinator())
    created = coordinator.post("/plans", json={"date": tomorrow().isoformat(), "time_limit": 1})
    plan = session.get(DayPlan, created.get_json()["id"])
    assert plan is not None
    plan.figures = {k: v for k, v in plan.figures.items() if k != UNSERVED_PARAMS}
    session.commit()
    (unserved,) = coordinator.get(f"/plans/{plan.id}").get_json()["unserved"]
    assert unserved["reason"] == "no_wheelchair_place" and unserved["params"] == {}


def test_the_openapi_document_describes_the_figures(app: Flask) -> None:
    """``params`` is a nested object whose properties each say for which reason they come."""
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    unserved = schemas["UnservedOut"]["properties"]
    assert {"request_id", "reason", "detail", "params"} <= set(unserved)
    assert "UnservedParamsOut" in str(unserved["params"])
    figures = schemas["UnservedParamsOut"]["properties"]
    assert {"direct_s", "ride_limit_s", "amount", "dimension", "partner", "partner_reason"} <= set(
        figures
    )
    assert figures["dimension"]["enum"] == ["seats", "child_seats", "wheelchair_places"]
    assert all(field.get("description") for field in figures.values())
