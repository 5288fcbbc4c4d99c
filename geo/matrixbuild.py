"""Build or extend a matrix file from a routing engine, asking only for what is new.

A full province matrix is 288 x 288 pairs and grows with every named stop; recomputing it
all for one new health centre would cost minutes of engine time and risk changing times
the published plans were built on. So an update keeps every row and column of a place
whose key and coordinates are already in the file's provenance and requests only:

* the new (or moved) places' rows: new x all places, and
* their columns from the places kept: kept x new.

The file is only replaced when every requested pair is known (or allowed to be estimated),
so a failed run leaves the previous file as it was.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from geo.engines.http import MatrixEngine, Progress
from geo.engines.matrix import fill_unroutable, iter_chunks
from geo.errors import MatrixFileError
from geo.matrixformat import MatrixProvenance, MatrixTable
from geo.matrixread import load_matrix_file
from geo.matrixwrite import write_matrix_file
from geo.points import Place, PointLike, as_points
from geo.providers import TravelTimeProvider

#: Coordinates closer than this (degrees, about 1 cm) are the same place: no recomputation.
SAME_POINT_DEG = 1e-7


@dataclass(frozen=True, slots=True)
class MatrixPlan:
    """What an update will do, known before any request (so a progress bar knows its length).

    Attributes:
        path: the matrix file.
        places: every place of the updated file, in file order (kept ones first).
        new: positions in ``places`` of the places to compute (new or moved).
        existing: the file as it was, or None when it is built from nothing.
    """

    path: Path
    places: tuple[Place, ...]
    new: tuple[int, ...]
    existing: MatrixTable | None

    @property
    def kept(self) -> tuple[int, ...]:
        """Positions of the places whose rows and columns are reused."""
        fresh = set(self.new)
        return tuple(i for i in range(len(self.places)) if i not in fresh)

    @property
    def pairs(self) -> int:
        """How many ordered pairs (diagonal included) will be requested from the engine."""
        n, new = len(self.places), len(self.new)
        return new * n + (n - new) * new


@dataclass(frozen=True, slots=True)
class MatrixUpdate:
    """What an update did, for the operator.

    Attributes:
        path: the file written.
        places: places (rows) in it now.
        computed: keys of the places whose rows and columns were asked for.
        kept: places whose rows and columns came from the file as it was.
        pairs: ordered pairs asked for.
        requests: requests sent (retries not counted).
        estimated: pairs without a road estimated by the fallback in this update.
        provenance: the provenance written with the file.
    """

    path: Path
    places: int
    computed: tuple[str, ...]
    kept: int
    pairs: int
    requests: int
    estimated: tuple[tuple[str, str], ...]
    provenance: MatrixProvenance


def _places(points: Sequence[PointLike]) -> tuple[Place, ...]:
    """Read the places to route: each needs a key (its row) and coordinates; keys are unique."""
    point_set = as_points(points)
    chosen: dict[str, Place] = {}
    for position, (point, key) in enumerate(zip(points, point_set.keys, strict=True)):
        if key is None:
            raise MatrixFileError(f"place {position} ({point!r}) has no key to name its row")
        place = Place(
            key,
            str(getattr(point, "name", key)),
            float(point_set.latitude[position]),
            float(point_set.longitude[position]),
        )
        if key in chosen and not _same_point(chosen[key], place):
            raise MatrixFileError(
                f"place {key!r} is given twice with different coordinates "
                f"({chosen[key].latitude}, {chosen[key].longitude}) and "
                f"({place.latitude}, {place.longitude})"
            )
        chosen.setdefault(key, place)
    if len(chosen) < 2:
        raise MatrixFileError(f"a travel matrix needs at least 2 places, got {len(chosen)}")
    return tuple(chosen.values())


def _same_point(a: Place, b: Place) -> bool:
    """Tell whether two places sit on the same coordinates."""
    return (
        abs(a.latitude - b.latitude) < SAME_POINT_DEG
        and abs(a.longitude - b.longitude) < SAME_POINT_DEG
    )


def plan_matrix_update(
    path: str | os.PathLike[str],
    points: Sequence[PointLike],
    engine: MatrixEngine,
    *,
    rebuild: bool = False,
) -> MatrixPlan:
    """Decide which places an update must compute, reading the existing file if there is one.

    Places of the file that are not in ``points`` are kept (nothing computed is thrown away);
    a place of ``points`` whose key is in the file with other coordinates is computed again.

    Args:
        path: the matrix file (``.npz`` or ``.csv``), existing or not.
        points: the places wanted, each with a ``key`` (INE code or place id) and
            coordinates, and optionally a ``name``.
        engine: the engine that will answer (it must be the one the file was built with).
        rebuild: ignore an existing file and compute everything.

    Returns:
        The plan, to pass to :func:`run_matrix_update`.

    Raises:
        MatrixFileError: a place has no key or two coordinates, the existing file is broken,
            has no provenance, or was computed by another engine or profile.
    """
    path = Path(path)
    wanted = _places(points)
    if rebuild or not path.exists():
        return MatrixPlan(path, wanted, tuple(range(len(wanted))), None)
    existing = load_matrix_file(path, check_keys=False)
    origin = existing.provenance
    if origin is None:
        raise MatrixFileError(
            f"{path}: has no provenance (not written by 'rural-cars geo matrix'), so its "
            "places' coordinates are unknown; rebuild it whole (--rebuild)"
        )
    if (origin.engine, origin.profile) != (engine.name, engine.profile):
        raise MatrixFileError(
            f"{path}: was computed by {origin.engine} ({origin.profile}) at {origin.url}, not "
            f"{engine.name} ({engine.profile}); one file holds one engine's times: rebuild it "
            "whole (--rebuild) or write another file"
        )
    by_key = {place.key: place for place in wanted}
    places: list[Place] = []
    new: list[int] = []
    for place in origin.places:
        given = by_key.pop(place.key, None)
        if given is not None and not _same_point(given, place):
            new.append(len(places))
        places.append(given or place)
    for place in by_key.values():
        new.append(len(places))
        places.append(place)
    return MatrixPlan(path, tuple(places), tuple(new), existing)


def run_matrix_update(
    plan: MatrixPlan,
    engine: MatrixEngine,
    *,
    fallback: TravelTimeProvider | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> MatrixUpdate:
    """Request the plan's new rows and columns, merge them with the kept ones and write the file.

    Args:
        plan: from :func:`plan_matrix_update`.
        engine: the routing engine client.
        fallback: provider for pairs without a road (the travel model when the operator
            allows unroutable pairs); None makes such a pair an error, at the first chunk
            that has one, before the file is touched.
        progress: called with the number of pairs each request answered.
        now: the time to record (UTC now by default).

    Returns:
        What was computed, kept and estimated, and the provenance written.

    Raises:
        RoutingEngineError: a request failed after its retries.
        UnroutablePairError: a pair has no road and there is no fallback.
    """
    places, n = plan.places, len(plan.places)
    time_s, distance_m = np.full((n, n), np.nan), np.full((n, n), np.nan)
    estimated: list[tuple[str, str]] = []
    kept = list(plan.kept)
    if plan.existing is not None and kept:
        index = plan.existing.index
        old = [index[places[i].key] for i in kept]
        time_s[np.ix_(kept, kept)] = plan.existing.time_s[np.ix_(old, old)]
        distance_m[np.ix_(kept, kept)] = plan.existing.distance_m[np.ix_(old, old)]
        keys = {places[i].key for i in kept}
        assert plan.existing.provenance is not None  # checked by plan_matrix_update
        estimated = [p for p in plan.existing.provenance.estimated if set(p) <= keys]
    new = list(plan.new)
    blocks = [(new, list(range(n)))] + ([(kept, new)] if kept and new else [])
    requests = 0
    for rows, cols in blocks:
        origins, destinations = [places[i] for i in rows], [places[j] for j in cols]
        for row_slice, col_slice, chunk in iter_chunks(engine, origins, destinations):
            requests += 1
            chunk, filled = fill_unroutable(
                engine, chunk, origins[row_slice], destinations[col_slice], fallback
            )
            estimated.extend(filled)
            cells = np.ix_(rows[row_slice], cols[col_slice])
            time_s[cells], distance_m[cells] = chunk.time_s, chunk.distance_m
            if progress is not None:
                progress(chunk.time_s.size)
    np.fill_diagonal(time_s, 0.0)
    np.fill_diagonal(distance_m, 0.0)
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")
    previous = plan.existing.provenance if plan.existing is not None else None
    provenance = MatrixProvenance(
        engine=engine.name,
        url=engine.url,
        profile=engine.profile,
        created=previous.created if previous is not None else stamp,
        updated=stamp,
        places=places,
        estimated=tuple(sorted(set(estimated))),
    )
    write_matrix_file(plan.path, provenance.keys, distance_m, time_s, provenance)
    new_estimates = {
        pair for pair in estimated if previous is None or pair not in set(previous.estimated)
    }
    return MatrixUpdate(
        path=plan.path,
        places=n,
        computed=tuple(places[i].key for i in new),
        kept=len(kept),
        pairs=plan.pairs,
        requests=requests,
        estimated=tuple(sorted(new_estimates)),
        provenance=provenance,
    )
