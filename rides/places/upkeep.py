"""Coordinators' upkeep of places: the named stops inside villages and where riders wait."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rides.errors import NotFound
from rides.models import Person, Place, PlaceKind
from rides.places import directory
from rides.places.directory import StopSpec


@dataclass(frozen=True)
class NewStop:
    """A stop as a coordinator describes it; without coordinates it sits at its village."""

    name: str
    kind: PlaceKind
    latitude: float | None = None
    longitude: float | None = None
    meeting_point: str | None = None


def named_stops(session: Session) -> list[Place]:
    """Every stop that is not a village itself, by village then name."""
    query = (
        select(Place)
        .where(Place.municipality_id.is_not(None))
        .options(selectinload(Place.municipality))
        .order_by(Place.name, Place.id)
    )
    return sorted(
        session.scalars(query),
        key=lambda p: (p.municipality.name if p.municipality else "", p.name),
    )


def get_municipality(session: Session, place_id: int) -> Place:
    """The village with this id, or NotFound."""
    place = session.get(Place, place_id)
    if place is None or place.kind != PlaceKind.MUNICIPALITY:
        raise NotFound("No municipality with id {id}.", id=place_id, fields={"id": "unknown"})
    return place


def add_stop_in(
    session: Session, municipality: Place, stop: NewStop, *, actor: Person | None = None
) -> Place:
    """Add a named stop inside ``municipality`` (at its coordinates unless others are given)."""
    spec = StopSpec(
        name=stop.name,
        kind=stop.kind,
        municipality_id=municipality.id,
        latitude=municipality.latitude if stop.latitude is None else stop.latitude,
        longitude=municipality.longitude if stop.longitude is None else stop.longitude,
        meeting_point=stop.meeting_point.strip() if stop.meeting_point else None,
    )
    return directory.add_stop(session, spec, actor=actor)
