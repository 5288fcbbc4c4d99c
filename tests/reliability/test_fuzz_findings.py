"""Server errors that ``python -m tests.reliability.fuzz`` found, each now a clear 4xx (issue 8)."""

from __future__ import annotations

from tests.factories import SIGUENZA, Factory, tomorrow


def test_planning_a_day_with_nothing_in_it_is_a_conflict(sign_in, make: Factory) -> None:
    """No open request and no shift on the day: 409 nothing_to_plan, not a solver crash (500)."""
    caller = sign_in(make.coordinator())
    response = caller.post("/plans", json={"date": tomorrow().isoformat()})
    assert response.status_code == 409, response.json
    assert response.json["error"]["code"] == "nothing_to_plan"


def test_a_person_without_a_role_is_refused(sign_in, make: Factory) -> None:
    """POST /people must name the role (it was read unchecked: 500)."""
    caller = sign_in(make.coordinator())
    response = caller.post("/people", json={"first_name": "Amina"})
    assert response.status_code == 422, response.json
    assert "role" in response.json["error"]["fields"]


def test_a_stop_without_a_kind_is_refused(sign_in, make: Factory) -> None:
    """POST /places must name the kind of stop (it was read unchecked: 500)."""
    caller = sign_in(make.coordinator())
    body = {
        "name": "Centro de salud",
        "municipality_id": make.place(SIGUENZA).id,
        "latitude": 41.07,
        "longitude": -2.64,
    }
    response = caller.post("/places", json=body)
    assert response.status_code == 422, response.json
    assert "kind" in response.json["error"]["fields"]


def test_an_id_too_large_for_the_database_is_not_found(sign_in, make: Factory) -> None:
    """A path id over 2**31 - 1 matched the route and overflowed PostgreSQL's INTEGER (500):
    now it matches no route (404), on every backend, and the OpenAPI document says so."""
    caller = sign_in(make.coordinator())
    for path in ("/requests/2147483648", "/people/142812384685703915634688/export"):
        response = caller.get(path)
        assert response.status_code == 404, (path, response.json)
    assert caller.get("/requests/2147483647").status_code == 404  # in range, no such request
    spec = caller.get("/openapi.json").json
    [param] = spec["paths"]["/api/v1/requests/{request_id}"]["parameters"]
    assert param["schema"]["maximum"] == 2**31 - 1
