"""Travel-time providers: where the distance and time between places come from.

The model (:class:`ModelProvider`) is the default; a deployment with real road times plugs in
a :class:`geo.MatrixFileProvider` or its own provider through :func:`configure`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from geo.errors import GeoError
from geo.points import PointLike, PointSet, as_points
from geo.travel import AreaTravelModel, TravelModel

#: How many distinct point sets the model keeps matrices for (a 288-point set takes 1.3 MB).
MODEL_CACHE_SIZE = 8


@dataclass(frozen=True, slots=True)
class TravelMatrix:
    """Road distance (metres) and driving time (seconds) between N points, as int64 N x N."""

    distance_m: np.ndarray
    time_s: np.ndarray

    def __post_init__(self) -> None:
        """Reject matrices of different or non-square shapes."""
        shape = self.distance_m.shape
        if len(shape) != 2 or shape[0] != shape[1] or self.time_s.shape != shape:
            raise GeoError(
                f"a travel matrix needs two N x N arrays, got distance_m {shape} "
                f"and time_s {self.time_s.shape}"
            )


@runtime_checkable
class TravelTimeProvider(Protocol):
    """Anything that can give the travel matrix between points."""

    def matrix(self, points: Sequence[PointLike]) -> TravelMatrix:
        """Return distance and time between every ordered pair of ``points``."""
        ...


def _frozen(array: np.ndarray) -> np.ndarray:
    """Make an array read-only so cached matrices cannot be changed by a caller."""
    array.setflags(write=False)
    return array


@functools.lru_cache(maxsize=MODEL_CACHE_SIZE)
def _model_matrix(
    model: TravelModel | AreaTravelModel, latitude: tuple[float, ...], longitude: tuple[float, ...]
) -> TravelMatrix:
    """Build (once per model and point set) the model's matrices."""
    distance, time = model.matrices(np.array(latitude), np.array(longitude))
    return TravelMatrix(_frozen(distance), _frozen(time))


def clear_caches() -> None:
    """Forget every cached model matrix (benchmarks use it to time a cold build)."""
    _model_matrix.cache_clear()


@dataclass(frozen=True, slots=True)
class ModelProvider:
    """Travel times from the rural road model (geodesic x circuity at an effective speed).

    The model is the province-wide :class:`geo.TravelModel` by default, or a calibrated
    :class:`geo.AreaTravelModel` (see :func:`geo.load_travel_model`).
    """

    model: TravelModel | AreaTravelModel = field(default_factory=TravelModel)

    def matrix(self, points: Sequence[PointLike]) -> TravelMatrix:
        """Return the model's matrix between ``points``, cached per point set.

        Args:
            points: located objects or ``(latitude, longitude)`` pairs.

        Returns:
            A :class:`TravelMatrix` of read-only int64 arrays, symmetric with a zero diagonal.

        Raises:
            InvalidPointError: a point's coordinates are missing or out of range.
        """
        return self.matrix_of(as_points(points))

    def matrix_of(self, points: PointSet) -> TravelMatrix:
        """Return the model's matrix for points already read into a PointSet."""
        return _model_matrix(
            self.model, tuple(points.latitude.tolist()), tuple(points.longitude.tolist())
        )


_default: TravelTimeProvider | None = None


def configure(provider: TravelTimeProvider | None) -> None:
    """Set the process-wide default provider (None restores the model).

    Args:
        provider: what :func:`travel_matrix` uses when it is given none.

    Raises:
        TypeError: ``provider`` has no ``matrix`` method.
    """
    global _default  # the one process-wide setting, set from config
    if provider is not None and not isinstance(provider, TravelTimeProvider):
        raise TypeError(f"{provider!r} is not a travel time provider: it has no matrix() method")
    _default = provider


def default_provider() -> TravelTimeProvider:
    """Return the provider set by :func:`configure`, or the model when none was set."""
    return _default if _default is not None else ModelProvider()


def travel_matrix(
    points: Sequence[PointLike], provider: TravelTimeProvider | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return road distance and driving time between every ordered pair of points.

    Args:
        points: :class:`geo.Municipality` objects, any object with ``latitude``,
            ``longitude`` (and optionally ``key``), or ``(latitude, longitude)`` pairs.
        provider: where times come from; defaults to :func:`default_provider`.

    Returns:
        ``(distance_m, time_s)``: int64 N x N arrays (metres, seconds) with a zero diagonal,
        symmetric for the model. They may be shared with a cache and are read-only; copy
        them to change them.

    Raises:
        InvalidPointError: a point's coordinates are missing or out of range.
        MatrixFileError: a matrix file provider has no time for a pair and no fallback.
    """
    result = (provider or default_provider()).matrix(points)
    return result.distance_m, result.time_s
