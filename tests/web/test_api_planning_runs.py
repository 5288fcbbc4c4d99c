"""Plan now through the API: 202 with the run to poll, its progress, then the draft; refusals
with JSON bodies; both operations in the OpenAPI document."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from rides.db import make_sessionmaker
from rides.planning import runs
from tests.factories import Factory


def test_a_run_is_queued_then_read_until_its_draft(
    session: Session, make: Factory, sign_in, engine: Engine
) -> None:
    """POST answers 202 and a Location; GET shows the run queued, then done with version 1."""
    day = make.small_day()
    coordinator = sign_in(make.coordinator())

    queued = coordinator.post(f"/days/{day.isoformat()}/planning-runs")

    assert queued.status_code == 202, queued.get_json()
    body = queued.get_json()
    assert queued.headers["Location"] == f"/api/v1/planning-runs/{body['id']}"
    assert (body["status"], body["phase"], body["date"]) == ("queued", "queued", day.isoformat())
    assert body["time_limit"] == 1.0 and body["plan_id"] is None
    assert coordinator.get(queued.headers["Location"]).get_json()["status"] == "queued"

    runs.execute_run(make_sessionmaker(engine), body["id"])
    done = coordinator.get(queued.headers["Location"])
    assert done.status_code == 200
    result = done.get_json()
    assert (result["status"], result["version"], result["served"], result["requests"]) == (
        "done", 1, 3, 3,
    )  # fmt: skip
    assert result["seconds_left"] is None and result["error"] is None
    assert coordinator.get(f"/plans/{result['plan_id']}").get_json()["status"] == "draft"


def test_refusals_have_json_bodies(session: Session, make: Factory, sign_in) -> None:
    """Unknown run 404, a driver 403, a second run of the day 409, a bad day 422, no token
    401: each with the error body."""
    coordinator = sign_in(make.coordinator())
    driver = sign_in(make.driver())
    first = coordinator.post("/days/2030-01-02/planning-runs").get_json()
    cases = [
        (coordinator.get(f"/planning-runs/{first['id'] + 99}"), 404, "not_found"),
        (driver.get(f"/planning-runs/{first['id']}"), 403, "forbidden"),
        (driver.post("/days/2030-01-03/planning-runs"), 403, "forbidden"),
        (coordinator.post("/days/2030-01-02/planning-runs"), 409, "planning_in_progress"),
        (coordinator.post("/days/tomorrow/planning-runs"), 422, "invalid"),
        (sign_in(None).get(f"/planning-runs/{first['id']}"), 401, None),
    ]
    for response, status, code in cases:
        assert response.status_code == status, (response.request.path, response.get_json())
        error = response.get_json()["error"]
        assert error["message"]
        if code:
            assert error["code"] == code


def test_the_openapi_document_describes_plan_now(client) -> None:
    """Both operations, with the 202 and the run's schema."""
    document = client.get("/api/v1/openapi.json").get_json()
    create = document["paths"]["/api/v1/days/{day}/planning-runs"]["post"]
    assert "202" in create["responses"]
    show = document["paths"]["/api/v1/planning-runs/{run_id}"]["get"]
    assert "PlanningRunOut" in str(show["responses"]["200"])
    assert "seconds_left" in document["components"]["schemas"]["PlanningRunOut"]["properties"]
