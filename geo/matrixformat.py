"""The matrix file's formats and what a file holds: its table and its provenance.

Two formats, chosen by the file's suffix:

* ``.csv``: long format, UTF-8, header ``from,to,distance_m,time_s``, one row per ordered
  pair; pairs not listed are left to the fallback provider.
* ``.npz``: numpy archive with ``keys`` (N strings or integers), ``distance_m`` and
  ``time_s`` (N x N numbers, every pair given); written without pickling.

Either may carry its provenance (:class:`MatrixProvenance`: engine, URL, dates, places and
the pairs the engine could not route): in a CSV as a first line ``# provenance: {json}``,
in an NPZ as a ``provenance`` array holding the same JSON text. Files without it still load.
Reading is :mod:`geo.matrixread`, writing :mod:`geo.matrixwrite`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from geo.errors import MatrixFileError
from geo.points import Place

CSV_HEADER = ("from", "to", "distance_m", "time_s")
NPZ_ARRAYS = ("keys", "distance_m", "time_s")
CSV_PROVENANCE = "# provenance: "
PROVENANCE_FORMAT = "rural-cars matrix provenance 1"


@dataclass(frozen=True, slots=True)
class MatrixProvenance:
    """Where a matrix file's numbers came from, so a plan can name the times it was built on.

    It also makes updates incremental: a place whose key and coordinates are already in the
    file keeps its row and column; only new or moved places are sent to the engine again.

    Attributes:
        engine: the routing engine (``"osrm"``, ``"valhalla"``).
        url: its base URL at the last update.
        profile: the engine's profile or costing (``"driving"``, ``"auto"``).
        created: ISO 8601 UTC time of the first computation.
        updated: ISO 8601 UTC time of the last (incremental) update.
        places: every row's place (key, name, coordinates sent to the engine), in file order.
        estimated: ordered pairs the engine found no road for, filled from the travel model
            because the operator allowed it (``--allow-unroutable``).
    """

    engine: str
    url: str
    profile: str
    created: str
    updated: str
    places: tuple[Place, ...]
    estimated: tuple[tuple[str, str], ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        """The place keys, in file order."""
        return tuple(place.key for place in self.places)

    def to_json(self) -> str:
        """Return the provenance as one line of JSON (what the file stores)."""
        return json.dumps(
            {
                "format": PROVENANCE_FORMAT,
                "engine": self.engine,
                "url": self.url,
                "profile": self.profile,
                "created": self.created,
                "updated": self.updated,
                "places": [
                    {"id": p.key, "name": p.name, "lat": p.latitude, "lon": p.longitude}
                    for p in self.places
                ],
                "estimated": [list(pair) for pair in self.estimated],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str, where: str) -> MatrixProvenance:
        """Read provenance JSON, naming ``where`` (file and line) in any error."""
        try:
            data = json.loads(text)
            if data.get("format") != PROVENANCE_FORMAT:
                raise MatrixFileError(
                    f"{where}: provenance format {data.get('format')!r}, "
                    f"expected {PROVENANCE_FORMAT!r}"
                )
            places = tuple(
                Place(str(p["id"]), str(p["name"]), float(p["lat"]), float(p["lon"]))
                for p in data["places"]
            )
            estimated = tuple((str(a), str(b)) for a, b in data.get("estimated", ()))
            return cls(
                engine=str(data["engine"]),
                url=str(data["url"]),
                profile=str(data["profile"]),
                created=str(data["created"]),
                updated=str(data["updated"]),
                places=places,
                estimated=estimated,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            if isinstance(error, MatrixFileError):
                raise
            raise MatrixFileError(f"{where}: unreadable provenance ({error!r})") from None


@dataclass(frozen=True, slots=True)
class MatrixTable:
    """A loaded matrix file: keys and dense matrices, NaN where the file gives no value."""

    keys: tuple[str, ...]
    distance_m: np.ndarray
    time_s: np.ndarray
    provenance: MatrixProvenance | None = None

    @property
    def index(self) -> dict[str, int]:
        """Map each key to its row."""
        return {key: row for row, key in enumerate(self.keys)}
