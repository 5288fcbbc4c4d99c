"""Coordinators' upkeep of places, and the outbox as they read it."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from rides.errors import NotFound
from rides.messaging import notifications
from rides.messaging.outbox_view import outbox_messages
from rides.models import MessageStatus, PlaceKind
from rides.places.upkeep import NewStop, add_stop_in, get_municipality, named_stops
from rides.validation import InvalidInput
from tests.factories import ATIENZA, SIGUENZA, Factory


def test_a_stop_without_coordinates_sits_at_its_village(session: Session, make: Factory) -> None:
    """No latitude/longitude given: the village's; given: those; the meeting point is trimmed."""
    town = make.place(SIGUENZA)
    at_town = add_stop_in(
        session, town, NewStop("Centro de Salud", PlaceKind.HEALTH_CENTRE, meeting_point=" Door ")
    )
    placed = add_stop_in(session, town, NewStop("Estación", PlaceKind.STATION, 41.07, -2.64))
    assert (at_town.latitude, at_town.longitude, at_town.meeting_point) == (
        town.latitude, town.longitude, "Door",
    )  # fmt: skip
    assert (placed.latitude, placed.longitude) == (41.07, -2.64)
    assert [s.name for s in named_stops(session)] == ["Centro de Salud", "Estación"]


def test_stops_are_checked_by_the_places_service(session: Session, make: Factory) -> None:
    """A blank name and an impossible latitude are refused together."""
    with pytest.raises(InvalidInput) as refused:
        add_stop_in(session, make.place(ATIENZA), NewStop(" ", PlaceKind.SHOP, 95.0, -2.0))
    assert refused.value.codes == {"name": "required", "latitude": "out_of_range"}


def test_only_villages_take_stops(session: Session, make: Factory) -> None:
    """A stop is not a municipality: NotFound, as for an unknown id."""
    stop = add_stop_in(session, make.place(ATIENZA), NewStop("Farmacia", PlaceKind.SHOP))
    assert get_municipality(session, make.place(ATIENZA).id).name == "Atienza"
    for place_id in (stop.id, 999_999):
        with pytest.raises(NotFound):
            get_municipality(session, place_id)


def test_outbox_messages_newest_first_and_by_status(session: Session, make: Factory) -> None:
    """Every message newest first; the filter keeps one status."""
    rider = make.newcomer(first_name="Amina")
    first = notifications.enqueue(session, rider, "test", "k1", "One", "Body one")
    second = notifications.enqueue(session, rider, "test", "k2", "Two", "Body two")
    assert first is not None and second is not None
    session.flush()
    second.status = MessageStatus.FAILED
    session.flush()
    assert [m.subject for m in outbox_messages(session)] == ["Two", "One"]
    assert [m.subject for m in outbox_messages(session, MessageStatus.PENDING)] == ["One"]
    assert outbox_messages(session, MessageStatus.SENT) == []
    assert outbox_messages(session)[0].recipient.first_name == "Amina"
