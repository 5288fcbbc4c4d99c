"""Plan changes through the API: a same-day request fitted in and accepted by the driver, the
changes by hand, and a refused one with its reason (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from rides.planning.day_plans import PlanSettings, plan_day, publish_plan
from tests.factories import ATIENZA, JADRAQUE, SIGUENZA, Factory, tomorrow


@pytest.fixture
def day(session: Session, make: Factory):
    """One driver from Sigüenza with an accepted route of two trips, and a same-day request."""
    driver = make.driver()
    make.shift(driver, start_time=dt.time(7), end_time=dt.time(17))
    make.request(origin_id=make.place(ATIENZA).id, time=dt.time(10))
    make.request(origin_id=make.place(JADRAQUE).id, time=dt.time(10, 30))
    plan = publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1.0)))
    late = make.request(
        origin_id=make.place(SIGUENZA).id, destination_id=make.place(ATIENZA).id, time=dt.time(13)
    )
    session.commit()
    return driver, plan, late


def test_a_same_day_request_is_fitted_proposed_and_accepted_by_the_driver(
    make: Factory, sign_in, day
) -> None:
    """Coordinator: options for the late request, assign to the accepted route -> a proposal.
    Driver: sees the pending change with what changed, accepts -> a new published version
    with the rider on the route."""
    driver_person, plan, late = day
    coordinator = sign_in(make.coordinator())
    driver = sign_in(driver_person)
    route = plan.routes[0]
    assert driver.post(f"/routes/{route.id}/accept").status_code == 200
    options = coordinator.get(f"/requests/{late.id}/fits").get_json()
    assert [o["shift_id"] for o in options] == [route.shift_id]
    assert options[0]["accepted"] is True and options[0]["driver"]["id"] == driver_person.id
    made = coordinator.post(f"/requests/{late.id}/assign", json={"shift_id": route.shift_id})
    assert made.status_code == 200, made.get_json()
    proposal = made.get_json()["proposal"]
    assert made.get_json()["plan"] is None and proposal["summary"]["added"] == [late.id]
    pending = driver.get(f"/route-changes?date={tomorrow().isoformat()}").get_json()
    assert [c["id"] for c in pending] == [proposal["id"]]
    answered = driver.post(f"/route-changes/{proposal['id']}/accept")
    assert answered.status_code == 200, answered.get_json()
    new = answered.get_json()["plan"]
    assert new["version"] == plan.version + 1 and new["status"] == "published"
    [kept] = [r for r in new["routes"] if r["driver"]["id"] == driver_person.id]
    assert kept["status"] == "accepted" and late.id in {s["request_id"] for s in kept["stops"]}
    assert driver.get(f"/route-changes?date={tomorrow().isoformat()}").get_json() == []


def test_changes_by_hand_and_a_refusal_with_its_reason(make: Factory, sign_in, day) -> None:
    """Take a trip off an offered route (published at once), put it back, move its pickup
    outside its window (refused: 409 with the code and the field)."""
    _driver, plan, late = day
    coordinator = sign_in(make.coordinator())
    on_route = plan.routes[0].stops[0].request_id
    off = coordinator.post(f"/requests/{on_route}/take-off")
    assert off.status_code == 200, off.get_json()
    assert off.get_json()["plan"]["version"] == plan.version + 1
    assert on_route in {u["request_id"] for u in off.get_json()["plan"]["unserved"]}
    back = coordinator.post(
        f"/requests/{on_route}/assign", json={"shift_id": plan.routes[0].shift_id}
    )
    assert back.status_code == 200, back.get_json()
    refused = coordinator.post(f"/requests/{on_route}/retime", json={"pickup_at": "03:00"})
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "change_refused" and error["fields"] == {
        "pickup_at": "outside the window"
    }
    unknown = coordinator.post(f"/requests/{late.id}/assign", json={"shift_id": 999999})
    assert unknown.status_code == 409 and unknown.get_json()["error"]["fields"] == {
        "shift_id": "no room"
    }


def test_drivers_and_riders_cannot_change_plans(make: Factory, sign_in, day) -> None:
    """Plan changes are the coordinators' (403); another driver's change is not found (404)."""
    _driver, _plan, late = day
    rider = sign_in(make.newcomer())
    assert rider.get(f"/requests/{late.id}/fits").status_code == 403
    stranger = sign_in(make.driver())
    assert stranger.get("/route-changes/1").status_code == 404
    bad = sign_in(make.coordinator()).post(f"/requests/{late.id}/assign", json={"shift_id": "x"})
    assert bad.status_code == 422 and "shift_id" in bad.get_json()["error"]["fields"]
