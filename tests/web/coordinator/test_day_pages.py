"""The coordinator's day through the test client: the day at a glance, plan and publish, the
map's data, phone bookings, keeping a request with a driver."""

from __future__ import annotations

import datetime as dt
import html
import re

from babel.dates import format_date
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from rides.db import make_sessionmaker
from rides.driving.availability import VehicleSpec, add_vehicle
from rides.models import (
    DayPlan,
    Person,
    PlanningRun,
    PlanStatus,
    RideRequest,
    Role,
    TimeKind,
)
from rides.planning import day_plans, runs
from tests.factories import Factory, tomorrow
from tests.web.coordinator.actions import (
    WHEELCHAIR_SENTENCE,
    newest_plan,
    page_text,
    post_form,
)


def test_day_page_shows_every_driver_row_and_each_unserved_request_with_its_reason(
    client: FlaskClient, coordinator: Person, day, session: Session
) -> None:
    """After planning, each driver of the day has a row, and the wheelchair trip nobody can
    take is listed with its rider and the sentence saying what to do."""
    newest_plan(session)
    page = page_text(client, f"/coordinator/?date={tomorrow().isoformat()}")
    for driver in day["drivers"]:
        assert f'id="driver-{driver.id}"' in page
    unserved = page[page.index('id="unserved-title"') : page.index('id="waiting-title"')]
    assert "Olena" in unserved
    assert WHEELCHAIR_SENTENCE in unserved
    assert 'data-reason="no_wheelchair_place"' in unserved
    assert "Amina" not in unserved


def test_the_planners_note_is_written_in_the_page_language(
    client: FlaskClient, coordinator: Person, day, session: Session
) -> None:
    """The planner's note under an unserved trip says the solver's figures in the reader's
    language (it was the solver's English sentence, shown on English pages only)."""
    newest_plan(session)
    path = f"/coordinator/?date={tomorrow().isoformat()}"
    english = page_text(client, path)
    assert "Planner's note: It needs 1 wheelchair place; no shift at that time has that many." in (
        english
    )
    coordinator.preferred_language = "es"
    session.commit()
    spanish = page_text(client, path)
    unserved = spanish[spanish.index('id="unserved-title"') : spanish.index('id="waiting-title"')]
    assert (
        "Nota del planificador: Necesita 1 plaza para silla de ruedas; ningún turno a esa hora "
        "tiene tantas."
    ) in unserved
    assert "no shift" not in unserved


def test_day_page_lists_waiting_requests_before_any_plan(
    client: FlaskClient, coordinator: Person, day
) -> None:
    """With no plan yet the page says so and every request of the day is in the queue."""
    page = page_text(client, "/coordinator/")
    assert "No plan for this day yet." in page
    waiting = page[page.index('id="waiting-title"') :]
    for name in ("Amina", "Ioana", "Olena"):
        assert name in waiting


def test_buttons_without_the_csrf_token_are_refused(
    client: FlaskClient, coordinator: Person, day, session: Session
) -> None:
    """A plan or release posted from elsewhere (no token) is refused and changes nothing."""
    request = session.scalars(select(RideRequest)).first()
    assert request is not None
    for path in (
        f"/coordinator/day/{tomorrow().isoformat()}/plan",
        f"/coordinator/requests/{request.id}/release",
    ):
        assert client.post(path).status_code == 400, path
    assert session.scalars(select(DayPlan)).all() == []


def test_plan_now_creates_a_draft_and_shows_it(
    client: FlaskClient, coordinator: Person, day, session: Session, engine: Engine
) -> None:
    """ "Plan now" queues a run; once a worker ran it, version 1 is a draft the day page shows
    with its figures (the progress pages are in test_plan_run_pages)."""
    response = post_form(client, f"/coordinator/day/{tomorrow().isoformat()}/plan")
    assert response.status_code == 303
    assert session.scalars(select(DayPlan)).all() == []
    (run,) = session.scalars(select(PlanningRun)).all()
    runs.execute_run(make_sessionmaker(engine), run.id)
    plan = session.scalars(select(DayPlan)).one()
    assert (plan.version, plan.status) == (1, PlanStatus.DRAFT)
    page = page_text(client, response.headers["Location"])
    assert "Version 1 is ready as a draft" in page
    assert "Publish version 1" in page


def test_publish_publishes_the_newest_draft(
    client: FlaskClient, coordinator: Person, day, session: Session
) -> None:
    """Publishing the shown draft makes it the day's plan; the publish button goes away."""
    plan = newest_plan(session)
    response = post_form(
        client, f"/coordinator/day/{tomorrow().isoformat()}/publish", {"plan_id": plan.id}
    )
    assert response.status_code == 303
    session.expire_all()
    assert session.get(DayPlan, plan.id).status == PlanStatus.PUBLISHED
    page = page_text(client, response.headers["Location"])
    assert "Version 1 is published" in page
    assert "Publish version" not in page


def test_publishing_a_stale_draft_shows_a_clear_message(
    client: FlaskClient, coordinator: Person, day, session: Session
) -> None:
    """A page left open on version 1 while version 2 was planned: publishing it is refused with
    a message naming what to do, and nothing is published."""
    old = newest_plan(session)
    newest_plan(session)
    response = post_form(
        client, f"/coordinator/day/{tomorrow().isoformat()}/publish", {"plan_id": old.id}
    )
    assert response.status_code == 409
    assert "A newer plan exists for" in html.unescape(response.get_data(as_text=True))
    session.expire_all()
    assert day_plans.published_plan(session, tomorrow()) is None


def test_publish_with_nothing_to_publish_says_so(
    client: FlaskClient, coordinator: Person, day
) -> None:
    """Without a draft the publish action answers with a message, not a crash."""
    response = post_form(client, f"/coordinator/day/{tomorrow().isoformat()}/publish")
    assert response.status_code == 409
    assert "There is no draft to publish." in response.get_data(as_text=True)


def test_a_day_that_is_not_a_date_is_not_found(client: FlaskClient, coordinator: Person) -> None:
    """/coordinator/day/<not a date>/map.json is a 404, and a bad date picker value a 400."""
    assert client.get("/coordinator/day/tomorrow/map.json").status_code == 404
    assert client.get("/coordinator/?date=31-02-2026").status_code == 400


def test_map_json_has_one_feature_per_route_with_valid_coordinates(
    client: FlaskClient, coordinator: Person, day, session: Session
) -> None:
    """One LineString per route of the newest plan, from the driver's start through each stop,
    [longitude, latitude] inside the province; one named Point per place used."""
    plan = newest_plan(session)
    data = client.get(f"/coordinator/day/{tomorrow().isoformat()}/map.json").get_json()
    routes = [f for f in data["features"] if f["properties"]["kind"] == "route"]
    assert len(routes) == len(plan.routes) >= 1
    for feature, route in zip(routes, plan.routes, strict=True):
        coordinates = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "LineString"
        assert len(coordinates) == len(route.stops) + 2
        for longitude, latitude in coordinates:
            assert -3.6 < longitude < -1.5 and 40.0 < latitude < 41.4
    names = {f["properties"]["name"] for f in data["features"] if f["geometry"]["type"] == "Point"}
    assert "Sigüenza" in names


def test_booking_on_behalf_creates_a_newcomer_and_a_request(
    client: FlaskClient, coordinator: Person, session: Session
) -> None:
    """A phoned booking with a new first name creates the newcomer (in their language) and
    the trip, booked by the coordinator, then shows the day."""
    response = post_form(
        client,
        "/coordinator/book",
        {
            "first_name": "Moussa",
            "preferred_language": "fr",
            "phone": "612 345 678",
            "origin": "Atienza",
            "destination": "Sigüenza",
            "date": tomorrow().isoformat(),
            "time_kind": "arrive_by",
            "time": "10:30",
            "adults": "1",
            "children": "1",
            "child_seats": "1",
            "purpose": "health",
            "return_time": "13:00",
        },
        token_page="/coordinator/book",
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    rider = session.scalars(select(Person).where(Person.first_name == "Moussa")).one()
    assert (rider.role, rider.preferred_language, rider.phone) == (
        Role.NEWCOMER, "fr", "+34612345678",
    )  # fmt: skip
    trips = session.scalars(select(RideRequest).where(RideRequest.rider_id == rider.id)).all()
    assert len(trips) == 2
    outward = next(t for t in trips if t.outward_id is None)
    assert outward.origin.name == "Atienza" and outward.destination.name == "Sigüenza"
    assert (outward.time, outward.time_kind, outward.child_seats) == (
        dt.time(10, 30), TimeKind.ARRIVE_BY, 1,
    )  # fmt: skip
    assert outward.booked_by_id == coordinator.id


def test_booking_with_bad_input_shows_the_field_messages_and_keeps_the_input(
    client: FlaskClient, coordinator: Person, session: Session
) -> None:
    """A past day and no adult: each message is under its field, what was typed stays, and no
    newcomer is left behind."""
    yesterday = (tomorrow() - dt.timedelta(days=2)).isoformat()
    response = post_form(
        client,
        "/coordinator/book",
        {
            "first_name": "Awa",
            "preferred_language": "fr",
            "origin": "Atienza",
            "destination": "Jadraque",
            "date": yesterday,
            "time_kind": "leave_after",
            "time": "09:15",
            "adults": "0",
            "children": "0",
            "child_seats": "0",
            "purpose": "shopping",
        },
        token_page="/coordinator/book",
    )
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    # The date as the page's language writes it ("Dec 2, 2026"), never ISO.
    shown = format_date(dt.date.fromisoformat(yesterday), "medium", locale="en")
    assert f"The date {shown} is in the past." in page
    assert "At least one adult travels." in page
    assert 'id="date-error"' in page and 'id="adults-error"' in page
    assert 'value="Awa"' in page and 'value="Atienza"' in page and 'value="09:15"' in page
    session.expire_all()
    assert session.scalars(select(Person).where(Person.first_name == "Awa")).first() is None


def test_an_unclear_place_offers_suggestions_and_a_pick_books(
    client: FlaskClient, coordinator: Person, session: Session, make: Factory
) -> None:
    """ "Molina" for an existing newcomer is not one place: the page offers the nearest names;
    picking one of them books the trip to that place."""
    rider = make.newcomer(first_name="Karim")
    session.commit()
    fields = {
        "rider_id": str(rider.id), "origin": "Atienza", "destination": "xqzv",
        "date": tomorrow().isoformat(), "time_kind": "arrive_by", "time": "10:00",
        "adults": "1", "children": "0", "child_seats": "0", "purpose": "administration",
    }  # fmt: skip
    unknown = post_form(client, "/coordinator/book", fields, token_page="/coordinator/book")
    assert unknown.status_code == 422
    assert "No place with a name like this." in unknown.get_data(as_text=True)
    fields["destination"] = "Alcolea"  # Alcolea de las Peñas, del Pinar, ...: a choice to make
    unclear = post_form(client, "/coordinator/book", fields, token_page="/coordinator/book")
    page = html.unescape(unclear.get_data(as_text=True))
    assert unclear.status_code == 422
    assert "Did you mean?" in page
    picks = re.findall(r'name="destination_pick" value="(\d+)"', page)
    assert picks
    fields["destination_pick"] = picks[0]
    booked = post_form(client, "/coordinator/book", fields, token_page="/coordinator/book")
    assert booked.status_code == 303
    trip = session.scalars(select(RideRequest).where(RideRequest.rider_id == rider.id)).one()
    assert trip.destination_id == int(picks[0])


def test_finding_a_newcomer_preselects_them(
    client: FlaskClient, coordinator: Person, session: Session, make: Factory
) -> None:
    """Searching by part of a phone number finds the newcomer; their link fills the form. The
    search is posted: the number is in no URL (GET with ``q`` no longer searches)."""
    rider = make.newcomer(first_name="Fatima", phone="699 111 222")
    session.commit()
    found = post_form(client, "/coordinator/book", {"find": "1", "q": "111222"},
                      token_page="/coordinator/book")  # fmt: skip
    page = html.unescape(found.get_data(as_text=True))
    assert found.status_code == 200 and "Book for Fatima" in page
    assert "111222" not in " ".join(re.findall(r'(?:href|action)="([^"]*)"', page))
    assert "Book for Fatima" not in page_text(client, "/coordinator/book?q=111222")
    page = page_text(client, f"/coordinator/book?rider={rider.id}")
    assert "Booking for Fatima" in page
    assert f'name="rider_id" type="hidden" value="{rider.id}"' in page


def test_keep_with_a_driver_then_release(
    client: FlaskClient, coordinator: Person, day, session: Session
) -> None:
    """ "Keep with this driver" pins the trip to the shift (flagging nothing before a
    publication); "Release" frees it again. The day page shows the pin."""
    trip, shift = day["ordinary"][0], day["shifts"][1]
    response = post_form(client, f"/coordinator/requests/{trip.id}/pin", {"shift_id": shift.id})
    assert response.status_code == 303
    session.expire_all()
    assert session.get(RideRequest, trip.id).pinned_shift_id == shift.id
    assert "Kept with Lucía" in page_text(client, response.headers["Location"])
    response = post_form(client, f"/coordinator/requests/{trip.id}/release")
    assert response.status_code == 303
    session.expire_all()
    assert session.get(RideRequest, trip.id).pinned_shift_id is None


def test_each_keep_with_choice_names_the_driver_and_the_car(
    client: FlaskClient, coordinator: Person, day, session: Session, make: Factory
) -> None:
    """Javier also drives his van in the evening: every "Keep with" choice names the driver,
    the car and its seats, so his two shifts are told apart; a kept trip names the car too,
    and the row's "Keep with this driver" button says which driver and car to screen readers."""
    javier = day["drivers"][0]
    van = add_vehicle(session, javier, VehicleSpec("Van", 7))
    evening = make.shift(javier, start_time=dt.time(16), end_time=dt.time(20), vehicle_id=van.id)
    session.commit()
    page = page_text(client, f"/coordinator/?date={tomorrow().isoformat()}")
    trip = day["ordinary"][0]
    select_start = page.index(f'id="pin-waiting-{trip.id}"')
    options = re.findall(r'<option value="(\d+)">([^<]*)</option>',
                         page[select_start : page.index("</select>", select_start)])  # fmt: skip
    assert options == [
        (str(day["shifts"][0].id), "Javier — Car, 4 seats · 07:00–15:00 (Sigüenza)"),
        (str(day["shifts"][1].id), "Lucía — Car, 4 seats · 07:00–15:00 (Sigüenza)"),
        (str(evening.id), "Javier — Van, 7 seats · 16:00–20:00 (Sigüenza)"),
    ]
    response = post_form(client, f"/coordinator/requests/{trip.id}/pin", {"shift_id": evening.id})
    assert response.status_code == 303
    assert "Kept with Javier — Van" in page_text(client, response.headers["Location"])
    newest_plan(session)
    page = page_text(client, f"/coordinator/?date={tomorrow().isoformat()}")
    buttons = re.findall(r'Keep with this driver<span class="visually-hidden">: ([^<]*)</span>',
                         page)  # fmt: skip
    assert buttons and all(re.fullmatch(r".+, (Javier|Lucía) — (Car|Van)", b) for b in buttons)


def test_keeping_with_a_shift_of_another_day_is_refused_with_a_message(
    client: FlaskClient, coordinator: Person, day, session: Session, make: Factory
) -> None:
    """A shift on another day cannot take the trip: the page says so and nothing changes."""
    trip = day["ordinary"][0]
    other = make.shift(day["drivers"][0], date=tomorrow() + dt.timedelta(days=1))
    session.commit()
    response = post_form(client, f"/coordinator/requests/{trip.id}/pin", {"shift_id": other.id})
    assert response.status_code == 409
    assert "That shift is on" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(RideRequest, trip.id).pinned_shift_id is None


def test_day_page_says_which_travel_times_planned_the_day(
    client: FlaskClient, coordinator: Person, day, session: Session
) -> None:
    """The figures name the source of the times every pickup was computed with."""
    newest_plan(session)
    page = page_text(client, f"/coordinator/?date={tomorrow().isoformat()}")
    figures = page[page.index('class="figures"') :]
    assert "Travel times" in figures
    assert "travel model (circuity" in figures


def test_request_lines_show_child_seats(
    client: FlaskClient, coordinator: Person, make: Factory, session: Session
) -> None:
    """A trip needing child seats says so on its line ("no child seats" is a common reason
    a trip has no car), with the wheelchair and the seats."""
    make.request(make.newcomer(first_name="Salma"), adults=1, children=2, child_seats=2)
    session.commit()
    page = page_text(client, "/coordinator/")
    line = page[page.index("Salma") :]
    line = line[: line.index("</li>")]
    assert "2 child seats" in line and "2 children" in line and "3 seats" in line
