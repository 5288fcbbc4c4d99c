"""A name that says more than the village it matched ("Hospital de Sigüenza" when no such stop
is known) is refused with "Did you mean?": the village's named stops and the village itself,
never silently the village (issue 17); the village's own name, however spelt, still resolves."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from geo.gazetteer import gazetteer
from rides.models import Place, PlaceKind
from rides.places.directory import StopSpec, add_stop, find_municipality
from rides.places.lookup import PlaceNotResolved, resolve_fields, resolve_place
from tests.factories import JADRAQUE, SIGUENZA, Factory


def _stop(session: Session, make: Factory, name: str, ine: str = SIGUENZA) -> Place:
    town = make.place(ine)
    spec = StopSpec(name, PlaceKind.HEALTH_CENTRE, town.id, town.latitude, town.longitude)
    return add_stop(session, spec)


@pytest.mark.parametrize("typed", ["Centro de Salud, Sigüenza", "Hospital de Sigüenza",
                                   "hospital siguenza"])  # fmt: skip
def test_a_named_stop_that_is_not_loaded_is_not_the_village(
    session: Session, make: Factory, typed: str
) -> None:
    """No stop loaded in Sigüenza: nothing resolved, and the village is the one choice."""
    choice = resolve_place(session, typed)
    assert choice.place is None
    assert [m.label for m in choice.suggestions] == ["Sigüenza"]
    assert choice.suggestions[0].place == make.place(SIGUENZA)


def test_the_villages_stops_are_offered_before_the_village(session: Session, make: Factory) -> None:
    """ "Hospital de Sigüenza" with a health centre and a station in Sigüenza (and a stop in
    another village): the two stops of Sigüenza, closest first, then Sigüenza itself."""
    centre = _stop(session, make, "Centro de Salud")
    station = _stop(session, make, "Estación de tren")
    _stop(session, make, "Centro de Salud", JADRAQUE)
    choice = resolve_place(session, "Hospital de Sigüenza")
    assert choice.place is None
    assert {m.place for m in choice.suggestions[:2]} == {centre, station}
    assert choice.suggestions[-1].label == "Sigüenza" and len(choice.suggestions) == 3


def test_the_field_is_refused_as_unclear_with_its_choices(session: Session, make: Factory) -> None:
    """Through resolve_fields (what the booking uses): code ``place_unclear`` on the field, and
    the suggestions to show under it; the other field resolves."""
    with pytest.raises(PlaceNotResolved) as raised:
        resolve_fields(session, {"origin": "Atienza", "destination": "Centro de Salud, Sigüenza"})
    assert raised.value.codes == {"destination": "place_unclear"}
    assert [m.label for m in raised.value.suggestions["destination"]] == ["Sigüenza"]


def test_the_loaded_stop_and_its_close_spellings_resolve(session: Session, make: Factory) -> None:
    """With the stop loaded, its label (any case) and a close spelling of it are that stop."""
    centre = _stop(session, make, "Centro de Salud")
    for typed in ("Centro de Salud, Sigüenza", "centro de salud siguenza", "Centro Salud Siguenza"):
        assert resolve_place(session, typed).place == centre, typed


def test_a_stop_name_with_words_of_another_place_is_not_that_stop(
    session: Session, make: Factory
) -> None:
    """ "Farmacia de Sigüenza" matches the health centre or the village on the village's
    name alone, but says something else: neither is taken, the person chooses."""
    centre = _stop(session, make, "Centro de Salud")
    choice = resolve_place(session, "Farmacia de Sigüenza")
    assert choice.place is None
    assert [m.place for m in choice.suggestions] == [centre, make.place(SIGUENZA)]


@pytest.mark.parametrize(
    ("typed", "name"),
    [("Sigüenza", "Sigüenza"), ("siguenza", "Sigüenza"), ("SIGUENSA", "Sigüenza"),
     ("molina aragon", "Molina de Aragón"), ("Molina", "Molina de Aragón"),
     ("Mochal", "Mochales"), ("azuqueca", "Azuqueca de Henares"), ("casar el", "El Casar")],
)  # fmt: skip
def test_a_village_alone_however_spelt_still_resolves(
    session: Session, make: Factory, typed: str, name: str
) -> None:
    """Close spellings, missing accents, leading words and moved articles of a village's own
    name are that village, as before: only words beyond the name make it unclear."""
    _stop(session, make, "Centro de Salud")
    place = resolve_place(session, typed).place
    assert place is not None and place.name == name, typed


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(town=st.sampled_from(gazetteer()), plain=st.booleans())
def test_a_villages_label_always_resolves_to_itself(
    session: Session, town: object, plain: bool
) -> None:
    """Any village's exact label is that village; so is its name in lower case without
    accents (how it is typed on a phone). Read only: the database is not changed."""
    place = find_municipality(session, town.ine_code)  # type: ignore[attr-defined]
    assert place is not None
    typed = _plain(place.name) if plain else place.name
    assert resolve_place(session, typed).place == place, typed
