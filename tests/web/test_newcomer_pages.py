"""Newcomers' pages: My rides, booking on one page (with and without place search), cancelling."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides import clock
from rides.models import Person, Purpose, RequestStatus, RideRequest, TimeKind
from rides.places.directory import set_meeting_point
from tests.factories import ATIENZA, SIGUENZA, Factory, tomorrow
from tests.web.pages import csrf_token, sign_in_page

PASSWORD = "a long newcomer password"


@pytest.fixture
def amina(make: Factory, session: Session) -> Person:
    """A newcomer with an account, committed so the app sees her."""
    person = make.newcomer(first_name="Amina", email="amina@example.org", password=PASSWORD,
                           preferred_language="en")  # fmt: skip
    session.commit()
    return person


@pytest.fixture
def browser(client: FlaskClient, amina: Person) -> FlaskClient:
    """The test client signed in as Amina."""
    assert sign_in_page(client, "amina@example.org", PASSWORD).status_code == 302
    return client


def form(client: FlaskClient, **overrides: Any) -> dict[str, Any]:
    """A valid booking form for tomorrow, Atienza to Sigüenza, with the page's CSRF token."""
    data: dict[str, Any] = {
        "csrf_token": csrf_token(client, "/newcomer/book"),
        "origin": "Atienza",
        "destination": "Sigüenza",
        "date": tomorrow().isoformat(),
        "time_kind": "arrive_by",
        "time": "10:30",
        "adults": "1",
        "children": "0",
        "child_seats": "0",
        "purpose": "health",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def requests_of(session: Session, person: Person) -> list[RideRequest]:
    session.expire_all()
    query = select(RideRequest).where(RideRequest.rider_id == person.id)
    return list(session.scalars(query.order_by(RideRequest.date, RideRequest.time)))


def field_error(html: str, name: str) -> str:
    """The error text shown under a form field (empty when there is none)."""
    match = re.search(rf'<p class="error" id="{name}-error" role="alert">([^<]*)</p>', html)
    return match.group(1) if match else ""


def test_my_rides_page_needs_a_newcomer(client: FlaskClient) -> None:
    """A visitor is sent to the sign-in page."""
    response = client.get("/newcomer/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_sign_in_lands_on_my_rides(client: FlaskClient, amina: Person) -> None:
    """Signing in as a newcomer opens My rides, with the booking button."""
    response = sign_in_page(client, "amina@example.org", PASSWORD)
    assert response.headers["Location"].endswith("/newcomer/")
    html = client.get("/newcomer/").get_data(as_text=True)
    assert "<h1>My rides</h1>" in html and 'href="/newcomer/book"' in html
    assert "You have no trips booked." in html


def test_booking_with_return_and_weekly_series(
    browser: FlaskClient, amina: Person, session: Session, make: Factory, service_clock
) -> None:
    """A ride there and back every week for three weeks: six trips, one series, My rides
    shows the outward trip with its way back and the flash message (booked at 10:00, before
    the cut-off: a later hour gets the late-booking notice instead)."""
    service_clock.at(clock.today(), 10)
    until = tomorrow() + dt.timedelta(weeks=2)
    response = browser.post("/newcomer/book", data=form(
        browser, and_back="y", return_time="13:00", weekly="y", weekly_until=until.isoformat(),
        purpose="training_work", children="1", child_seats="1", wheelchair="y",
    ))  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/newcomer/")
    trips = requests_of(session, amina)
    assert len(trips) == 6
    outward = [t for t in trips if t.outward_id is None]
    assert [t.date for t in outward] == [tomorrow() + dt.timedelta(weeks=k) for k in range(3)]
    assert {t.series_id for t in trips} == {outward[0].series_id} and outward[0].series_id
    first = outward[0]
    assert first.origin_id == make.place(ATIENZA).id
    assert first.destination_id == make.place(SIGUENZA).id
    assert (first.time, first.time_kind) == (dt.time(10, 30), TimeKind.ARRIVE_BY)
    assert (first.children, first.child_seats, first.wheelchair) == (1, 1, True)
    assert first.purpose == Purpose.TRAINING_WORK
    back = first.return_trip
    assert back is not None and back.time == dt.time(13, 0)
    assert back.origin_id == first.destination_id and back.time_kind == TimeKind.LEAVE_AFTER
    html = browser.get("/newcomer/").get_data(as_text=True)
    assert "Your ride is booked." in html
    assert html.count('class="trip"') == 3
    assert "Coming back" in html and "Leave after 13:00" in html and "Arrive by 10:30" in html
    assert "every week" in html


def test_booking_without_javascript_resolves_a_misspelled_place(
    browser: FlaskClient, amina: Person, session: Session, make: Factory
) -> None:
    """Typed lower case without the accent, "siguenza" is Sigüenza: the ride is booked."""
    response = browser.post("/newcomer/book", data=form(browser, destination="siguenza"))
    assert response.status_code == 302
    (trip,) = requests_of(session, amina)
    assert trip.destination_id == make.place(SIGUENZA).id


def test_unclear_place_offers_names_to_choose_then_books_the_chosen_one(
    browser: FlaskClient, amina: Person, session: Session
) -> None:
    """ "cas" could be several villages: the form comes back with "did you mean" choices
    (radio buttons) and the typed text; choosing one books the ride to that village."""
    response = browser.post("/newcomer/book", data=form(browser, destination="cas"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Which place do you mean?" in field_error(html, "destination")
    assert "Did you mean:" in html and 'name="destination_choice" value="El Casar"' in html
    assert 'id="destination"' in html and 'value="cas"' in html
    assert requests_of(session, amina) == []
    response = browser.post(
        "/newcomer/book", data=form(browser, destination="cas", destination_choice="El Casar")
    )
    assert response.status_code == 302
    (trip,) = requests_of(session, amina)
    assert trip.destination.name == "El Casar"


BAD_INPUT = [
    pytest.param({"origin": ""}, "origin", "Write the name of the village", id="no-origin"),
    pytest.param({"origin": "Qwxyzzy"}, "origin", "We do not know", id="unknown-place"),
    pytest.param({"destination": "Atienza"}, "destination", "same as the origin", id="same-place"),
    pytest.param({"date": "2020-01-01"}, "date", "is in the past", id="past-date"),
    pytest.param({"date": "31/02/2030"}, "date", "Choose a day.", id="not-a-date"),
    pytest.param({"time": ""}, "time", "Write a time", id="no-time"),
    pytest.param({"adults": "two"}, "adults", "Write a number", id="adults-not-a-number"),
    pytest.param({"adults": "0"}, "adults", "At least one adult travels.", id="no-adult"),
    pytest.param({"children": "1", "child_seats": "2"}, "child_seats",
                 "At most one child seat per child.", id="too-many-child-seats"),
    pytest.param({"and_back": "y", "return_time": ""}, "return_time",
                 "Write the time to come back.", id="and-back-without-time"),
    pytest.param({"and_back": "y", "return_time": "09:00"}, "return_time",
                 "The return must be later than the outward trip.", id="return-before-outward"),
    pytest.param({"weekly": "y", "weekly_until": "2020-01-01"}, "weekly_until",
                 "The series must end after its first day.", id="series-ends-before"),
    pytest.param({"purpose": "holiday"}, "purpose", "Not a valid choice", id="unknown-purpose"),
]  # fmt: skip


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
def test_bad_input_comes_back_with_the_message_on_its_field_and_the_input_kept(
    browser: FlaskClient, amina: Person, session: Session,
    overrides: dict[str, str], field: str, message: str,
) -> None:  # fmt: skip
    """Each kind of mistake: 400, the message under the right field (tied to it with
    aria-describedby), what was typed still in the form, nothing booked."""
    data = form(browser, **overrides)
    response = browser.post("/newcomer/book", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in field_error(html, field), field_error(html, field)
    assert re.search(rf'aria-describedby="[^"]*\b{field}-error\b', html), field
    for name in ("origin", "destination"):
        if data.get(name):
            assert f'value="{data[name]}"' in html
    typed = overrides.get(field)
    if typed and field not in ("purpose",):
        assert f'value="{typed}"' in html
    assert requests_of(session, amina) == []


def test_an_empty_form_shows_every_missing_field_at_once(
    browser: FlaskClient, amina: Person, session: Session
) -> None:
    """From, To and the time are all flagged on the first try (the places were flagged only
    after a second submit), and nothing is booked."""
    data = {**form(browser), "origin": "", "destination": "", "time": ""}
    response = browser.post("/newcomer/book", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for field in ("origin", "destination"):
        assert "Write the name of the village or place." in field_error(html, field)
    assert "Write a time, for example 10:30." in field_error(html, "time")
    assert requests_of(session, amina) == []


def test_place_search_endpoint_suggests_names(browser: FlaskClient) -> None:
    """The search box's JSON: close names first, typos and missing accents forgiven."""
    response = browser.get("/newcomer/places?q=siguen")
    labels = [item["label"] for item in response.get_json()]
    assert labels[0] == "Sigüenza"
    assert browser.get("/newcomer/places?q=").get_json() == []


def test_confirmed_trip_shows_pickup_time_and_meeting_point(
    browser: FlaskClient, amina: Person, session: Session, make: Factory
) -> None:
    """Once planned: a "Confirmed" badge, the pickup time in large type (local time) and where
    to wait at the pickup place."""
    trip = make.request(amina)
    set_meeting_point(session, trip.origin, "In front of the church")
    trip.status = RequestStatus.SCHEDULED
    trip.confirmed_pickup_at = clock.local_datetime(trip.date, dt.time(9, 50))
    session.commit()
    html = browser.get("/newcomer/").get_data(as_text=True)
    assert '<span class="status scheduled">Confirmed</span>' in html
    assert re.search(r'class="big-time"><time datetime="[^"]+">09:50</time>', html)
    assert "In front of the church" in html


def test_trip_without_a_car_says_a_coordinator_will_call(
    browser: FlaskClient, amina: Person, session: Session, make: Factory
) -> None:
    """An unserved trip stays in the coming trips with a "No car found" badge and a plain
    sentence saying what happens next."""
    trip = make.request(amina)
    trip.status = RequestStatus.UNSERVED
    session.commit()
    html = browser.get("/newcomer/").get_data(as_text=True)
    assert '<span class="status unserved">No car found</span>' in html
    assert "A coordinator will contact you." in html and f'id="trip-{trip.id}"' in html


def test_cancel_asks_first_then_cancels_the_trip_and_its_way_back(
    browser: FlaskClient, amina: Person, session: Session
) -> None:
    """The cancel link opens a confirmation page; "Yes, cancel" (a POST) cancels both ways."""
    browser.post("/newcomer/book", data=form(browser, and_back="y", return_time="13:00"))
    outward = next(t for t in requests_of(session, amina) if t.outward_id is None)
    page = browser.get(f"/newcomer/trips/{outward.id}/cancel")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Cancel this trip?" in html
    assert 'name="legs"' in html and 'name="scope"' not in html
    assert re.search(r'<input[^>]*checked[^>]*value="both"|<input[^>]*value="both"[^>]*checked',
                     html)  # fmt: skip
    assert all(t.status == RequestStatus.REQUESTED for t in requests_of(session, amina))
    response = browser.post(f"/newcomer/trips/{outward.id}/cancel",
                            data={"csrf_token": csrf_token(browser, "/newcomer/book")})  # fmt: skip
    assert response.status_code == 302
    assert [t.status for t in requests_of(session, amina)] == [RequestStatus.CANCELLED] * 2
    html = browser.get("/newcomer/").get_data(as_text=True)
    assert "Your trip is cancelled." in html and "Past and cancelled trips" in html
    assert '<span class="status cancelled">Cancelled</span>' in html


@pytest.mark.parametrize(
    ("legs", "statuses"),
    [("going", [RequestStatus.CANCELLED, RequestStatus.REQUESTED]),
     ("back", [RequestStatus.REQUESTED, RequestStatus.CANCELLED])],
    ids=["only-the-way-there", "only-the-way-back"],
)  # fmt: skip
def test_cancel_one_way_keeps_the_other(
    browser: FlaskClient, amina: Person, session: Session, legs: str, statuses: list[Any]
) -> None:
    browser.post("/newcomer/book", data=form(browser, and_back="y", return_time="13:00"))
    outward = next(t for t in requests_of(session, amina) if t.outward_id is None)
    response = browser.post(f"/newcomer/trips/{outward.id}/cancel", data={
        "csrf_token": csrf_token(browser, "/newcomer/book"), "legs": legs})  # fmt: skip
    assert response.status_code == 302
    trips = requests_of(session, amina)
    assert [t.outward_id is None for t in trips] == [True, False]
    assert [t.status for t in trips] == statuses
    if legs == "going":  # what is left is the way back, and it can still be cancelled
        html = browser.get(f"/newcomer/trips/{outward.id}/cancel").get_data(as_text=True)
        assert "Only the way back is cancelled." in html and 'type="radio"' not in html
        browser.post(f"/newcomer/trips/{outward.id}/cancel", data={
            "csrf_token": csrf_token(browser, "/newcomer/book"), "legs": "back"})  # fmt: skip
        assert [t.status for t in requests_of(session, amina)] == [RequestStatus.CANCELLED] * 2


def test_cancel_only_the_way_back_of_a_trip_without_one_is_a_message(
    browser: FlaskClient, amina: Person, session: Session
) -> None:
    browser.post("/newcomer/book", data=form(browser))
    (trip,) = requests_of(session, amina)
    response = browser.post(f"/newcomer/trips/{trip.id}/cancel", data={
        "csrf_token": csrf_token(browser, "/newcomer/book"), "legs": "back"})  # fmt: skip
    assert response.status_code == 422
    assert "This trip has no way back." in response.get_data(as_text=True)
    assert requests_of(session, amina)[0].status == RequestStatus.REQUESTED


def test_cancel_a_whole_weekly_series(
    browser: FlaskClient, amina: Person, session: Session
) -> None:
    """For a weekly trip the page asks "only this trip" or "every later week"; the second
    cancels this week and the later ones, not the earlier ones."""
    until = tomorrow() + dt.timedelta(weeks=3)
    browser.post("/newcomer/book", data=form(browser, weekly="y", weekly_until=until.isoformat()))
    trips = requests_of(session, amina)
    assert len(trips) == 4
    html = browser.get(f"/newcomer/trips/{trips[1].id}/cancel").get_data(as_text=True)
    assert 'value="series"' in html and "This trip and every later week" in html
    browser.post(
        f"/newcomer/trips/{trips[1].id}/cancel",
        data={"csrf_token": csrf_token(browser, "/newcomer/book"), "scope": "series"},
    )
    statuses = [t.status for t in requests_of(session, amina)]
    assert statuses == [RequestStatus.REQUESTED] + [RequestStatus.CANCELLED] * 3


def test_a_newcomer_cannot_see_or_cancel_another_newcomers_trip(
    browser: FlaskClient, make: Factory, session: Session
) -> None:
    """Someone else's trip is "not found" (404), by page or by POST, and stays booked; it is
    not listed in My rides either."""
    other = make.request(make.newcomer(first_name="Olena"))
    session.commit()
    assert browser.get(f"/newcomer/trips/{other.id}/cancel").status_code == 404
    token = csrf_token(browser, "/newcomer/book")
    response = browser.post(f"/newcomer/trips/{other.id}/cancel", data={"csrf_token": token})
    assert response.status_code == 404
    session.expire_all()
    assert session.get(RideRequest, other.id).status == RequestStatus.REQUESTED
    assert f"trip-{other.id}" not in browser.get("/newcomer/").get_data(as_text=True)
    assert browser.get("/newcomer/trips/999999/cancel").status_code == 404


def test_booking_needs_the_csrf_token(
    browser: FlaskClient, amina: Person, session: Session
) -> None:
    """A booking posted from another site (no token) is refused and books nothing."""
    data = form(browser)
    del data["csrf_token"]
    assert browser.post("/newcomer/book", data=data).status_code == 400
    assert requests_of(session, amina) == []


def test_arabic_booking_page_is_right_to_left(
    client: FlaskClient, make: Factory, session: Session
) -> None:
    """A newcomer whose language is Arabic gets the booking page right to left."""
    make.newcomer(email="fatima@example.org", password=PASSWORD, preferred_language="ar")
    session.commit()
    sign_in_page(client, "fatima@example.org", PASSWORD)
    html = client.get("/newcomer/book").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert 'src="/static/place-search.js"' in html and "<script>" not in html


def test_trip_card_shows_child_seats(
    browser: FlaskClient, amina: Person, make: Factory, session: Session
) -> None:
    """The rider's trip card lists the child seats booked, beside adults and children."""
    make.request(amina, adults=1, children=1, child_seats=1, wheelchair=True)
    session.commit()
    html = browser.get("/newcomer/").get_data(as_text=True)
    assert "1 child seat" in html and "1 child," in html and "wheelchair" in html


def test_no_purpose_is_preselected_and_none_is_needed(
    browser: FlaskClient, amina: Person, session: Session
) -> None:
    """The form checks no purpose for the rider; a booking without one is kept as "other"."""
    page = browser.get("/newcomer/book").get_data(as_text=True)
    radios = re.findall(r'<input[^>]*name="purpose"[^>]*>', page)
    assert radios and not any("checked" in radio for radio in radios)
    response = browser.post("/newcomer/book", data=form(browser, purpose=None))
    assert response.status_code == 302
    assert [r.purpose for r in requests_of(session, amina)] == [Purpose.OTHER]
