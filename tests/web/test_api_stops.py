"""Stops on the day through the JSON API (issue 14): marks only on the route's day, a no-show
that skips the drop-off, undo for ten minutes, all in the OpenAPI document."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from rides.models import Route
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.clocks import ServiceClock
from tests.factories import Factory, tomorrow


@pytest.fixture
def route(session: Session, make: Factory) -> Route:
    """Tomorrow's published route: one driver, one rider there and back."""
    make.shift(make.driver(first_name="Javier"), start_time=dt.time(7), end_time=dt.time(16))
    make.request(return_time=dt.time(13))
    plan = publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1.0)))
    (only,) = plan.routes
    return only


def test_marks_and_undo_through_the_api(route: Route, sign_in, service_clock: ServiceClock) -> None:
    """A day early: 409 not_route_day. On the day: done carries marked_at, marked_by_id and
    undo_until; undo makes the stop planned again; eleven minutes on, undo is 409."""
    driver = sign_in(route.driver)
    day = route.plan.date
    assert driver.post(f"/routes/{route.id}/accept").status_code == 200
    pickup_id = route.stops[0].id
    early = driver.post(f"/stops/{pickup_id}/done", json={})
    assert early.status_code == 409
    assert early.get_json()["error"]["code"] == "not_route_day"
    at = service_clock.at(day, 10)
    done = driver.post(f"/stops/{pickup_id}/done", json={"reason": "on time"})
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert (body["status"], body["note"], body["marked_by_id"]) == (
        "done",
        "on time",
        route.driver.id,
    )
    assert dt.datetime.fromisoformat(body["marked_at"]) == at
    assert dt.datetime.fromisoformat(body["undo_until"]) == at + dt.timedelta(minutes=10)
    undone = driver.post(f"/stops/{pickup_id}/undo")
    assert undone.status_code == 200
    assert (undone.get_json()["status"], undone.get_json()["marked_at"]) == ("planned", None)
    driver.post(f"/stops/{pickup_id}/done", json={})
    service_clock.advance(minutes=11)
    shown = driver.get(f"/routes/{route.id}").get_json()["stops"][0]
    assert shown["status"] == "done" and shown["undo_until"] is None
    late = driver.post(f"/stops/{pickup_id}/undo")
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "undo_expired"


def test_a_no_show_through_the_api_skips_the_drop_off(
    route: Route, sign_in, service_clock: ServiceClock
) -> None:
    """The no-show call is the confirmation; the route then shows the drop-off skipped, and
    undoing the pickup brings it back."""
    driver = sign_in(route.driver)
    driver.post(f"/routes/{route.id}/accept")
    service_clock.at(route.plan.date, 10)
    pickup = route.stops[0]
    response = driver.post(f"/stops/{pickup.id}/no-show", json={"reason": "not there"})
    assert response.status_code == 200 and response.get_json()["status"] == "no_show"
    stops = driver.get(f"/routes/{route.id}").get_json()["stops"]
    mine = {s["kind"]: s["status"] for s in stops if s["request_id"] == pickup.request_id}
    assert mine == {"pickup": "no_show", "dropoff": "skipped"}
    skipped = next(
        s for s in stops if s["request_id"] == pickup.request_id and s["kind"] == "dropoff"
    )
    refused = driver.post(f"/stops/{skipped['id']}/undo")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "not_undoable"
    assert driver.post(f"/stops/{pickup.id}/undo").status_code == 200
    stops = driver.get(f"/routes/{route.id}").get_json()["stops"]
    assert {s["status"] for s in stops} == {"planned"}


def test_the_openapi_document_describes_undo_and_skipped(app: Flask) -> None:
    """POST /stops/{stop_id}/undo is documented with its 409; a stop's status includes
    'skipped'; no-show says it is the confirmation."""
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    undo = spec["paths"]["/api/v1/stops/{stop_id}/undo"]["post"]
    assert "10 minutes" in undo["summary"] + undo.get("description", "")
    assert "409" in undo["responses"] and "undo_expired" in undo["responses"]["409"]["description"]
    no_show = spec["paths"]["/api/v1/stops/{stop_id}/no-show"]["post"]
    assert "confirmation" in no_show["summary"] + no_show.get("description", "")
    stop = spec["components"]["schemas"]["StopOut"]["properties"]
    assert "skipped" in stop["status"]["enum"]
    assert {"marked_at", "marked_by_id", "undo_until"} <= set(stop)
