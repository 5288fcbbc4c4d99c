"""Points on the map: what travel matrices accept, and how they are read."""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeAlias, runtime_checkable

import numpy as np

from geo.errors import InvalidPointError, PlacesFileError


@runtime_checkable
class Located(Protocol):
    """Anything with WGS84 coordinates in decimal degrees (a Municipality, a stop...)."""

    @property
    def latitude(self) -> float:
        """Latitude in decimal degrees, north positive."""
        ...

    @property
    def longitude(self) -> float:
        """Longitude in decimal degrees, east positive."""
        ...


#: What travel matrices accept: located objects (optionally with a ``key``) or (lat, lon) pairs.
PointLike: TypeAlias = Located | tuple[float, float]


@dataclass(frozen=True, slots=True)
class GeoPoint:
    """A located point with where it came from: the answer of :func:`geo.geocode`."""

    latitude: float
    longitude: float
    label: str
    source: str
    ine_code: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A keyed, named point that is not a municipality: a named stop such as a health centre.

    Routing-engine matrices and calibration need a stable key per point to store and look up
    its row; municipalities have their INE code, other places bring their own (database id).
    """

    key: str
    name: str
    latitude: float
    longitude: float


PLACE_COLUMNS = ("id", "name", "lat", "lon")


def read_places(path: str | os.PathLike[str]) -> tuple[Place, ...]:
    """Read extra places (named stops) from a CSV or JSON file, checking every row.

    The formats are the ones an operator can export from anything: CSV with the header
    ``id,name,lat,lon``, or JSON, a list of objects with those four fields.

    Args:
        path: a ``.csv`` or ``.json`` file.

    Returns:
        The places in file order.

    Raises:
        PlacesFileError: the file is missing, of another type, or a row lacks a field, has
            bad coordinates or repeats an id; the message names the file and the row.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise PlacesFileError(f"{path}: unsupported places file type {suffix!r}; use .csv or .json")
    if not path.is_file():
        raise PlacesFileError(f"{path}: no such places file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlacesFileError(f"{path}: not UTF-8 text ({error.reason})") from None
    rows: list[tuple[str, object]] = []
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise PlacesFileError(f"{path}: not JSON ({error})") from None
        if not isinstance(data, list):
            raise PlacesFileError(f"{path}: expected a JSON list of {{id, name, lat, lon}}")
        rows = [(f"item {number}", item) for number, item in enumerate(data)]
    else:
        reader = csv.DictReader(text.splitlines())
        missing = set(PLACE_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise PlacesFileError(
                f"{path}: line 1: header lacks {', '.join(sorted(missing))}; "
                f"expected {','.join(PLACE_COLUMNS)}"
            )
        rows = [(f"line {reader.line_num}", row) for row in reader]
    places: list[Place] = []
    seen: dict[str, str] = {}
    for where, row in rows:
        place = _place(row, f"{path}: {where}")
        if place.key in seen:
            raise PlacesFileError(
                f"{path}: {where}: duplicate id {place.key!r}, first given at {seen[place.key]}"
            )
        seen[place.key] = where
        places.append(place)
    return tuple(places)


def _place(row: object, where: str) -> Place:
    """Check one row of a places file and return it as a Place."""
    if not isinstance(row, dict):
        raise PlacesFileError(f"{where}: expected an object with {', '.join(PLACE_COLUMNS)}")
    values = {column: row.get(column) for column in PLACE_COLUMNS}
    for column, value in values.items():
        if value is None or not str(value).strip():
            raise PlacesFileError(f"{where}: missing {column}")
    key, name = str(values["id"]).strip(), str(values["name"]).strip()
    try:
        point = as_points([(float(values["lat"]), float(values["lon"]))])  # type: ignore[arg-type]
    except (TypeError, ValueError, InvalidPointError):
        raise PlacesFileError(
            f"{where}: bad coordinates lat={values['lat']!r} lon={values['lon']!r}"
        ) from None
    return Place(key, name, float(point.latitude[0]), float(point.longitude[0]))


@dataclass(frozen=True, slots=True)
class PointSet:
    """Points read into arrays: keys (None where a point has none), latitudes, longitudes."""

    keys: tuple[str | None, ...]
    latitude: np.ndarray
    longitude: np.ndarray

    def __len__(self) -> int:
        """Count the points."""
        return len(self.keys)


def _key_of(point: object) -> str | None:
    """Return a point's key as text, or None when it has none."""
    key = getattr(point, "key", None)
    if key is None:
        return None
    if not isinstance(key, Hashable):
        raise InvalidPointError(f"point key {key!r} is not hashable")
    return str(key)


def as_points(points: Sequence[PointLike]) -> PointSet:
    """Read points of any accepted shape into arrays, validating every coordinate.

    Args:
        points: located objects (with ``latitude`` and ``longitude``, optionally ``key``)
            or ``(latitude, longitude)`` pairs, which have no key.

    Returns:
        A :class:`PointSet` in the same order.

    Raises:
        InvalidPointError: a point has no coordinates, or they are not finite numbers within
            ±90° latitude and ±180° longitude; the message gives its position.
    """
    keys: list[str | None] = []
    lats: list[float] = []
    lons: list[float] = []
    for position, point in enumerate(points):
        if isinstance(point, tuple | list) and len(point) == 2:
            lat, lon, key = point[0], point[1], None
        elif hasattr(point, "latitude") and hasattr(point, "longitude"):
            lat, lon, key = point.latitude, point.longitude, _key_of(point)
        else:
            raise InvalidPointError(
                f"point {position} ({point!r}) is neither a (latitude, longitude) pair "
                "nor an object with latitude and longitude"
            )
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            raise InvalidPointError(
                f"point {position} has non-numeric coordinates ({lat!r}, {lon!r})"
            ) from None
        if not (math.isfinite(lat) and math.isfinite(lon)):
            raise InvalidPointError(f"point {position} has non-finite coordinates ({lat}, {lon})")
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise InvalidPointError(
                f"point {position} ({lat}, {lon}) is outside ±90° latitude / ±180° longitude"
            )
        keys.append(key)
        lats.append(lat)
        lons.append(lon)
    return PointSet(tuple(keys), np.array(lats, dtype=np.float64), np.array(lons, dtype=np.float64))
