"""Place search for names typed the way they are heard."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import AmbiguousPlace, GeoError, PlaceNotFound
from geo.gazetteer import Municipality, gazetteer
from geo.search import PlaceIndex, Searchable, extra_words, normalise, resolve, search

MISSPELLED = [
    ("siguenza", "Sigüenza"),
    ("SIGUENZA", "Sigüenza"),
    ("sigenza", "Sigüenza"),
    ("cigüenza", "Sigüenza"),
    ("molina aragon", "Molina de Aragón"),
    ("molina", "Molina de Aragón"),
    ("azuqeca", "Azuqueca de Henares"),
    ("azuqueca", "Azuqueca de Henares"),
    ("casar el", "El Casar"),
    ("el casar", "El Casar"),
    ("Casar, El", "El Casar"),
    ("guadalajra", "Guadalajara"),
    ("brihuga", "Brihuega"),
    ("cifuentez", "Cifuentes"),
    ("jadraqe", "Jadraque"),
    ("pastrna", "Pastrana"),
    ("mondejar", "Mondéjar"),
    ("sacedon", "Sacedón"),
    ("maranchon", "Maranchón"),
    ("cabanillas", "Cabanillas del Campo"),
    ("yunquera", "Yunquera de Henares"),
    ("torrejon del rei", "Torrejón del Rey"),
    ("chiloches", "Chiloeches"),
    ("villanueva de la tore", "Villanueva de la Torre"),
    ("hiendelancina", "Hiendelaencina"),
    ("cogoludo", "Cogolludo"),
    ("tamajon", "Tamajón"),
    ("zorita canes", "Zorita de los Canes"),
    ("alcolea pinar", "Alcolea del Pinar"),
    ("toba la", "La Toba"),
]


@pytest.mark.parametrize(("typed", "official"), MISSPELLED)
def test_misspelled_names_find_the_right_place_first(typed: str, official: str) -> None:
    """An accent-less, misspelled, reordered or shortened name ranks the intended place first."""
    matches = search(typed)
    assert matches, typed
    assert matches[0].name == official
    assert resolve(typed).name == official


def test_match_exposes_official_name_code_and_score() -> None:
    """A match carries the official spelling, the INE code, the key and a 0-100 score."""
    best = search("siguenza")[0]
    assert (best.name, best.ine_code, best.key, best.score) == ("Sigüenza", "19257", "19257", 100)
    assert isinstance(best.place, Municipality)


def test_results_are_ranked_and_limited() -> None:
    """Results come best first, at most `limit` of them."""
    matches = search("guadalajara", limit=3)
    assert len(matches) == 3
    assert matches[0].name == "Guadalajara"
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert all(0 <= m.score <= 100 for m in matches)


@pytest.mark.parametrize(
    "nonsense", ["xyzzy", "qwerty asdf", "12345", "", "   ", "a", "la", "zzzzzzzz"]
)
def test_nonsense_finds_nothing(nonsense: str) -> None:
    """Text that resembles no place gives an empty list rather than a wild guess."""
    assert search(nonsense) == []


def test_limit_must_be_positive() -> None:
    """A zero limit is a caller error, reported as such."""
    with pytest.raises(ValueError, match="limit"):
        search("siguenza", limit=0)


def test_near_miss_raises_not_found_with_suggestions() -> None:
    """A name too far from any place raises PlaceNotFound asking 'did you mean ...?'."""
    with pytest.raises(PlaceNotFound) as caught:
        resolve("cuenca")
    error = caught.value
    assert isinstance(error, GeoError)
    assert error.suggestions
    assert "Gascueña de Bornova" in error.suggestions
    assert str(error).startswith("place 'cuenca' not found, did you mean ")
    assert str(error).endswith("?")


def test_nothing_close_raises_not_found_without_suggestions() -> None:
    """Pure nonsense raises PlaceNotFound with no suggestions to offer."""
    with pytest.raises(PlaceNotFound) as caught:
        resolve("xyzzy")
    assert caught.value.suggestions == ()
    assert str(caught.value) == "place 'xyzzy' not found"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("alcolea", {"Alcolea del Pinar", "Alcolea de las Peñas"}),
        (
            "villanueva",
            {"Villanueva de la Torre", "Villanueva de Alcorón", "Villanueva de Argecilla"},
        ),
        ("mesa", {"Algar de Mesa", "Villel de Mesa"}),
    ],
)
def test_equally_close_places_are_ambiguous(typed: str, expected: set[str]) -> None:
    """When several places are equally close, resolve names them instead of picking one."""
    with pytest.raises(AmbiguousPlace) as caught:
        resolve(typed)
    assert set(caught.value.candidates) == expected
    assert "ambiguous" in str(caught.value)


def test_every_official_name_resolves_to_itself(places: tuple[Municipality, ...]) -> None:
    """Each of the 288 official names, and its accent-less lower-case form, resolves to it."""
    for place in places:
        assert resolve(place.name).ine_code == place.ine_code
        assert resolve(normalise(place.name)).ine_code == place.ine_code


@dataclass(frozen=True)
class Stop:
    """A named stop as the database would hand it over."""

    key: int
    name: str


STOPS = [
    Stop(1, "Centro de Salud de Sigüenza"),
    Stop(2, "Centro de Salud de Molina de Aragón"),
    Stop(3, "Hospital Universitario de Guadalajara"),
    Stop(4, "Estación de tren de Sigüenza"),
]


def test_custom_candidates_are_searched_by_name() -> None:
    """Callers search their own keyed places (named stops) and get their keys back."""
    assert isinstance(STOPS[0], Searchable)
    best = search("centro salud siguenza", candidates=STOPS)[0]
    assert (best.key, best.name, best.ine_code) == (1, "Centro de Salud de Sigüenza", None)
    assert resolve("hospital guadalajara", candidates=STOPS).key == 3


def test_key_name_pairs_are_accepted_and_indexes_reused() -> None:
    """(key, name) pairs work as candidates, and a prepared PlaceIndex can be reused."""
    pairs = [("a", "Plaza Mayor de Brihuega"), ("b", "Plaza Mayor de Pastrana")]
    index = PlaceIndex(pairs)
    assert len(index) == 2
    assert search("plaza mayor pastrana", candidates=index)[0].key == "b"
    assert resolve("brihuega plaza mayor", candidates=index).key == "a"
    with pytest.raises(AmbiguousPlace):
        resolve("plaza mayor", candidates=index)


def test_bad_candidate_is_rejected() -> None:
    """A candidate without key and name is a TypeError naming it."""
    with pytest.raises(TypeError, match="needs a 'key'"):
        search("x", candidates=[object()])  # type: ignore[list-item]


def test_normalise_folds_accents_case_articles_and_punctuation() -> None:
    """Normalising drops accents, case, articles, prepositions and punctuation."""
    assert normalise("El Cardoso de la Sierra") == "cardoso sierra"
    assert normalise("Casar, El") == "casar"
    assert normalise("  PEÑALVER ") == "penalver"


_LONG_NAMES = [p for p in gazetteer() if len(normalise(p.name)) >= 7]


@st.composite
def one_typo(draw: st.DrawFn) -> tuple[str, Municipality]:
    """A gazetteer name (7+ significant letters) with one letter dropped, changed or added."""
    place = draw(st.sampled_from(_LONG_NAMES))
    text = normalise(place.name)
    at = draw(st.integers(0, len(text) - 1))
    letter = draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    edit = draw(st.sampled_from(["drop", "change", "add"]))
    if edit == "drop":
        typed = text[:at] + text[at + 1 :]
    elif edit == "change":
        typed = text[:at] + letter + text[at + 1 :]
    else:
        typed = text[:at] + letter + text[at:]
    return typed, place


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_typo())
def test_one_typo_keeps_the_place_in_the_top_three(case: tuple[str, Municipality]) -> None:
    """Any single-letter typo in a name of 7+ letters still lists that place in the top 3."""
    typed, place = case
    assert place.name in [m.name for m in search(typed, limit=3)]


@pytest.mark.parametrize(("typed", "official"), MISSPELLED)
def test_a_misspelled_village_says_nothing_beyond_its_name(typed: str, official: str) -> None:
    """Misspelt, shortened or reordered, a village's own name has no extra word (so a page
    keeps resolving it to the village)."""
    assert extra_words(typed, official) == ()


@pytest.mark.parametrize(
    ("typed", "name", "extra"),
    [("Centro de Salud, Sigüenza", "Sigüenza", ("centro", "salud")),
     ("Hospital de Sigüenza", "Sigüenza", ("hospital",)),
     ("Farmacia de Sigüenza", "Centro de Salud, Sigüenza", ("farmacia",)),
     ("Estación de Guadalajara", "Guadalajara", ("estacion",)),
     ("torre mocha campo", "Torremocha del Campo", ()),
     ("centro salud siguenza", "Centro de Salud, Sigüenza", ())],
)  # fmt: skip
def test_words_beyond_the_matched_name_are_extra(
    typed: str, name: str, extra: tuple[str, ...]
) -> None:
    """Words that name something inside the village are extra; articles never are."""
    assert extra_words(typed, name) == extra
