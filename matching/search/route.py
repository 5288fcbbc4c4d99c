"""Route and plan state of the search: each route with the caches insertion reads, and a plan.

A ``RouteState`` is immutable once built (the search replaces a route, never edits it), so its
memo of best insertions stays valid for as long as the route is part of some plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matching.instance import Instance
from matching.search import kernels
from matching.stops import requests_on

#: A best insertion found: (cost delta, the new stop list, its earliest times).
Insertion = tuple[int, list[int], list[int]]


@dataclass(eq=False)
class RouteState:
    """A feasible route of one vehicle with the caches the insertion screen reads."""

    k: int
    stops: list[int]
    nodes: list[int]
    early: list[int]
    late: list[int]
    loads: list[list[int]]
    distance: int
    cost: int
    service: list[int] = field(default_factory=list)
    position: dict[int, int] = field(default_factory=dict)
    memo: dict[int, Insertion | None] = field(default_factory=dict)
    arrays: RouteArrays | None = None

    def __post_init__(self) -> None:
        """Index the stop positions once."""
        if self.nodes:
            self.position = {s: j for j, s in enumerate(self.stops, 1)}


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
    times: list[int] | None,
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
    seq = [inst.start_stop(k), *stops, inst.end_stop(k)]
    seq_array = np.array(seq, dtype=np.int64)
    given = kernels.NO_TIMES if times is None else np.array(times, dtype=np.int64)
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
    node = inst.node
    service = inst.service
    nodes = [node[s] for s in seq]
    svc = [0, *(service[s] for s in stops), 0]
    arrays = RouteArrays(
        seq_array,
        np.array(nodes, dtype=np.int64),
        early,
        late,
        np.array(svc, dtype=np.int64),
        loads,
        pairs,
    )
    early_list = times if times is not None else early.tolist()
    return RouteState(
        k, stops, nodes, early_list, late.tolist(), loads.tolist(), distance, cost, svc,
        arrays=arrays,
    )  # fmt: skip


def empty_route(k: int) -> RouteState:
    """The state of a shift that cannot even drive from its start to its end: kept empty."""
    return RouteState(k, [], [], [], [], [], 0, 0)
