"""Route and plan state of the search: each route with the caches insertion reads, and a plan.

A ``RouteState`` is immutable once built (the search replaces a route, never edits it), so its
memo of best insertions stays valid for as long as the route is part of some plan.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from matching.instance import Instance
from matching.schedule import earliest, latest, prepare
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

    def __post_init__(self) -> None:
        """Index the stop positions once."""
        if self.nodes:
            self.position = {s: j for j, s in enumerate(self.stops, 1)}


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
    per metre less ``bonus`` per rider who shares a language with the driver.
    """
    prepared = prepare(inst, k, stops)
    early = times if times is not None else earliest(inst, k, stops, prepared=prepared)
    if early is None:
        return None
    late = latest(inst, k, stops, prepared)
    if late is None:
        return None
    node = inst.node
    seq_nodes = [node[s] for s in prepared[0]]
    dims = len(inst.capacity[k])
    loads = [[0] * len(seq_nodes) for _ in range(dims)]
    load = inst.load
    current = [0] * dims
    for j, s in enumerate(stops, 1):
        amounts = load[s]
        for dim in range(dims):
            current[dim] += amounts[dim]
            loads[dim][j] = current[dim]
    capacity = inst.capacity[k]
    for dim in range(dims):
        if max(loads[dim]) > capacity[dim]:
            return None
    dist = inst.dist
    distance = 0
    if stops:  # an unused shift is not driven: it costs nothing, whatever its two ends
        for a, b in itertools.pairwise(seq_nodes):
            distance += dist[a][b]
    cost = weight * distance
    if bonus:
        match = inst.language_match
        cost -= bonus * sum(1 for i in requests_on(stops) if match[i][k])
    service = inst.service
    return RouteState(
        k,
        stops,
        seq_nodes,
        early,
        late,
        loads,
        distance,
        cost,
        [0, *(service[s] for s in stops), 0],
    )


def empty_route(k: int) -> RouteState:
    """The state of a shift that cannot even drive from its start to its end: kept empty."""
    return RouteState(k, [], [], [], [], [], 0, 0)
