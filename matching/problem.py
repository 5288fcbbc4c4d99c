"""Immutable input of the matching solver: requests, driver shifts, matrices and weights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

StopKind = Literal["pickup", "dropoff"]
IntMatrix = npt.NDArray[np.int64]

#: Names of the capacity dimensions, in order, as used in messages and reasons.
CAPACITY_NAMES: tuple[str, ...] = ("seats", "child_seats", "wheelchair_places")


def _window(value: object, name: str) -> tuple[int, int]:
    """Check a (begin, end) pair of integer seconds so bad data fails at the boundary."""
    if not isinstance(value, tuple) or len(value) != 2:
        raise ValueError(f"{name} must be a (begin, end) tuple, got {value!r}")
    begin, end = value
    if not all(isinstance(x, int | np.integer) for x in value):
        raise ValueError(f"{name} must hold integer seconds, got {value!r}")
    if begin < 0 or end < begin:
        raise ValueError(f"{name} must satisfy 0 <= begin <= end, got {value!r}")
    return int(begin), int(end)


def _non_negative(value: object, name: str) -> None:
    """Reject non-integer or negative scalars with a message naming the field."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")


def _amounts(value: object, name: str) -> tuple[int, ...]:
    """Check a per-dimension tuple of non-negative integers."""
    if not isinstance(value, tuple) or not value:
        raise ValueError(f"{name} must be a non-empty tuple of integers, got {value!r}")
    for x in value:
        _non_negative(x, name)
    return tuple(int(x) for x in value)


@dataclass(frozen=True)
class Request:
    """One ride: a pickup and a drop-off served by the same shift, pickup first.

    Windows are on the begin of service, in seconds since midnight; ``max_ride_time`` runs
    from the end of the pickup service to the begin of the drop-off service.
    """

    id: int
    pickup: int
    dropoff: int
    pickup_window: tuple[int, int]
    dropoff_window: tuple[int, int]
    max_ride_time: int
    load: tuple[int, ...]
    pickup_service: int = 0
    dropoff_service: int = 0
    priority: int = 1
    linked: int | None = None
    languages: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        """Reject malformed requests with a ValueError naming the field."""
        _non_negative(self.id, "Request.id")
        _non_negative(self.pickup, "Request.pickup")
        _non_negative(self.dropoff, "Request.dropoff")
        object.__setattr__(
            self, "pickup_window", _window(self.pickup_window, "Request.pickup_window")
        )
        object.__setattr__(
            self, "dropoff_window", _window(self.dropoff_window, "Request.dropoff_window")
        )
        _non_negative(self.max_ride_time, "Request.max_ride_time")
        object.__setattr__(self, "load", _amounts(self.load, "Request.load"))
        _non_negative(self.pickup_service, "Request.pickup_service")
        _non_negative(self.dropoff_service, "Request.dropoff_service")
        if (
            isinstance(self.priority, bool)
            or not isinstance(self.priority, int)
            or (self.priority < 1)
        ):
            raise ValueError(f"Request.priority must be an integer >= 1, got {self.priority!r}")
        if self.linked is not None:
            _non_negative(self.linked, "Request.linked")
            if self.linked == self.id:
                raise ValueError(f"Request.linked of request {self.id} points to itself")
        if not isinstance(self.languages, frozenset):
            raise ValueError("Request.languages must be a frozenset of language codes")


@dataclass(frozen=True)
class Shift:
    """One driver shift: where it starts and ends, when, with which places."""

    id: int
    start: int
    end: int
    window: tuple[int, int]
    capacity: tuple[int, ...]
    max_duration: int | None = None
    languages: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        """Reject malformed shifts with a ValueError naming the field."""
        _non_negative(self.id, "Shift.id")
        _non_negative(self.start, "Shift.start")
        _non_negative(self.end, "Shift.end")
        object.__setattr__(self, "window", _window(self.window, "Shift.window"))
        object.__setattr__(self, "capacity", _amounts(self.capacity, "Shift.capacity"))
        if self.max_duration is not None:
            _non_negative(self.max_duration, "Shift.max_duration")
        if not isinstance(self.languages, frozenset):
            raise ValueError("Shift.languages must be a frozenset of language codes")


@dataclass(frozen=True)
class LockedRoute:
    """An accepted route: its requests stay on ``shift`` in this stop order.

    With ``closed=True`` nothing else may be inserted into the route.
    """

    shift: int
    stops: tuple[tuple[int, StopKind], ...]
    closed: bool = True

    def __post_init__(self) -> None:
        """Check that every locked request appears as pickup then drop-off."""
        _non_negative(self.shift, "LockedRoute.shift")
        seen: dict[int, str] = {}
        for stop in self.stops:
            if not isinstance(stop, tuple) or len(stop) != 2:
                raise ValueError(f"LockedRoute.stops must hold (request, kind) pairs: {stop!r}")
            request, kind = stop
            if kind == "pickup":
                if request in seen:
                    raise ValueError(f"LockedRoute.stops picks up request {request} twice")
                seen[request] = kind
            elif kind == "dropoff":
                if seen.get(request) != "pickup":
                    raise ValueError(
                        f"LockedRoute.stops drops off request {request} before or without "
                        "its pickup, or twice"
                    )
                seen[request] = kind
            else:
                raise ValueError(f"LockedRoute.stops kind must be pickup or dropoff: {kind!r}")
        if any(kind != "dropoff" for kind in seen.values()):
            raise ValueError("LockedRoute.stops must drop off every request it picks up")

    @property
    def requests(self) -> tuple[int, ...]:
        """Request ids of the route in pickup order."""
        return tuple(r for r, kind in self.stops if kind == "pickup")


@dataclass(frozen=True)
class Weights:
    """Objective weights; serving requests always comes before distance and language.

    The solver compares (unserved priority, distance cost - language bonus) lexicographically;
    ``unserved`` only scales the reported single-number objective and the OR-Tools penalties.
    """

    unserved: int = 1_000_000_000
    distance: int = 1
    language_bonus: int = 1_000

    def __post_init__(self) -> None:
        """Reject negative weights."""
        _non_negative(self.unserved, "Weights.unserved")
        _non_negative(self.distance, "Weights.distance")
        _non_negative(self.language_bonus, "Weights.language_bonus")


def _matrix(value: object, name: str) -> IntMatrix:
    """Turn nested sequences or an array into a read-only square int64 matrix."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a square integer matrix") from exc
    if array.ndim != 2 or array.shape[0] != array.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, got dtype {array.dtype}")
    if (array < 0).any():
        raise ValueError(f"{name} must not hold negative values")
    result = np.array(array, dtype=np.int64)
    result.setflags(write=False)
    return result


@dataclass(frozen=True, eq=False)
class Problem:
    """A day to plan: requests, driver shifts, travel matrices (s, m), locks and weights."""

    requests: tuple[Request, ...]
    shifts: tuple[Shift, ...]
    durations: IntMatrix
    distances: IntMatrix
    locked: tuple[LockedRoute, ...] = ()
    weights: Weights = field(default_factory=Weights)

    def __post_init__(self) -> None:
        """Check cross references between requests, shifts, matrices and locks."""
        object.__setattr__(self, "requests", tuple(self.requests))
        object.__setattr__(self, "shifts", tuple(self.shifts))
        object.__setattr__(self, "locked", tuple(self.locked))
        durations = _matrix(self.durations, "Problem.durations")
        distances = _matrix(self.distances, "Problem.distances")
        if durations.shape != distances.shape:
            raise ValueError("Problem.durations and Problem.distances must have the same shape")
        object.__setattr__(self, "durations", durations)
        object.__setattr__(self, "distances", distances)
        size = durations.shape[0]
        self._check_requests(size)
        self._check_shifts(size)
        self._check_locks()

    def _check_requests(self, size: int) -> None:
        """Check request ids, nodes, dimensions and links."""
        by_id: dict[int, Request] = {}
        for request in self.requests:
            if not isinstance(request, Request):
                raise ValueError(f"Problem.requests must hold Request objects: {request!r}")
            if request.id in by_id:
                raise ValueError(f"Problem.requests has duplicate id {request.id}")
            by_id[request.id] = request
            for node in (request.pickup, request.dropoff):
                if node >= size:
                    raise ValueError(
                        f"Problem.requests: request {request.id} node {node} is outside "
                        f"the {size}x{size} matrices"
                    )
        for request in self.requests:
            if request.linked is None:
                continue
            partner = by_id.get(request.linked)
            if partner is None:
                raise ValueError(
                    f"Problem.requests: request {request.id} is linked to unknown "
                    f"request {request.linked}"
                )
            if partner.linked != request.id:
                raise ValueError(
                    f"Problem.requests: link {request.id} -> {request.linked} is not mutual"
                )
        dims = {len(r.load) for r in self.requests} | {len(v.capacity) for v in self.shifts}
        if len(dims) > 1:
            raise ValueError(
                "Problem: Request.load and Shift.capacity must all have the same number of "
                f"dimensions, got {sorted(dims)}"
            )

    def _check_shifts(self, size: int) -> None:
        """Check shift ids and nodes."""
        ids: set[int] = set()
        for shift in self.shifts:
            if not isinstance(shift, Shift):
                raise ValueError(f"Problem.shifts must hold Shift objects: {shift!r}")
            if shift.id in ids:
                raise ValueError(f"Problem.shifts has duplicate id {shift.id}")
            ids.add(shift.id)
            for node in (shift.start, shift.end):
                if node >= size:
                    raise ValueError(
                        f"Problem.shifts: shift {shift.id} node {node} is outside "
                        f"the {size}x{size} matrices"
                    )

    def _check_locks(self) -> None:
        """Check that locks name known shifts and requests, each at most once."""
        shift_ids = {v.id for v in self.shifts}
        by_id = {r.id: r for r in self.requests}
        locked_shifts: set[int] = set()
        locked_requests: set[int] = set()
        for lock in self.locked:
            if not isinstance(lock, LockedRoute):
                raise ValueError(f"Problem.locked must hold LockedRoute objects: {lock!r}")
            if lock.shift not in shift_ids:
                raise ValueError(f"Problem.locked names unknown shift {lock.shift}")
            if lock.shift in locked_shifts:
                raise ValueError(f"Problem.locked has two routes for shift {lock.shift}")
            locked_shifts.add(lock.shift)
            for request in lock.requests:
                if request not in by_id:
                    raise ValueError(f"Problem.locked names unknown request {request}")
                if request in locked_requests:
                    raise ValueError(f"Problem.locked locks request {request} twice")
                locked_requests.add(request)

    def request(self, request_id: int) -> Request:
        """Return the request with this id (raises KeyError if unknown)."""
        for request in self.requests:
            if request.id == request_id:
                return request
        raise KeyError(request_id)

    def shift(self, shift_id: int) -> Shift:
        """Return the shift with this id (raises KeyError if unknown)."""
        for shift in self.shifts:
            if shift.id == shift_id:
                return shift
        raise KeyError(shift_id)

    @property
    def num_dimensions(self) -> int:
        """Number of capacity dimensions (0 if there is no request and no shift)."""
        for request in self.requests:
            return len(request.load)
        for shift in self.shifts:
            return len(shift.capacity)
        return 0


def as_tuple_matrix(rows: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    """Freeze nested sequences, for callers that build matrices by hand."""
    return tuple(tuple(int(x) for x in row) for row in rows)
