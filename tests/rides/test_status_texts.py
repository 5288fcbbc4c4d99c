"""Error sentences are whole: no English noun or status name is put into a translated one."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from rides import status_texts
from rides.accounts import people
from rides.booking import ride_requests
from rides.errors import DomainError, NotFound
from rides.models import Role
from tests.factories import Factory

#: The only placeholders a sentence of status_texts may have: numbers.
NUMBERS = {"id", "v"}


def _assert_whole(error: DomainError) -> None:
    """The error's parameters are numbers only, so its translated template is the message."""
    assert all(isinstance(value, int) for value in error.params.values()), error.params
    assert set(re.findall(r"{(\w+)}", error.template)) <= NUMBERS, error.template


def test_every_sentence_holds_only_numbers() -> None:
    tables = (status_texts.NOT_FOUND, status_texts.TRIP_IS, status_texts.ROUTE_IS,
              status_texts.STOP_IS, status_texts.CHANGE_IS, status_texts.PLAN_IS)  # fmt: skip
    for table in tables:
        for sentence in table.values():
            assert set(re.findall(r"{(\w+)}", sentence)) <= NUMBERS, sentence


def test_a_missing_trip_is_named_in_the_sentence(session: Session, make: Factory) -> None:
    """ "No trip with id 3.", not "No {what} with id {id}." filled with "ride request"."""
    coordinator = make.coordinator()
    with pytest.raises(NotFound) as raised:
        ride_requests.get_request(session, coordinator, 987654)
    assert raised.value.message == "No trip with id 987654."
    _assert_whole(raised.value)
    with pytest.raises(NotFound) as raised:
        people.get_person(session, 987654, Role.DRIVER)
    assert raised.value.message == "No driver with id 987654."
    _assert_whole(raised.value)


def test_a_hidden_trip_is_named_in_the_sentence(session: Session, make: Factory) -> None:
    """Another rider's trip is "not found" with the same whole sentence."""
    trip = make.request()
    stranger = make.newcomer()
    with pytest.raises(NotFound) as raised:
        ride_requests.get_request(session, stranger, trip.id)
    assert raised.value.message == f"No trip with id {trip.id}."
    _assert_whole(raised.value)


def test_cancelling_a_cancelled_trip_says_so(session: Session, make: Factory) -> None:
    """ "This trip is already cancelled.", not "A cancelled request cannot become cancelled."."""
    trip = make.request()
    ride_requests.cancel_ride(session, trip.rider, trip.id)
    with pytest.raises(DomainError) as raised:
        ride_requests.cancel_ride(session, trip.rider, trip.id)
    assert raised.value.message == "This trip is already cancelled."
    _assert_whole(raised.value)
