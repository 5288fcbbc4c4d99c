"""The driver's calendar feed carries the rider's note for the driver under that rider's pickup,
escaped by the iCalendar library; no note, no line; an erased rider's note is gone."""

from __future__ import annotations

import datetime as dt

import icalendar
from sqlalchemy.orm import Session

from rides.accounts.privacy import erase_person
from rides.driving.calendar import driver_calendar
from rides.driving.routes import record_stop
from rides.models import StopKind, StopStatus
from tests.clocks import ServiceClock

DAY = dt.date(2026, 12, 10)
#: Commas, semicolons and a backslash: all escaped in an iCalendar text value.
NOTE = r"I have a pram; my son, 4, comes too \ thanks"


def _description(session: Session, made) -> tuple[bytes, list[str]]:
    """The feed as sent, and its one event's description as a calendar reads it."""
    feed = driver_calendar(session, made.driver, today=DAY)
    (event,) = icalendar.Calendar.from_ical(feed).walk("VEVENT")
    return feed, str(event["DESCRIPTION"]).split("\n")


def test_the_note_is_under_the_riders_pickup(session: Session, accepted_route) -> None:
    """Amina wrote a note: one line under her pickup, in the driver's language, with her words
    as written; her drop-off and Ioana (no note) have none, and no empty "Note" line."""
    made = accepted_route(DAY)
    made.amina.driver_note = NOTE
    session.flush()
    feed, lines = _description(session, made)
    pickup = next(i for i, line in enumerate(lines) if "Pick up Amina" in line)
    assert lines[pickup + 1] == f"    Note from Amina: {NOTE}"
    assert [line for line in lines if "Note" in line] == [lines[pickup + 1]]
    assert len(lines) == len(made.route.stops) + 1
    unfolded = feed.replace(b"\r\n ", b"")
    assert rb"Note from Amina: I have a pram\; my son\, 4\, comes too \\ thanks" in unfolded


def test_a_route_without_notes_has_only_its_stops(session: Session, accepted_route) -> None:
    """No rider wrote a note: one line per stop, as before."""
    made = accepted_route(DAY)
    _, lines = _description(session, made)
    assert len(lines) == len(made.route.stops) and not any("Note" in line for line in lines)


def test_an_erased_riders_note_leaves_the_calendar(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """Amina is in the car (her pickup is done, so the trip stays on the route) when she is
    erased: her stops stay in the feed, her note and name do not."""
    made = accepted_route(DAY)
    made.amina.driver_note = NOTE
    service_clock.at(DAY, 10)
    record_stop(session, made.driver, made.stop(made.amina, StopKind.PICKUP).id, StopStatus.DONE)
    erase_person(session, made.amina.rider)
    session.flush()
    feed, lines = _description(session, made)
    assert len(lines) == len(made.route.stops)
    assert b"pram" not in feed and b"Amina" not in feed
