"""Changing the note for the driver after booking, on "My rides" and through the API: saved on
both ways (and the later weeks of a series when asked), refused on its field in the rider's
language, nobody else's trip, never a 5xx."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from rides.booking.ride_requests import book_ride
from rides.models import RideRequest
from tests.factories import ATIENZA, Factory, tomorrow
from tests.web.pages import browse_as, csrf_token

NOTE = "Llevo un carrito de bebé"


def _booked(make: Factory, session: Session, language: str = "en") -> RideRequest:
    """Amina's trip of tomorrow with its way back and a note, committed for the app."""
    amina = make.newcomer(first_name="Amina", preferred_language=language)
    trip = make.request(amina, origin_id=make.place(ATIENZA).id, return_time=dt.time(13),
                        driver_note="I have a pram")  # fmt: skip
    session.commit()
    return trip


def _field_error(page: str) -> str:
    match = re.search(r'<p class="error" id="driver_note-error" role="alert">([^<]*)</p>', page)
    return html_lib.unescape(match.group(1)) if match else ""


def _notes(session: Session, trip: RideRequest) -> list[str | None]:
    session.expire_all()
    return [trip.driver_note, trip.return_trip.driver_note]


def test_a_newcomer_changes_the_note_from_my_rides(
    client: FlaskClient, session: Session, make: Factory
) -> None:
    """My rides links to the note's page; it shows the note as it is; saving changes both
    ways and brings the rider back to the trip, which shows the new note."""
    trip = _booked(make, session)
    browse_as(client, trip.rider_id)
    page = client.get("/newcomer/").get_data(as_text=True)
    path = f"/newcomer/trips/{trip.id}/note"
    assert f'href="{path}"' in page and "Change the note for the driver" in page
    form = client.get(path)
    assert form.status_code == 200
    assert 'value="I have a pram"' in form.get_data(as_text=True)
    saved = client.post(path, data={"csrf_token": csrf_token(client, path), "driver_note": NOTE})
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"/newcomer/#trip-{trip.id}")
    assert _notes(session, trip) == [NOTE, NOTE]
    card = html_lib.unescape(client.get("/newcomer/").get_data(as_text=True))
    assert "Your note for the driver is saved." in card and NOTE in card
    assert "I have a pram" not in card


@pytest.mark.parametrize(
    ("language", "too_long", "label"),
    [("es", "Como máximo 200 caracteres.", "Cambiar la nota para el conductor"),
     ("ar", "200", "تغيير الملاحظة للسائق")],
)  # fmt: skip
def test_a_refused_note_is_shown_on_its_field_in_the_riders_language(
    client: FlaskClient, session: Session, make: Factory, language: str, too_long: str,
    label: str,
) -> None:  # fmt: skip
    """201 characters: 400, the message under the field, the typed text kept in the field,
    the stored note unchanged."""
    trip = _booked(make, session, language)
    browse_as(client, trip.rider_id)
    path = f"/newcomer/trips/{trip.id}/note"
    refused = client.post(path, data={"csrf_token": csrf_token(client, path),
                                      "driver_note": "x" * 201})  # fmt: skip
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert too_long in _field_error(page)
    assert label in html_lib.unescape(page) and 'value="' + "x" * 201 + '"' in page
    assert _notes(session, trip) == ["I have a pram", "I have a pram"]


def test_a_trip_that_is_over_says_so_and_someone_elses_is_not_found(
    client: FlaskClient, session: Session, make: Factory
) -> None:
    trip = _booked(make, session)
    other = make.newcomer()
    session.commit()
    path = f"/newcomer/trips/{trip.id}/note"
    browse_as(client, other.id)
    assert client.get(path).status_code == 404
    token = csrf_token(client, "/newcomer/book")
    assert client.post(path, data={"csrf_token": token, "driver_note": "x"}).status_code == 404
    browse_as(client, trip.rider_id)
    client.post(f"/newcomer/trips/{trip.id}/cancel",
                data={"csrf_token": csrf_token(client, "/newcomer/book")})  # fmt: skip
    over = client.post(path, data={"csrf_token": csrf_token(client, path), "driver_note": "x"})
    assert over.status_code == 400
    assert "This trip is over" in html_lib.unescape(over.get_data(as_text=True))
    assert _notes(session, trip) == ["I have a pram", "I have a pram"]


def test_the_api_changes_the_note_and_refuses_a_bad_one_naming_the_field(
    session: Session, make: Factory, sign_in
) -> None:
    """200 with the ways that changed; null takes the note back; a bad note, a missing field
    or a trip that is over: a 4xx JSON naming ``driver_note``, nothing changed."""
    trip = _booked(make, session)
    caller = sign_in(trip.rider)
    path = f"/requests/{trip.id}/note"
    changed = caller.post(path, json={"driver_note": f" {NOTE} "})
    assert changed.status_code == 200, changed.get_json()
    assert [(r["id"], r["driver_note"]) for r in changed.get_json()] == [
        (trip.id, NOTE), (trip.return_trip.id, NOTE)]  # fmt: skip
    for bad in ({"driver_note": "x" * 201}, {"driver_note": 42}, {}, {"note": "x"}):
        refused = caller.post(path, json=bad)
        assert refused.status_code == 422, (bad, refused.get_json())
        fields = refused.get_json()["error"]["fields"]
        assert "driver_note" in fields or "note" in fields
    cleared = caller.post(path, json={"driver_note": None})
    assert [r["driver_note"] for r in cleared.get_json()] == [None, None]
    caller.post(f"/requests/{trip.id}/cancel", json={})
    over = caller.post(path, json={"driver_note": "too late"})
    assert over.status_code == 409
    assert over.get_json()["error"]["fields"] == {"driver_note": "trip_over"}
    assert _notes(session, trip) == [None, None]


def test_with_only_the_way_back_open_the_card_shows_its_note(
    client: FlaskClient, session: Session, make: Factory
) -> None:
    """The way there cancelled: the new note goes on the way back alone, and the card and the
    note's page show that one, not the old note the way there keeps."""
    trip = _booked(make, session)
    browse_as(client, trip.rider_id)
    token = csrf_token(client, "/newcomer/book")
    client.post(f"/newcomer/trips/{trip.id}/cancel", data={"csrf_token": token, "legs": "going"})
    path = f"/newcomer/trips/{trip.id}/note"
    client.post(path, data={"csrf_token": csrf_token(client, path), "driver_note": NOTE})
    assert _notes(session, trip) == ["I have a pram", NOTE]
    card = html_lib.unescape(client.get("/newcomer/").get_data(as_text=True))
    assert NOTE in card and "I have a pram" not in card
    assert f'value="{NOTE}"' in html_lib.unescape(client.get(path).get_data(as_text=True))


def _series(make: Factory, session: Session) -> list[RideRequest]:
    """Amina's trip of tomorrow there and back, every week for three weeks, committed."""
    amina = make.newcomer(first_name="Amina", preferred_language="en")
    spec = make.ride_spec(origin_id=make.place(ATIENZA).id, return_time=dt.time(13),
                          driver_note="I have a pram",
                          weekly_until=tomorrow() + dt.timedelta(weeks=2))  # fmt: skip
    trips = book_ride(session, amina, spec)
    session.commit()
    return trips


def test_a_series_asks_which_weeks_take_the_note(
    client: FlaskClient, session: Session, make: Factory
) -> None:
    """The page of a weekly trip asks whether the later weeks take the note too; "every later
    week" from the second week changes weeks two and three. A single trip is not asked."""
    trips = _series(make, session)
    browse_as(client, trips[0].rider_id)
    path = f"/newcomer/trips/{trips[2].id}/note"
    page = client.get(path).get_data(as_text=True)
    assert "Which trips take the new note?" in page and "This trip and every later week" in page
    saved = client.post(path, data={"csrf_token": csrf_token(client, path),
                                    "driver_note": NOTE, "scope": "series"})  # fmt: skip
    assert saved.status_code == 302
    session.expire_all()
    assert [t.driver_note for t in trips] == ["I have a pram"] * 2 + [NOTE] * 4
    single = _booked(make, session)
    browse_as(client, single.rider_id)
    page = client.get(f"/newcomer/trips/{single.id}/note").get_data(as_text=True)
    assert "Which trips take the new note?" not in page


def test_the_api_changes_a_whole_series_and_refuses_a_bad_flag(
    session: Session, make: Factory, sign_in
) -> None:
    """``whole_series`` true: every week's ways; not a boolean: 422 naming it, nothing changed."""
    trips = _series(make, session)
    caller = sign_in(trips[0].rider)
    path = f"/requests/{trips[0].id}/note"
    refused = caller.post(path, json={"driver_note": NOTE, "whole_series": "every week"})
    assert refused.status_code == 422
    assert "whole_series" in refused.get_json()["error"]["fields"]
    changed = caller.post(path, json={"driver_note": NOTE, "whole_series": True})
    assert changed.status_code == 200, changed.get_json()
    assert [r["id"] for r in changed.get_json()] == [t.id for t in trips]
    session.expire_all()
    assert {t.driver_note for t in trips} == {NOTE}


@pytest.mark.parametrize("page", ["note", "cancel"])
def test_a_crafted_scope_on_a_single_trip_is_refused_in_view(
    client: FlaskClient, session: Session, make: Factory, page: str
) -> None:
    """A single trip's page shows no choice of weeks; a posted scope it never offered comes back
    400 with the message at the top of the form, and the trip is unchanged."""
    trip = _booked(make, session)
    browse_as(client, trip.rider_id)
    path = f"/newcomer/trips/{trip.id}/{page}"
    answer = client.post(path, data={"csrf_token": csrf_token(client, path), "driver_note": NOTE,
                                      "legs": "both", "scope": "fortnight"})  # fmt: skip
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    box = re.search(r'<div class="error-box" role="alert">(.*?)</div>', page, re.S)
    assert box is not None and "Not a valid choice" in box.group(1)
    assert _notes(session, trip) == ["I have a pram", "I have a pram"]
    assert trip.status.value == "requested"
