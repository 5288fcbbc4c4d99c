"""Precomputed travel matrices from a routing engine as a travel-time provider.

The file (formats in :mod:`geo.matrixformat`) is read and checked in full by
:func:`geo.matrixread.load_matrix_file`; pairs it does not hold are left to a fallback
provider, the travel model by default. A broken file never silently falls back to the model.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from geo.errors import MatrixFileError
from geo.matrixformat import (
    MatrixProvenance,
)
from geo.matrixread import load_matrix_file
from geo.points import PointLike, PointSet, as_points
from geo.providers import ModelProvider, TravelMatrix, TravelTimeProvider

_MODEL = ModelProvider()


class MatrixFileProvider:
    """Road times exported by a routing engine, overriding the fallback for the pairs it holds."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        fallback: TravelTimeProvider | None = _MODEL,
        known_keys: Iterable[object] | None = None,
    ) -> None:
        """Load and validate the file now, so a bad file fails at start-up, not mid-plan.

        Args:
            path: a ``.csv`` (``from,to,distance_m,time_s``) or ``.npz`` (``keys``,
                ``distance_m``, ``time_s``) matrix file.
            fallback: provider for pairs the file does not hold (and points without a key);
                the road model by default. ``None`` makes every such pair an error.
            known_keys: the keys the file may use (e.g. database place ids); defaults to
                the gazetteer's INE codes.

        Raises:
            MatrixFileError: the file is missing or has a defect (see :func:`load_matrix_file`).
        """
        self.path = Path(path)
        self.fallback = fallback
        self._table = load_matrix_file(self.path, known_keys)
        self._index = self._table.index
        #: Short SHA-256 of the file as loaded: the version a plan records.
        self.digest = hashlib.sha256(self.path.read_bytes()).hexdigest()[:12]

    @property
    def keys(self) -> tuple[str, ...]:
        """The place keys the file knows."""
        return self._table.keys

    @property
    def provenance(self) -> MatrixProvenance | None:
        """Where the file's times came from (engine, URL, dates), if the file says."""
        return self._table.provenance

    def __repr__(self) -> str:
        """Show the file and its size."""
        return f"MatrixFileProvider({str(self.path)!r}, {len(self.keys)} places)"

    def matrix(self, points: Sequence[PointLike]) -> TravelMatrix:
        """Return file values for the pairs the file holds and the fallback's for the rest.

        Args:
            points: located objects, with a ``key`` to be looked up in the file, or
                ``(latitude, longitude)`` pairs, which only the fallback can answer.

        Returns:
            A :class:`TravelMatrix` of int64 arrays with a zero diagonal.

        Raises:
            MatrixFileError: with no fallback, a pair of distinct points is not in the file.
            InvalidPointError: a point's coordinates are missing or out of range.
        """
        point_set = as_points(points)
        rows = np.array([self._index.get(key, -1) if key else -1 for key in point_set.keys])
        n = len(point_set)
        file_distance = np.full((n, n), np.nan)
        file_time = np.full((n, n), np.nan)
        inside = np.flatnonzero(rows >= 0)
        if len(inside):
            sub = np.ix_(inside, inside)
            file_distance[sub] = self._table.distance_m[np.ix_(rows[inside], rows[inside])]
            file_time[sub] = self._table.time_s[np.ix_(rows[inside], rows[inside])]
        held = np.isfinite(file_distance) & np.isfinite(file_time)
        np.fill_diagonal(held, True)
        np.fill_diagonal(file_distance, 0.0)
        np.fill_diagonal(file_time, 0.0)
        if held.all():
            distance, time = file_distance, file_time
        else:
            base = self._fallback_matrix(points, point_set, held)
            distance = np.where(held, file_distance, base.distance_m)
            time = np.where(held, file_time, base.time_s)
        return TravelMatrix(np.rint(distance).astype(np.int64), np.rint(time).astype(np.int64))

    def _fallback_matrix(
        self, original: Sequence[PointLike], points: PointSet, held: np.ndarray
    ) -> TravelMatrix:
        """Ask the fallback for the whole matrix, or name the first pair nobody can answer."""
        if self.fallback is None:
            i, j = (int(k) for k in np.argwhere(~held)[0])
            names = [
                key or f"point {k} (no key)"
                for k, key in ((i, points.keys[i]), (j, points.keys[j]))
            ]
            raise MatrixFileError(
                f"{self.path}: no travel time for {names[0]} -> {names[1]} "
                f"and no fallback provider ({int((~held).sum())} ordered pair(s) missing)"
            )
        if isinstance(self.fallback, ModelProvider):
            return self.fallback.matrix_of(points)
        return self.fallback.matrix(original)
