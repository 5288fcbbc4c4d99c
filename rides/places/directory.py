"""Places in the database: the province's municipalities and the named stops inside them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

import geo
from geo.gazetteer import gazetteer
from rides import audit
from rides.errors import NotFound
from rides.models import Person, Place, PlaceKind
from rides.validation import Checks, clean_note, clean_text


@dataclass(frozen=True)
class LoadResult:
    """What ``load_municipalities`` did, so operators see that a second run changes nothing."""

    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class StopSpec:
    """A named stop inside a municipality (health centre, station...) and where to wait."""

    name: str
    kind: PlaceKind
    municipality_id: int
    latitude: float
    longitude: float
    meeting_point: str | None = None


def load_municipalities(session: Session) -> LoadResult:
    """Insert or refresh the gazetteer's municipalities by INE code; idempotent.

    Meeting points that coordinators wrote are never overwritten.
    """
    existing = {
        place.ine_code: place
        for place in session.scalars(select(Place).where(Place.ine_code.is_not(None)))
    }
    created = updated = unchanged = 0
    for town in gazetteer():
        place = existing.get(town.ine_code)
        if place is None:
            session.add(
                Place(
                    name=town.name,
                    kind=PlaceKind.MUNICIPALITY,
                    ine_code=town.ine_code,
                    latitude=town.latitude,
                    longitude=town.longitude,
                    population=town.population,
                )
            )
            created += 1
            continue
        wanted = (town.name, town.latitude, town.longitude, town.population)
        if (place.name, place.latitude, place.longitude, place.population) == wanted:
            unchanged += 1
            continue
        place.name, place.latitude, place.longitude, place.population = wanted
        updated += 1
    session.flush()
    return LoadResult(created, updated, unchanged)


@dataclass(frozen=True)
class PlaceMatch:
    """A place found by a typed name, with how close the name was (0-100)."""

    place: Place
    label: str
    score: float


def place_label(place: Place) -> str:
    """How a place is shown: a stop with its town ("Centro de Salud, Sigüenza")."""
    if place.municipality is not None:
        return f"{place.name}, {place.municipality.name}"
    return place.name


def search_places(session: Session, query: str, limit: int = 5) -> list[PlaceMatch]:
    """Active places whose name is close to what was typed, best first (typos, no accents)."""
    places = {p.id: p for p in session.scalars(select(Place).where(Place.active.is_(True)))}
    candidates = [(place_id, place_label(place)) for place_id, place in places.items()]
    return [
        PlaceMatch(places[int(str(match.key))], match.name, match.score)
        for match in geo.search(query, limit=limit, candidates=candidates)
    ]


def add_stop(session: Session, spec: StopSpec, *, actor: Person | None = None) -> Place:
    """Create a named stop inside a municipality."""
    checks = Checks()
    name = clean_text(checks, "name", spec.name, max_length=160)
    if name is None and not checks.has("name"):
        checks.fail("name", "required", "A name is required.")
    meeting_point = clean_text(
        checks, "meeting_point", spec.meeting_point, max_length=300, multiline=True
    )
    if spec.kind == PlaceKind.MUNICIPALITY:
        checks.fail("kind", "invalid_kind", "Municipalities come from the gazetteer.")
    town = session.get(Place, spec.municipality_id)
    if town is None or town.kind != PlaceKind.MUNICIPALITY:
        checks.fail(
            "municipality_id",
            "unknown_place",
            "No municipality with id {id}.",
            id=spec.municipality_id,
        )
    if not -90 <= spec.latitude <= 90:
        checks.fail("latitude", "out_of_range", "Between -90 and 90.")
    if not -180 <= spec.longitude <= 180:
        checks.fail("longitude", "out_of_range", "Between -180 and 180.")
    checks.raise_if_any()
    stop = Place(
        name=name,
        kind=spec.kind,
        municipality_id=spec.municipality_id,
        latitude=spec.latitude,
        longitude=spec.longitude,
        meeting_point=meeting_point,
    )
    session.add(stop)
    session.flush()
    audit.record(session, actor, "add", "place", stop.id, name=stop.name)
    return stop


def set_meeting_point(
    session: Session, place: Place, text: str | None, *, actor: Person | None = None
) -> Place:
    """Describe where riders wait at a place ("in front of the town hall")."""
    place.meeting_point = clean_note("meeting_point", text)
    session.flush()
    audit.record(
        session, actor, "meeting_point", "place", place.id, meeting_point=place.meeting_point
    )
    return place


def get_place(session: Session, place_id: int) -> Place:
    """The place with this id, or NotFound."""
    place = session.get(Place, place_id)
    if place is None:
        raise NotFound("No place with id {id}.", id=place_id, fields={"id": "unknown"})
    return place


def find_municipality(session: Session, ine_code: str) -> Place | None:
    """The municipality with this INE code, if loaded."""
    return session.scalar(select(Place).where(Place.ine_code == ine_code))
