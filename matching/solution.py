"""Immutable output of the matching solver: routes with timed stops, unserved requests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from matching.problem import StopKind
from matching.reasons import Reason


@dataclass(frozen=True)
class Stop:
    """One visit: ``arrival`` at the place, ``start`` of service, ``departure`` after it."""

    request: int
    kind: StopKind
    node: int
    arrival: int
    start: int
    departure: int


@dataclass(frozen=True)
class Route:
    """The stops of one shift; times in s since midnight, distance in metres."""

    shift: int
    stops: tuple[Stop, ...]
    start_time: int
    end_time: int
    distance: int

    @property
    def requests(self) -> tuple[int, ...]:
        """Request ids of the route in pickup order."""
        return tuple(stop.request for stop in self.stops if stop.kind == "pickup")


@dataclass(frozen=True)
class Unassigned:
    """A request left unserved, with a reason code a coordinator can act on.

    ``detail`` is an English sentence for logs and API callers; ``params`` holds the figures
    behind it, for a sentence in the reader's language: ``direct_s`` and ``ride_limit_s``
    (seconds) for ``direct_trip_too_long``; ``amount`` and ``dimension`` (a capacity name) for
    a capacity shortfall; the amount per capacity name for ``no_vehicle_fits_load``;
    ``partner`` (request id) and ``partner_reason`` for ``linked_trip_unserved``; ``partner``
    for ``no_capacity_left`` when its linked trip is not served either. Empty otherwise.
    """

    request: int
    reason: Reason
    detail: str
    params: Mapping[str, int | str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class SolveStats:
    """How the search went: time, iterations and the cost path."""

    seconds: float
    iterations: int
    first_solution_cost: int | None
    first_solution_seconds: float | None = None
    best_found_seconds: float | None = None
    improvements: int = 0
    method: str = "lns"


@dataclass(frozen=True)
class Solution:
    """Routes, unserved requests and the objective they add up to."""

    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    objective: int
    distance: int
    stats: SolveStats = field(default_factory=lambda: SolveStats(0.0, 0, None))

    @property
    def served(self) -> frozenset[int]:
        """Ids of the requests that some route serves."""
        return frozenset(r for route in self.routes for r in route.requests)

    def route_of(self, shift: int) -> Route | None:
        """The route of this shift, or None if it stays at home."""
        for route in self.routes:
            if route.shift == shift:
                return route
        return None
