"""Route and plan state of the search: each route with the caches insertion reads, and a plan.

A ``RouteState`` is immutable once built (the search replaces a route, never edits it), so its
memo of best insertions stays valid for as long as the route is part of some plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np

from matching.instance import Instance
from matching.search import kernels
from matching.stops import requests_on


@dataclass(eq=False)
class RouteState:
    """A feasible route of one vehicle with the caches the insertion screen reads.

    The screen reads the arrays; the lists (nodes, times, loads, positions) are made from them
    only when a Python loop asks (the removal operators), since most routes a search builds
    are tried and dropped without that.
    """

    k: int
    stops: list[int]
    distance: int
    cost: int
    arrays: RouteArrays | None = None
    memo: dict[int, Insertion | None] = field(default_factory=dict)

    @cached_property
    def nodes(self) -> list[int]:
        """The places of the stops, the shift's start and end included."""
        return self.arrays.nodes.tolist() if self.arrays is not None else []

    @cached_property
    def early(self) -> list[int]:
        """The earliest times of the stops, start and end included."""
        return self.arrays.early.tolist() if self.arrays is not None else []

    @cached_property
    def late(self) -> list[int]:
        """The latest times of the stops, start and end included."""
        return self.arrays.late.tolist() if self.arrays is not None else []

    @cached_property
    def loads(self) -> list[list[int]]:
        """The load after each stop, per capacity dimension."""
        return self.arrays.loads.tolist() if self.arrays is not None else []

    @cached_property
    def position(self) -> dict[int, int]:
        """Where each stop is in the route (the start is position 0)."""
        if self.arrays is None:
            return {}
        return {s: j for j, s in enumerate(self.stops, 1)}


class Insertion(NamedTuple):
    """A best insertion found: its cost delta, and where, as the new route's stops are made.

    The searches weigh many insertions for each one they make, so the new stop list is only
    spelled out (``stops``) for the one made; ``times`` are the new route's earliest times.
    """

    cost: int
    route: RouteState
    pickup: int
    a: int
    b: int
    times: np.ndarray

    def stops(self) -> list[int]:
        """The route's stops with the pickup after position a and its drop-off after b."""
        old = self.route.stops
        a, b, p = self.a, self.b, self.pickup
        return [*old[:a], p, *old[a:b], p + 1, *old[b:]]


@dataclass(frozen=True, eq=False)
class RouteArrays:
    """A route's stops (depots included), nodes, earliest and latest times, service times,
    loads (dimension x position) and (pickup, drop-off, ride limit) positions, as arrays."""

    seq: np.ndarray
    nodes: np.ndarray
    early: np.ndarray
    late: np.ndarray
    service: np.ndarray
    loads: np.ndarray
    pairs: np.ndarray


@dataclass
class Plan:
    """Routes of every vehicle plus the requests left out."""

    routes: list[RouteState]
    unassigned: set[int]
    cost: int = 0
    missed: int = 0

    def key(self) -> tuple[int, int]:
        """Lexicographic objective: unserved priority first, then cost."""
        return (self.missed, self.cost)

    def snapshot(self) -> Plan:
        """A copy sharing the immutable route states."""
        return Plan(list(self.routes), set(self.unassigned), self.cost, self.missed)


def build_route(
    inst: Instance,
    k: int,
    stops: list[int],
    times: list[int] | np.ndarray | None,
    weight: int,
    bonus: int,
) -> RouteState | None:
    """The cached state of vehicle k's route, or None if it has no feasible schedule or load.

    ``times`` are its earliest times when the caller already has them; its cost is ``weight``
    per metre less ``bonus`` per rider who shares a language with the driver. The timing,
    loads and distance are computed compiled (``kernels.route_state``): the search builds a
    route for every move it keeps or tries whole.
    """
    x = inst.arrays
    seq_array = np.array([inst.start_stop(k), *stops, inst.end_stop(k)], dtype=np.int64)
    if times is None:
        given = kernels.NO_TIMES
    elif isinstance(times, np.ndarray):
        given = times
    else:
        given = np.array(times, dtype=np.int64)
    early, late, loads, distance, pairs = kernels.route_state(
        x.node, x.time, x.dist, x.early, x.late, x.service, x.ride_limit, x.load,
        x.capacity[k], inst.max_duration[k], seq_array, given,
    )  # fmt: skip
    if not early.shape[0]:
        return None
    distance = int(distance)
    cost = weight * distance
    if bonus:
        match = inst.language_match
        cost -= bonus * sum(1 for i in requests_on(stops) if match[i][k])
    svc = x.service[seq_array]
    svc[0] = svc[-1] = 0  # the shift's start and end take no time
    arrays = RouteArrays(seq_array, x.node[seq_array], early, late, svc, loads, pairs)
    return RouteState(k, stops, distance, cost, arrays)


def empty_route(k: int) -> RouteState:
    """The state of a shift that cannot even drive from its start to its end: kept empty."""
    return RouteState(k, [], 0, 0)
