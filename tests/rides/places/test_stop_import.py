"""Named stops from a CSV file: created once, updated when they change, refused when wrong."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides.models import Place, PlaceKind
from rides.places.stop_import import import_stops, parse_stops_csv
from rides.validation import InvalidInput
from tests.factories import SIGUENZA, Factory

GOOD = """name,kind,municipality,latitude,longitude,meeting_point
Centro de Salud,health_centre,19257,41.0690,-2.6411,Main door
Estación de tren,station,Sigüenza,,,
Hospital Universitario,hospital,guadalajara,,,
"""


def _stops(session: Session) -> int:
    return session.scalar(select(func.count()).where(Place.municipality_id.is_not(None))) or 0


def test_an_import_creates_the_stops_and_a_second_changes_nothing(
    session: Session, make: Factory
) -> None:
    """By INE code or by name (case and accents aside); no coordinates: at the village."""
    sigüenza = make.place(SIGUENZA)
    first = import_stops(session, parse_stops_csv(GOOD))
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    again = import_stops(session, parse_stops_csv(GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    station = session.scalar(select(Place).where(Place.name == "Estación de tren"))
    assert station is not None and station.kind == PlaceKind.STATION
    assert (station.latitude, station.longitude) == (sigüenza.latitude, sigüenza.longitude)
    assert station.municipality_id == sigüenza.id


def test_a_changed_line_updates_its_stop(session: Session) -> None:
    """Same village and name (another case) with a new meeting point: updated, not doubled."""
    import_stops(session, parse_stops_csv(GOOD))
    before = "Centro de Salud,health_centre,19257,41.0690,-2.6411,Main door"
    changed = GOOD.replace(before, "centro de salud,health_centre,19257,41.0690,-2.6411,Side door")
    result = import_stops(session, parse_stops_csv(changed))
    assert (result.created, result.updated) == (0, 1)
    assert _stops(session) == 3
    centre = session.scalar(select(Place).where(Place.name == "Centro de Salud"))
    assert centre is not None and centre.meeting_point == "Side door"


def test_a_wrong_file_is_refused_whole_with_every_line_named(session: Session) -> None:
    """An unknown village, a bad kind and a point 50 km away: nothing is written."""
    wrong = GOOD + (
        "Farmacia,shop,Villanueva del Nunca,,,\n"
        "Biblioteca,library,19257,,,\n"
        "Lejos,other,19257,40.60,-2.64,\n"
    )
    with pytest.raises(InvalidInput) as refused:
        import_stops(session, parse_stops_csv(wrong))
    fields = {e.field: e.code for e in refused.value.errors}
    assert fields == {
        "line 5.municipality": "unknown_municipality",
        "line 6.kind": "invalid_kind",
        "line 7.latitude": "far_from_municipality",
    }
    assert _stops(session) == 0


def test_a_header_without_the_needed_columns_is_refused() -> None:
    """The file says what is missing and what is unknown."""
    with pytest.raises(InvalidInput) as refused:
        parse_stops_csv("nombre,tipo\nCentro,health_centre\n")
    assert [e.code for e in refused.value.errors] == ["missing_column", "unknown_column"]
