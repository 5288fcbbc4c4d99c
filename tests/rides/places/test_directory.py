"""Loading the gazetteer into the database and managing named stops."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides.db import make_engine, make_sessionmaker
from rides.models import Place, PlaceKind
from rides.places.directory import (
    StopSpec,
    add_stop,
    find_municipality,
    load_municipalities,
    set_meeting_point,
)
from rides.validation import InvalidInput
from tests.factories import SIGUENZA, Factory


def test_load_is_idempotent(empty_db_url: str) -> None:
    """The first load creates 288 municipalities, the second changes nothing."""
    engine = make_engine(empty_db_url)
    try:
        with make_sessionmaker(engine)() as session:
            first = load_municipalities(session)
            session.commit()
            second = load_municipalities(session)
            session.commit()
            count = session.scalar(select(func.count()).select_from(Place))
    finally:
        engine.dispose()
    assert (first.created, first.updated, first.unchanged) == (288, 0, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 288)
    assert count == 288


def test_load_keeps_meeting_points_and_repairs_changed_names(session: Session) -> None:
    """A coordinator's meeting point survives a reload; a tampered name is restored."""
    town = find_municipality(session, SIGUENZA)
    assert town is not None
    set_meeting_point(session, town, "in front of the town hall")
    town.name = "Siguenza typo"
    result = load_municipalities(session)
    assert (result.updated, result.unchanged) == (1, 287)
    assert town.name == "Sigüenza" and town.meeting_point == "in front of the town hall"


def test_add_stop_inside_a_municipality(session: Session, make: Factory) -> None:
    """A health centre is a stop of its town, with its own meeting point."""
    town = make.place(SIGUENZA)
    stop = add_stop(
        session,
        StopSpec("Centro de Salud", PlaceKind.HEALTH_CENTRE, town.id, 41.07, -2.64, "main door"),
    )
    assert stop.municipality is town and stop.meeting_point == "main door"


def test_add_stop_rules(session: Session, make: Factory) -> None:
    """A stop needs a name, a real municipality and coordinates on Earth."""
    town = make.place(SIGUENZA)
    with pytest.raises(InvalidInput) as caught:
        add_stop(session, StopSpec(" ", PlaceKind.MUNICIPALITY, 999_999, 91, -181))
    assert caught.value.codes == {
        "name": "required",
        "kind": "invalid_kind",
        "municipality_id": "unknown_place",
        "latitude": "out_of_range",
        "longitude": "out_of_range",
    }
    assert town.stops == []


def test_search_places_finds_villages_and_stops_as_people_type_them(
    session: Session, make: Factory
) -> None:
    """Accent-less and misspelled names find the village; a stop is shown with its town."""
    from rides.places.directory import search_places

    town = make.place(SIGUENZA)
    add_stop(session, StopSpec("Centro de Salud", PlaceKind.HEALTH_CENTRE, town.id, 41.07, -2.64))
    assert search_places(session, "siguenza")[0].place is town
    assert search_places(session, "azuqeca")[0].label == "Azuqueca de Henares"
    labels = [m.label for m in search_places(session, "centro de salud siguenza")]
    assert labels[0] == "Centro de Salud, Sigüenza"
    assert search_places(session, "xqzwv") == []
