"""Booking on behalf of a newcomer who phoned: find them, name the places, book all or nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides.accounts.people import PersonSpec
from rides.booking.phone_booking import (
    PhoneBooking,
    PlaceAnswer,
    PlacesUnclear,
    Suggestion,
    book_on_behalf,
    find_newcomers,
    resolve_place,
    start_booking,
)
from rides.models import Person, Place, PlaceKind, RideRequest, Role
from rides.validation import InvalidInput
from tests.factories import SIGUENZA, Factory, tomorrow


def _order(make: Factory, **overrides) -> PhoneBooking:
    fields = {
        "ride": make.ride_spec(origin_id=0, destination_id=0),
        "origin": PlaceAnswer("atienza"),
        "destination": PlaceAnswer("Siguenza"),
        "newcomer": PersonSpec(first_name="Moussa", preferred_language="fr"),
    }
    fields.update(overrides)
    return PhoneBooking(**fields)


def _count(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_find_newcomers_by_name_phone_or_email_only_newcomers(
    session: Session, make: Factory
) -> None:
    """Part of a name (any case) or at least three digits of a phone find newcomers; drivers
    with the same name are not offered; an empty search finds nobody."""
    amina = make.newcomer(first_name="Amina", phone="699 123 456")
    make.driver(first_name="Aminata")
    assert find_newcomers(session, "AMIN") == [amina]
    assert find_newcomers(session, "123 456") == [amina]
    assert find_newcomers(session, "  ") == []
    start = start_booking(session, "amin", amina.id)
    assert (start.found, start.rider) == ([amina], amina)
    assert start_booking(session, None, make.driver().id).rider is None


def test_resolve_place_takes_a_clear_name_a_pick_or_offers_suggestions(
    session: Session, make: Factory
) -> None:
    """ "siguenza" is Sigüenza; a picked id wins over the text; a vague name gives the nearest
    places; gibberish gives no suggestion."""
    siguenza = make.place(SIGUENZA)
    assert resolve_place(session, PlaceAnswer("siguenza")) == siguenza
    assert resolve_place(session, PlaceAnswer("whatever", siguenza.id)) == siguenza
    vague = resolve_place(session, PlaceAnswer("Villa"))
    assert isinstance(vague, list) and vague and isinstance(vague[0], Suggestion)
    assert resolve_place(session, PlaceAnswer("xqzvw")) == []


def test_book_on_behalf_registers_the_newcomer_and_books(session: Session, make: Factory) -> None:
    """A new first name becomes a newcomer account; the trip is theirs, booked by the
    coordinator, between the named places."""
    coordinator = make.coordinator()
    (trip,) = book_on_behalf(session, _order(make), actor=coordinator)
    rider = trip.rider
    assert (rider.first_name, rider.role, rider.preferred_language) == (
        "Moussa",
        Role.NEWCOMER,
        "fr",
    )
    assert trip.booked_by_id == coordinator.id
    assert (trip.origin.name, trip.destination.name) == ("Atienza", "Sigüenza")


def test_book_on_behalf_for_an_existing_newcomer(session: Session, make: Factory) -> None:
    """With a rider id, nobody new is registered."""
    rider = make.newcomer()
    before = _count(session, Person)
    (trip,) = book_on_behalf(
        session, _order(make, rider_id=rider.id, newcomer=None), actor=make.coordinator()
    )
    assert trip.rider_id == rider.id
    assert _count(session, Person) == before + 1  # the coordinator only


def test_every_wrong_field_is_reported_at_once_with_suggestions(
    session: Session, make: Factory
) -> None:
    """An unclear destination and a missing first name are refused together; nothing stays."""
    coordinator = make.coordinator()
    people, trips = _count(session, Person), _count(session, RideRequest)
    order = _order(make, destination=PlaceAnswer("Villa"), newcomer=PersonSpec(first_name=" "))
    with pytest.raises(PlacesUnclear) as refused:
        book_on_behalf(session, order, actor=coordinator)
    assert refused.value.codes == {"destination": "choose_place", "first_name": "required"}
    assert refused.value.suggestions["destination"]
    assert (_count(session, Person), _count(session, RideRequest)) == (people, trips)


def test_a_refused_booking_leaves_no_new_newcomer(session: Session, make: Factory) -> None:
    """A booking in the past is refused by the booking rules; the newcomer made for it is
    undone with it."""
    coordinator = make.coordinator()
    people = _count(session, Person)
    past = make.ride_spec(origin_id=0, destination_id=0, date=tomorrow() - dt.timedelta(days=3))
    with pytest.raises(InvalidInput) as refused:
        book_on_behalf(session, _order(make, ride=past), actor=coordinator)
    assert refused.value.codes == {"date": "date_in_past"}
    assert _count(session, Person) == people


def test_an_unknown_rider_id_is_a_field_error(session: Session, make: Factory) -> None:
    """A rider id that is not a newcomer's is refused like any other field."""
    driver = make.driver()
    with pytest.raises(PlacesUnclear) as refused:
        book_on_behalf(
            session, _order(make, rider_id=driver.id, newcomer=None), actor=make.coordinator()
        )
    assert refused.value.codes == {"rider_id": "unknown_person"}


def test_a_picked_place_must_be_active(session: Session, make: Factory) -> None:
    """A pick of an inactive place is ignored and the text decides."""
    siguenza = make.place(SIGUENZA)
    closed = Place(
        name="Old stop", kind=PlaceKind.OTHER, latitude=41.0, longitude=-2.6,
        municipality_id=siguenza.id, active=False,
    )  # fmt: skip
    session.add(closed)
    session.flush()
    answer = replace(PlaceAnswer("siguenza"), picked_id=closed.id)
    assert resolve_place(session, answer) == siguenza
