"""A whole day through the API: book, give shifts, plan, publish, accept, read, cancel."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from tests.factories import ATIENZA, JADRAQUE, SIGUENZA, Factory, tomorrow


def test_the_day_of_a_ride(session: Session, make: Factory, sign_in) -> None:
    """Newcomer books; driver adds car and shift; coordinator plans and publishes;
    driver accepts; newcomer reads the pickup time and meeting point; newcomer cancels.
    (One journey on purpose: each call needs what the previous one returned.)
    """
    atienza, siguenza = make.place(ATIENZA), make.place(SIGUENZA)
    siguenza.meeting_point = "in front of the town hall"
    newcomer = sign_in(make.newcomer(preferred_language="ar"))
    driver = sign_in(make.driver(seats=3))
    coordinator = sign_in(make.coordinator())
    day = tomorrow().isoformat()

    booked = newcomer.post(
        "/requests",
        json={
            "origin_id": siguenza.id,
            "destination_id": atienza.id,
            "date": day,
            "time": "10:30",
            "time_kind": "arrive_by",
            "purpose": "health",
            "return_time": "13:00",
        },
    )
    assert booked.status_code == 201, booked.get_json()
    outward_id = booked.get_json()[0]["id"]
    assert [r["status"] for r in booked.get_json()] == ["requested", "requested"]

    vehicles = driver.get("/vehicles").get_json()
    shift = driver.post(
        "/shifts",
        json={
            "date": day,
            "start_time": "07:30",
            "end_time": "15:00",
            "start_place_id": siguenza.id,
            "vehicle_id": vehicles[0]["id"],
        },
    )
    assert shift.status_code == 201, shift.get_json()

    plan = coordinator.post("/plans", json={"date": day, "time_limit": 1})
    assert plan.status_code == 201, plan.get_json()
    assert plan.get_json()["served_count"] == 2 and plan.get_json()["unserved"] == []
    published = coordinator.post(f"/plans/{plan.get_json()['id']}/publish")
    assert published.get_json()["status"] == "published"

    routes = driver.get(f"/routes?date={day}").get_json()
    assert len(routes) == 1 and routes[0]["status"] == "offered"
    passenger = routes[0]["stops"][0]["passenger"]
    assert set(passenger) == {
        "first_name",
        "seats",
        "children",
        "child_seats",
        "wheelchair",
        "languages",
        "driver_note",  # what the rider wrote for the driver (docs/privacy.md)
    }
    accepted = driver.post(f"/routes/{routes[0]['id']}/accept")
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"

    mine = newcomer.get(f"/requests/{outward_id}").get_json()
    assert mine["status"] == "scheduled" and mine["confirmed_pickup_at"]
    assert mine["origin"]["meeting_point"] == "in front of the town hall"

    cancelled = newcomer.post(f"/requests/{outward_id}/cancel", json={"reason": "feeling better"})
    assert [r["status"] for r in cancelled.get_json()] == ["cancelled", "cancelled"]
    left = driver.get(f"/routes?date={day}").get_json()[0]["stops"]
    assert left == []


def test_coordinator_books_for_a_newcomer_by_phone(
    session: Session, make: Factory, sign_in
) -> None:
    """A coordinator creates an account with only a first name and books a weekly course."""
    coordinator = sign_in(make.coordinator())
    person = coordinator.post(
        "/people", json={"role": "newcomer", "first_name": "Amina", "preferred_language": "ar"}
    )
    assert person.status_code == 201, person.get_json()
    rider_id = person.get_json()["id"]
    booked = coordinator.post(
        "/requests",
        json={
            "rider_id": rider_id,
            "origin_id": make.place(JADRAQUE).id,
            "destination_id": make.place(SIGUENZA).id,
            "date": tomorrow().isoformat(),
            "time": "09:00",
            "purpose": "training_work",
            "weekly_until": (tomorrow() + dt.timedelta(days=14)).isoformat(),
        },
    )
    assert booked.status_code == 201, booked.get_json()
    assert len(booked.get_json()) == 3
    listed = coordinator.get(f"/requests?rider_id={rider_id}").get_json()
    assert len(listed) == 3


def test_place_search_forgives_accents_and_typos(make: Factory, sign_in) -> None:
    """A newcomer typing 'siguenza' finds Sigüenza first."""
    newcomer = sign_in(make.newcomer())
    found = newcomer.get("/places?q=siguenza").get_json()
    assert found[0]["place"]["name"] == "Sigüenza"


def test_sign_in_with_password_and_out(make: Factory, client, session: Session) -> None:
    """E-mail and password give a token; it works until revoked; bad passwords get 401."""
    make.driver(email="luis@example.org", password="a long secret")
    session.commit()
    bad = client.post("/api/v1/tokens", json={"email": "luis@example.org", "password": "nope"})
    assert bad.status_code == 401 and bad.get_json()["error"]["code"] == "bad_credentials"
    unknown = client.post("/api/v1/tokens", json={"email": "who@example.org", "password": "x"})
    assert unknown.get_json() == bad.get_json()
    good = client.post(
        "/api/v1/tokens", json={"email": "LUIS@example.org", "password": "a long secret"}
    )
    assert good.status_code == 201
    headers = {"Authorization": f"Bearer {good.get_json()['token']}"}
    assert client.get("/api/v1/me", headers=headers).get_json()["email"] == "luis@example.org"
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_validation_errors_name_the_field(make: Factory, sign_in) -> None:
    """Unknown fields, wrong types and domain rules are all 422 with the field named."""
    newcomer = sign_in(make.newcomer())
    unknown = newcomer.post(
        "/requests",
        json={
            "origin_id": 1,
            "destination_id": 2,
            "date": tomorrow().isoformat(),
            "time": "10:00",
            "nationality": "x",
        },
    )
    assert unknown.status_code == 422
    assert unknown.get_json()["error"]["fields"]["nationality"] == "Unknown field."
    wrong = newcomer.post(
        "/requests",
        json={"origin_id": "one", "destination_id": 2, "date": "tomorrow", "time": "10:00"},
    )
    assert set(wrong.get_json()["error"]["fields"]) == {"origin_id", "date"}
    place = make.place(SIGUENZA).id
    same = newcomer.post(
        "/requests",
        json={
            "origin_id": place,
            "destination_id": place,
            "date": tomorrow().isoformat(),
            "time": "10:00",
        },
    )
    assert same.status_code == 422
    assert same.get_json()["error"] == {
        "code": "same_place",
        "message": same.get_json()["error"]["message"],
        "fields": {"destination_id": "The destination is the same as the origin."},
    }


def test_a_newcomer_never_sees_another_riders_request(make: Factory, sign_in) -> None:
    """Reading or cancelling someone else's request is 404, and lists show only one's own."""
    other = make.request()
    newcomer = sign_in(make.newcomer())
    assert newcomer.get(f"/requests/{other.id}").status_code == 404
    assert newcomer.post(f"/requests/{other.id}/cancel", json={}).status_code == 404
    assert newcomer.get(f"/requests?rider_id={other.rider_id}").get_json() == []


def test_a_driver_cannot_read_another_drivers_route(
    session: Session, make: Factory, sign_in
) -> None:
    """Guessing the id of another driver's route or stop gives 404 and no passenger data."""
    from rides.planning.day_plans import PlanSettings, plan_day, publish_plan

    owner = make.driver()
    make.shift(owner)
    make.request()
    plan = publish_plan(session, plan_day(session, tomorrow(), PlanSettings(time_limit=1)))
    route = plan.routes[0]
    intruder = sign_in(make.driver())
    for response in (
        intruder.get(f"/routes/{route.id}"),
        intruder.post(f"/routes/{route.id}/accept"),
        intruder.post(f"/stops/{route.stops[0].id}/no-show", json={}),
    ):
        assert response.status_code == 404
        assert "first_name" not in response.get_data(as_text=True)
    assert intruder.get(f"/routes?date={tomorrow().isoformat()}").get_json() == []


def test_coordinator_exports_and_erases_a_person(make: Factory, sign_in) -> None:
    """Export gives the person's trips; erase removes the name but keeps the trip."""
    rider = make.newcomer(first_name="Ioana")
    request = make.request(rider)
    coordinator = sign_in(make.coordinator())
    exported = coordinator.get(f"/people/{rider.id}/export").get_json()
    assert exported["person"]["first_name"] == "Ioana"
    assert [r["id"] for r in exported["ride_requests"]] == [request.id]
    erased = coordinator.post(f"/people/{rider.id}/erase").get_json()
    assert erased["first_name"] == "—" and erased["email"] is None
    assert coordinator.get(f"/requests/{request.id}").status_code == 200


def test_cancel_one_way_through_the_api(make: Factory, sign_in) -> None:
    """``legs``: "back" cancels only the way back, "going" only the way there; a trip without
    a way back, or an unknown value, is refused (422) naming the field, and nothing changes."""
    siguenza, atienza = make.place(SIGUENZA), make.place(ATIENZA)
    newcomer = sign_in(make.newcomer())
    trip = {"origin_id": siguenza.id, "destination_id": atienza.id, "time": "10:30",
            "date": tomorrow().isoformat(), "time_kind": "arrive_by"}  # fmt: skip
    both = newcomer.post("/requests", json={**trip, "return_time": "13:00"}).get_json()
    alone = newcomer.post("/requests", json={**trip, "time": "16:00"}).get_json()
    unknown = newcomer.post(f"/requests/{both[0]['id']}/cancel", json={"legs": "sideways"})
    assert unknown.status_code == 422 and "legs" in unknown.get_json()["error"]["fields"]
    no_back = newcomer.post(f"/requests/{alone[0]['id']}/cancel", json={"legs": "back"})
    assert no_back.status_code == 422
    assert no_back.get_json()["error"]["fields"] == {"legs": "This trip has no way back."}
    back = newcomer.post(f"/requests/{both[0]['id']}/cancel", json={"legs": "back"}).get_json()
    assert [(r["id"], r["status"]) for r in back] == [(both[1]["id"], "cancelled")]
    assert newcomer.get(f"/requests/{both[0]['id']}").get_json()["status"] == "requested"
    assert newcomer.get(f"/requests/{alone[0]['id']}").get_json()["status"] == "requested"
