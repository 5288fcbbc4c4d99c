"""Places typed by name on the pages: the one that was meant, or the nearest names to choose.

A page sends what the person typed ("siguenza", "centro de salud molina"); the label picked
from the suggestions resolves exactly, a close spelling resolves when one place is clearly
meant, and otherwise the field is refused with a few names to choose from. A name that says
more than the village it matched ("Hospital de Sigüenza" when no such stop is known) is
refused too, offering the village's named stops and the village itself: the person meant a
particular place, and taking the village silently would send the car to the wrong door.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

import geo
from geo.search import SUGGESTION_SCORE, PlaceIndex, extra_words
from rides.models import Place
from rides.places.directory import PlaceMatch, place_label
from rides.validation import Checks, FieldError, InvalidInput

#: How many names a search or a refused field offers.
SUGGESTIONS = 5


@dataclass(frozen=True)
class _Candidate:
    """A place as the search index sees it: id, label and population (bigger town first)."""

    key: int
    name: str
    population: int


@dataclass(frozen=True)
class PlaceChoice:
    """What a typed name means: the place, or nothing and the nearest names."""

    query: str
    place: Place | None
    suggestions: tuple[PlaceMatch, ...] = ()


class PlaceNotResolved(InvalidInput):
    """Some typed places are unknown or unclear; ``suggestions`` holds names per field."""

    def __init__(
        self, errors: list[FieldError], suggestions: Mapping[str, tuple[PlaceMatch, ...]]
    ) -> None:
        super().__init__(errors)
        self.suggestions = dict(suggestions)


@dataclass
class _Places:
    """The active places and their search index, built once per call."""

    by_id: dict[int, Place]
    index: PlaceIndex
    labels: dict[str, list[int]] = field(default_factory=dict)


def _places(session: Session) -> _Places:
    active = {p.id: p for p in session.scalars(select(Place).where(Place.active.is_(True)))}
    candidates = [_Candidate(pid, place_label(p), p.population or 0) for pid, p in active.items()]
    labels: dict[str, list[int]] = {}
    for candidate in candidates:
        labels.setdefault(_exact(candidate.name), []).append(candidate.key)
    return _Places(active, PlaceIndex(candidates), labels)


def _exact(text: str) -> str:
    return " ".join(text.casefold().split())


def _matches(places: _Places, query: str, min_score: float | None = None) -> list[PlaceMatch]:
    found = (
        places.index.search(query, SUGGESTIONS)
        if min_score is None
        else places.index.search(query, SUGGESTIONS, min_score=min_score)
    )
    return [PlaceMatch(places.by_id[int(str(m.key))], m.name, m.score) for m in found]


def suggest_places(session: Session, query: str) -> list[PlaceMatch]:
    """Places whose name is close to what is being typed, best first (for the search box).

    While typing, a name that starts with the letters so far comes first ("siguen" is
    Sigüenza before Paredes de Sigüenza), then the fuzzy score decides.
    """
    typed = geo.normalise(query)
    matches = _matches(_places(session), query)
    return sorted(matches, key=lambda m: not geo.normalise(m.label).startswith(typed))


def _resolve(places: _Places, text: str) -> PlaceChoice:
    query = text.strip()
    exact = places.labels.get(_exact(query), [])
    if len(exact) == 1:
        return PlaceChoice(query, places.by_id[exact[0]])
    try:
        match = places.index.resolve(query)
    except (geo.PlaceNotFound, geo.AmbiguousPlace):
        return PlaceChoice(query, None, tuple(_matches(places, query, SUGGESTION_SCORE)))
    place = places.by_id[int(str(match.key))]
    if extra_words(query, match.name):
        # "Hospital de Sigüenza" matched Sigüenza (or one of its stops) on the village's
        # name alone: the words that named the place meant are not in what was matched.
        village = place.municipality if place.municipality_id is not None else place
        return PlaceChoice(query, None, _inside(places, village or place, query))
    return PlaceChoice(query, place)


def _inside(places: _Places, village: Place, query: str) -> tuple[PlaceMatch, ...]:
    """What a name saying more than ``village`` may mean: the village's named stops (closest
    to what was typed first), then the village itself."""
    stops = {p.id: p for p in places.by_id.values() if p.municipality_id == village.id}
    labels = [(stop_id, place_label(stop)) for stop_id, stop in stops.items()]
    found = geo.search(query, SUGGESTIONS - 1, labels, min_score=0.0) if labels else []
    matches = [PlaceMatch(stops[int(str(m.key))], m.name, m.score) for m in found]
    if not village.active:
        return tuple(matches)
    return (*matches, PlaceMatch(village, place_label(village), 100.0))


def resolve_place(session: Session, text: str) -> PlaceChoice:
    """The place a typed name means, or None with the nearest names."""
    return _resolve(_places(session), text)


def resolve_fields(
    session: Session, texts: Mapping[str, str | None], optional: frozenset[str] = frozenset()
) -> dict[str, Place | None]:
    """Resolve several typed places at once (field name -> text); all problems reported together.

    Raises PlaceNotResolved naming each field that is empty (unless optional), unknown or
    unclear, with the names to choose from.
    """
    places = _places(session)
    checks = Checks()
    suggestions: dict[str, tuple[PlaceMatch, ...]] = {}
    resolved: dict[str, Place | None] = {}
    for name, text in texts.items():
        if not text or not text.strip():
            resolved[name] = None
            if name not in optional:
                checks.fail(name, "required", "Write the name of the village or place.")
            continue
        choice = _resolve(places, text)
        resolved[name] = choice.place
        if choice.place is not None:
            continue
        if choice.suggestions:
            suggestions[name] = choice.suggestions
            checks.fail(name, "place_unclear", "Which place do you mean? Choose one below.")
        else:
            checks.fail(
                name, "unknown_place_name", "We do not know '{name}'. Check the spelling.",
                name=choice.query,
            )  # fmt: skip
    if checks.errors:
        raise PlaceNotResolved(checks.errors, suggestions)
    return resolved
