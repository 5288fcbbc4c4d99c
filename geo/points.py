"""Points on the map: what travel matrices accept, and how they are read."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeAlias, runtime_checkable

import numpy as np

from geo.errors import InvalidPointError


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
