"""A matrix of any size from an engine: chunked requests, and the unroutable-pair policy.

:func:`engine_matrix` splits a matrix into requests of at most ``chunk_size`` x ``chunk_size``
places and assembles them; :func:`fill_unroutable` applies the one policy for pairs without a
road (fail, or take the fallback provider's times and say which pairs); and
:class:`RoutingEngineProvider` makes an engine a :class:`geo.TravelTimeProvider`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

import numpy as np

from geo.engines.http import EngineTable, MatrixEngine, Progress
from geo.errors import UnroutablePairError
from geo.points import Place, PointLike, as_points
from geo.providers import TravelMatrix, TravelTimeProvider

log = logging.getLogger(__name__)


def _blocks(count: int, size: int) -> list[slice]:
    """Cut range(count) into consecutive slices of at most size."""
    return [slice(start, min(start + size, count)) for start in range(0, count, size)]


def iter_chunks(
    engine: MatrixEngine, origins: Sequence[Place], destinations: Sequence[Place]
) -> Iterator[tuple[slice, slice, EngineTable]]:
    """Ask the engine for origins x destinations, one chunk per request, as they come.

    Yields:
        ``(rows, cols, table)``: the slices of ``origins`` and ``destinations`` one request
        covered, and its answer. A caller can check or store each before the next is sent.

    Raises:
        RoutingEngineError: a request failed after its retries.
    """
    size = engine.chunk_size
    same = list(origins) == list(destinations)
    for rows in _blocks(len(origins), size):
        for cols in _blocks(len(destinations), size):
            sources = origins[rows]
            targets = sources if same and rows == cols else destinations[cols]
            yield rows, cols, engine.table(sources, targets)


def engine_matrix(
    engine: MatrixEngine,
    origins: Sequence[Place],
    destinations: Sequence[Place] | None = None,
    *,
    progress: Progress | None = None,
) -> EngineTable:
    """Return the engine's origins x destinations matrix, assembled from chunked requests.

    Args:
        engine: the routing engine client.
        origins: the row places.
        destinations: the column places; the origins when None.
        progress: called with the number of pairs each request answered.

    Returns:
        Seconds and metres (float, NaN where the engine found no road), rows in ``origins``
        order and columns in ``destinations`` order.

    Raises:
        RoutingEngineError: a request failed after its retries.
    """
    targets = origins if destinations is None else destinations
    shape = (len(origins), len(targets))
    time_s, distance_m = np.full(shape, np.nan), np.full(shape, np.nan)
    for rows, cols, chunk in iter_chunks(engine, origins, targets):
        time_s[rows, cols] = chunk.time_s
        distance_m[rows, cols] = chunk.distance_m
        if progress is not None:
            progress(chunk.time_s.size)
    return EngineTable(time_s, distance_m)


def fill_unroutable(
    engine: MatrixEngine,
    table: EngineTable,
    origins: Sequence[Place],
    destinations: Sequence[Place],
    fallback: TravelTimeProvider | None,
) -> tuple[EngineTable, tuple[tuple[str, str], ...]]:
    """Apply the unroutable policy: fail, or take the fallback's values and say which pairs.

    Args:
        engine: the engine that answered (named in the error).
        table: its origins x destinations answer.
        origins: the row places.
        destinations: the column places.
        fallback: the provider for pairs without a road (the travel model), or None to fail.

    Returns:
        The table with every pair finite, and the ``(from, to)`` keys of the pairs filled.

    Raises:
        UnroutablePairError: a pair has no road and there is no fallback; names the first
            such pair and how many there are.
    """
    missing = np.argwhere(table.unroutable)
    if not len(missing):
        return table, ()
    pairs = tuple((origins[i].key, destinations[j].key) for i, j in missing.tolist())
    if fallback is None:
        raise UnroutablePairError(
            engine.name,
            engine.url,
            f"no road found ({len(pairs)} of the {table.time_s.size} pairs asked have none); "
            "move the place onto a "
            "road, or allow unroutable pairs to estimate them with the travel model",
            pairs[0],
        )
    involved = sorted({i for i, _ in missing.tolist()}), sorted({j for _, j in missing.tolist()})
    points = [origins[i] for i in involved[0]] + [destinations[j] for j in involved[1]]
    estimate = fallback.matrix(points)
    row = {i: k for k, i in enumerate(involved[0])}
    col = {j: len(involved[0]) + k for k, j in enumerate(involved[1])}
    time_s, distance_m = table.time_s.copy(), table.distance_m.copy()
    for i, j in missing.tolist():
        time_s[i, j] = estimate.time_s[row[i], col[j]]
        distance_m[i, j] = estimate.distance_m[row[i], col[j]]
    return EngineTable(time_s, distance_m), pairs


def as_places(points: Sequence[PointLike]) -> tuple[Place, ...]:
    """Return points as Places: their key and name, or ``point N`` when they have none."""
    point_set = as_points(points)
    places = []
    for position, (point, key) in enumerate(zip(points, point_set.keys, strict=True)):
        label = key if key is not None else f"point {position}"
        places.append(
            Place(
                label,
                str(getattr(point, "name", label)),
                float(point_set.latitude[position]),
                float(point_set.longitude[position]),
            )
        )
    return tuple(places)


class RoutingEngineProvider:
    """Travel times asked live from a routing engine, for a deployment without a matrix file."""

    def __init__(self, engine: MatrixEngine, fallback: TravelTimeProvider | None = None) -> None:
        """Use ``engine`` for every matrix.

        Args:
            engine: an :class:`OsrmEngine`, :class:`ValhallaEngine` or any MatrixEngine.
            fallback: provider for pairs the engine finds no road for; None makes such a
                pair an :class:`UnroutablePairError` (see :func:`fill_unroutable`).
        """
        self.engine = engine
        self.fallback = fallback

    def __repr__(self) -> str:
        """Show the engine."""
        return f"RoutingEngineProvider({self.engine.name} at {self.engine.url})"

    def matrix(self, points: Sequence[PointLike]) -> TravelMatrix:
        """Return the engine's matrix between ``points`` (asked now, in chunks, not cached).

        Args:
            points: located objects (their ``key`` names them in errors) or (lat, lon) pairs.

        Returns:
            A :class:`TravelMatrix` of int64 arrays with a zero diagonal.

        Raises:
            RoutingEngineError: the engine failed after its retries.
            UnroutablePairError: a pair has no road and there is no fallback.
            InvalidPointError: a point's coordinates are missing or out of range.
        """
        places = as_places(points)
        table = engine_matrix(self.engine, places)
        table, estimated = fill_unroutable(self.engine, table, places, places, self.fallback)
        if estimated:
            log.warning(
                "%s at %s found no road for %d pair(s), first %s -> %s; estimated by %r",
                self.engine.name,
                self.engine.url,
                len(estimated),
                *estimated[0],
                self.fallback,
            )
        distance, seconds = table.distance_m.copy(), table.time_s.copy()
        np.fill_diagonal(distance, 0.0)
        np.fill_diagonal(seconds, 0.0)
        return TravelMatrix(np.rint(distance).astype(np.int64), np.rint(seconds).astype(np.int64))
