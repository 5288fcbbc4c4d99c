"""Typed place names on the pages: exact labels, close spellings, unclear and unknown names."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from rides.models import PlaceKind
from rides.places.directory import StopSpec, add_stop
from rides.places.lookup import PlaceNotResolved, resolve_fields, resolve_place, suggest_places
from tests.factories import SIGUENZA, Factory


def test_close_spellings_resolve(session: Session, make: Factory) -> None:
    """No accent, lower case, one letter wrong: still Sigüenza."""
    for typed in ("Sigüenza", "siguenza", "SIGUENSA", "  sigüenza "):
        assert resolve_place(session, typed).place == make.place(SIGUENZA), typed


def test_a_stop_label_picked_from_the_suggestions_resolves_exactly(
    session: Session, make: Factory
) -> None:
    """ "Centro de Salud, Sigüenza" (what the search box shows) is that stop, not the town."""
    town = make.place(SIGUENZA)
    stop = add_stop(session, StopSpec("Centro de Salud", PlaceKind.HEALTH_CENTRE, town.id,
                                      town.latitude, town.longitude))  # fmt: skip
    assert resolve_place(session, "Centro de Salud, Sigüenza").place == stop
    assert resolve_place(session, "centro de salud, sigüenza").place == stop


def test_unclear_name_gives_suggestions(session: Session) -> None:
    """ "cas" names no single village: nothing resolved, a few close names offered."""
    choice = resolve_place(session, "cas")
    assert choice.place is None
    assert "El Casar" in [m.label for m in choice.suggestions]
    assert len(choice.suggestions) <= 5


def test_unknown_name_gives_nothing(session: Session) -> None:
    """Nonsense is not resolved and has no suggestion."""
    assert resolve_place(session, "qwxyzzy").place is None
    assert resolve_place(session, "qwxyzzy").suggestions == ()


def test_resolve_fields_reports_every_field_with_its_suggestions(session: Session) -> None:
    """Empty, unclear and unknown fields are all reported at once, each on its field; an
    optional empty field is fine."""
    with pytest.raises(PlaceNotResolved) as raised:
        resolve_fields(session, {"origin": "", "destination": "cas", "via": "qwxyzzy",
                                 "end": None}, optional=frozenset({"end"}))  # fmt: skip
    error = raised.value
    assert error.codes == {
        "origin": "required",
        "destination": "place_unclear",
        "via": "unknown_place_name",
    }
    assert set(error.suggestions) == {"destination"}
    assert "'qwxyzzy'" in error.fields["via"]


def test_resolve_fields_returns_the_places(session: Session, make: Factory) -> None:
    """All resolved: a place per field, None for an empty optional one."""
    places = resolve_fields(session, {"a": "siguenza", "b": ""}, optional=frozenset({"b"}))
    assert places == {"a": make.place(SIGUENZA), "b": None}


def test_search_box_puts_names_starting_with_the_letters_first(session: Session) -> None:
    """While typing "siguen", Sigüenza comes before Paredes de Sigüenza."""
    labels = [m.label for m in suggest_places(session, "siguen")]
    assert labels[:2] == ["Sigüenza", "Paredes de Sigüenza"]
    assert suggest_places(session, "s") == []
