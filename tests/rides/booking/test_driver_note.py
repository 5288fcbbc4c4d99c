"""The rider's note for the driver ("I have a pram"): trimmed, one short line, on every trip of
the booking (the way back and each week of a series), refused with a code naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from rides.booking.ride_requests import MAX_DRIVER_NOTE, book_ride, clean_driver_note
from rides.validation import Checks, InvalidInput
from tests.factories import Factory, tomorrow


def test_the_note_is_trimmed_and_stored(session: Session, make: Factory) -> None:
    """Spaces around the note go; the words stay as written."""
    [trip] = book_ride(session, make.newcomer(), make.ride_spec(driver_note="  I have a pram  "))
    session.flush()
    session.expire_all()
    assert trip.driver_note == "I have a pram"


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_no_note_is_stored_as_nothing(session: Session, make: Factory, empty: str | None) -> None:
    """No note, an empty one or only spaces: nothing is stored (and nothing is refused)."""
    [trip] = book_ride(session, make.newcomer(), make.ride_spec(driver_note=empty))
    assert trip.driver_note is None


def test_the_note_goes_with_the_way_back_and_every_week(session: Session, make: Factory) -> None:
    """A weekly booking with its way back: each of the trips carries the note."""
    spec = make.ride_spec(
        return_time=dt.time(13), weekly_until=tomorrow() + dt.timedelta(weeks=2),
        driver_note="my son of 4 comes with me",
    )  # fmt: skip
    created = book_ride(session, make.newcomer(), spec)
    assert len(created) == 6
    assert {trip.driver_note for trip in created} == {"my son of 4 comes with me"}
    assert sum(trip.outward_id is not None for trip in created) == 3


BAD_NOTES = [
    pytest.param("pram\x00", "control_character", id="nul"),
    pytest.param("pram\nbig", "control_character", id="new-line"),
    pytest.param("pram\tbig", "control_character", id="tab"),
    pytest.param("\u202epram", "bidi_control", id="bidi-override"),
    pytest.param("x" * (MAX_DRIVER_NOTE + 1), "too_long", id="too-long"),
    pytest.param("\u200b\u200b", "no_visible_character", id="invisible"),
]


@pytest.mark.parametrize(("note", "code"), BAD_NOTES)
def test_a_bad_note_is_refused_on_its_field(
    session: Session, make: Factory, note: str, code: str
) -> None:
    """Control characters, direction overrides, invisible text and more than 200 characters
    are refused under ``driver_note``, with the other fields' problems in the same answer."""
    with pytest.raises(InvalidInput) as caught:
        book_ride(session, make.newcomer(), make.ride_spec(driver_note=note, adults=0))
    assert caught.value.codes == {"driver_note": code, "adults": "child_without_adult"}


def test_exactly_the_longest_note_is_kept(session: Session, make: Factory) -> None:
    """200 characters after trimming are fine, spaces around them not counted."""
    note = "a" * MAX_DRIVER_NOTE
    [trip] = book_ride(session, make.newcomer(), make.ride_spec(driver_note=f" {note} "))
    assert trip.driver_note == note


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=MAX_DRIVER_NOTE + 20))
def test_a_kept_note_is_always_one_trimmed_line_within_the_limit(text: str) -> None:
    """Whatever is typed, what is kept is trimmed, at most 200 characters, without control
    characters; or it is refused, or it is nothing."""
    checks = Checks()
    kept = clean_driver_note(checks, text)
    if kept is None:
        return
    assert not checks.errors
    assert kept == kept.strip() and 0 < len(kept) <= MAX_DRIVER_NOTE
    assert not any(ord(char) < 32 or char == "\x7f" for char in kept)
