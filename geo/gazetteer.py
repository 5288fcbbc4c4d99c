"""The embedded gazetteer: the 288 municipalities of the Province of Guadalajara."""

from __future__ import annotations

import csv
import functools
import io
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from geo.errors import UnknownMunicipalityError

_DATA_FILE = "municipalities.csv"
_BOUNDARIES_FILE = "municipality-boundaries.geojson"
_COLUMNS = ("ine_code", "name", "latitude", "longitude", "population")


@dataclass(frozen=True, slots=True)
class Municipality:
    """One municipality: its INE code, official name, main-town point and population."""

    ine_code: str
    name: str
    latitude: float
    longitude: float
    population: int

    @property
    def key(self) -> str:
        """The INE code, so a municipality can be searched and routed like any keyed place."""
        return self.ine_code


@functools.cache
def gazetteer() -> tuple[Municipality, ...]:
    """Return every municipality of the province, sorted by INE code.

    The CSV shipped in ``geo/data`` is read on the first call only.

    Returns:
        The 288 municipalities, each a frozen :class:`Municipality`.
    """
    text = resources.files("geo").joinpath("data", _DATA_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    missing = set(_COLUMNS) - set(reader.fieldnames or ())
    if missing:  # pragma: no cover - guards the shipped file against a bad edit
        raise RuntimeError(f"{_DATA_FILE} lacks columns {sorted(missing)}")
    places = tuple(
        Municipality(
            ine_code=row["ine_code"],
            name=unicodedata.normalize("NFC", row["name"]),
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            population=int(row["population"]),
        )
        for row in reader
    )
    return tuple(sorted(places, key=lambda place: place.ine_code))


@functools.cache
def _by_code() -> dict[str, Municipality]:
    """Index the gazetteer by INE code once."""
    return {place.ine_code: place for place in gazetteer()}


def municipality(ine_code: str) -> Municipality:
    """Return the municipality with this INE code.

    Args:
        ine_code: the 5-digit INE code, e.g. ``"19257"`` for Sigüenza.

    Returns:
        The matching :class:`Municipality`.

    Raises:
        UnknownMunicipalityError: no municipality of the province has that code (it is both a
            ``KeyError`` and a ``ValueError``).
    """
    try:
        return _by_code()[str(ine_code).strip()]
    except KeyError:
        raise UnknownMunicipalityError(str(ine_code)) from None


def boundaries_file() -> Path:
    """The shipped GeoJSON of the 288 municipal boundaries (IGN, CC BY 4.0; see
    ``geo/data/README.md``): a file, so a web server can send it with its date and ETag and
    a map can draw the province without any tile server."""
    return Path(str(resources.files("geo").joinpath("data", _BOUNDARIES_FILE)))
