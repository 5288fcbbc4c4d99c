"""Named stops people actually go to, imported from a CSV file: idempotent, all or nothing.

The file has a header and one stop per line::

    name,kind,municipality,latitude,longitude,meeting_point
    Centro de Salud,health_centre,19257,41.0690,-2.6411,Main door on Calle Medina

``municipality`` is the village's INE code or its name as the gazetteer spells it; ``kind`` is
one of the place kinds other than ``municipality``; without coordinates a stop sits at its
village. A stop is known by its village and its name (letter case aside): importing the same
file again changes nothing, and a line whose coordinates or meeting point differ updates it.
Any wrong line refuses the whole file with every problem named by line and column.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rides import audit
from rides.models import Person, Place, PlaceKind
from rides.validation import Checks

COLUMNS = ("name", "kind", "municipality", "latitude", "longitude", "meeting_point")
REQUIRED = ("name", "kind", "municipality")
#: A stop more than this far (in degrees, about 11 km) from its village is surely misplaced.
MAX_OFFSET_DEG = 0.1


@dataclass(frozen=True)
class ImportResult:
    """What an import did: a second run of the same file says 0 created, 0 updated."""

    created: int
    updated: int
    unchanged: int


def parse_stops_csv(text: str) -> list[dict[str, str]]:
    """The file's lines as dicts of its columns (refusing unknown or missing columns)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    checks = Checks()
    header = tuple(reader.fieldnames or ())
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing:
        checks.fail("header", "missing_column", "Missing column(s): {names}.",
                    names=", ".join(missing))  # fmt: skip
    if unknown:
        checks.fail("header.unknown", "unknown_column", "Unknown column(s): {names}.",
                    names=", ".join(unknown))  # fmt: skip
    checks.raise_if_any()
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def import_stops(
    session: Session, rows: Iterable[Mapping[str, str]], *, actor: Person | None = None
) -> ImportResult:
    """Create or update the stops of ``rows``; nothing is written if any line is wrong."""
    towns = _towns(session)
    checks = Checks()
    wanted: list[tuple[Place, str, PlaceKind, float, float, str | None]] = []
    for number, row in enumerate(rows, start=2):
        checked = _check_row(checks, number, row, towns)
        if checked is not None:
            wanted.append(checked)
    checks.raise_if_any()
    existing = {
        (p.municipality_id, _key(p.name)): p
        for p in session.scalars(select(Place).where(Place.municipality_id.is_not(None)))
    }
    created = updated = unchanged = 0
    for town, name, kind, lat, lon, meeting in wanted:
        place = existing.get((town.id, _key(name)))
        if place is None:
            place = Place(name=name, kind=kind, municipality_id=town.id, latitude=lat,
                          longitude=lon, meeting_point=meeting)  # fmt: skip
            session.add(place)
            existing[(town.id, _key(name))] = place
            created += 1
        elif (place.kind, place.latitude, place.longitude, place.meeting_point, place.active) == (
            kind,
            lat,
            lon,
            meeting,
            True,
        ):
            unchanged += 1
        else:
            place.kind, place.latitude, place.longitude = kind, lat, lon
            place.meeting_point, place.active = meeting, True
            updated += 1
    session.flush()
    audit.record(session, actor, "import", "place", None, created=created, updated=updated)
    return ImportResult(created, updated, unchanged)


def _check_row(
    checks: Checks, number: int, row: Mapping[str, str], towns: Mapping[str, Place]
) -> tuple[Place, str, PlaceKind, float, float, str | None] | None:
    """One line checked: its village, kind and coordinates, or its problems recorded."""
    where = f"line {number}"
    name, kind_text = row.get("name", ""), row.get("kind", "")
    town = towns.get(_key(row.get("municipality", "")))
    before = len(checks.errors)
    if not name:
        name_field = f"{where}.name"
        checks.fail(name_field, "required", "A name is required.")
    town_field = f"{where}.municipality"
    if town is None:
        checks.fail(town_field, "unknown_municipality",
                    "No municipality of the province is called or coded '{value}'.",
                    value=row.get("municipality", ""))  # fmt: skip
    kinds = [k.value for k in PlaceKind if k != PlaceKind.MUNICIPALITY]
    kind_field = f"{where}.kind"
    if kind_text not in kinds:
        checks.fail(kind_field, "invalid_kind",
                    "The kind must be one of: {kinds}.", kinds=", ".join(kinds))  # fmt: skip
    lat, lon = _coordinates(checks, where, row, town)
    if len(checks.errors) > before or town is None:
        return None
    meeting = row.get("meeting_point") or None
    return town, name, PlaceKind(kind_text), lat, lon, meeting


def _coordinates(
    checks: Checks, where: str, row: Mapping[str, str], town: Place | None
) -> tuple[float, float]:
    lat_text, lon_text = row.get("latitude", ""), row.get("longitude", "")
    if not lat_text and not lon_text:
        return (town.latitude, town.longitude) if town is not None else (0.0, 0.0)
    field = f"{where}.latitude"
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        checks.fail(
            field,
            "not_a_number",
            "Latitude and longitude are numbers with a decimal point, e.g. 41.0690.",
        )
        return 0.0, 0.0
    if town is not None and (
        abs(lat - town.latitude) > MAX_OFFSET_DEG or abs(lon - town.longitude) > MAX_OFFSET_DEG
    ):
        checks.fail(field, "far_from_municipality",
                    "The point is more than 10 km from {town}: check the coordinates.",
                    town=town.name)  # fmt: skip
    return lat, lon


def _towns(session: Session) -> dict[str, Place]:
    """Municipalities by INE code and by name (accents and case aside)."""
    towns: dict[str, Place] = {}
    for town in session.scalars(select(Place).where(Place.ine_code.is_not(None))):
        towns[_key(town.ine_code or "")] = town
        towns[_key(town.name)] = town
    return towns


def _key(text: str) -> str:
    """A name compared without accents or letter case."""
    plain = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in plain if not unicodedata.combining(c))
