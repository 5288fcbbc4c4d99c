"""Set partitioning over a pool of routes met during the search.

Every route of an accepted plan that serves everyone is remembered, cheapest version per
(vehicle class, set of requests); at a few checkpoints a MIP (``ortools_model``) picks routes
from the pool that serve the same requests exactly once at least total cost, at most as many
per class as there are vehicles in it. Vehicles that are interchangeable (same places, hours,
limits and languages) share a class, so a route found for one counts for all of them.
"""

from __future__ import annotations

from matching import ortools_model
from matching.instance import Instance
from matching.search.route import Plan
from matching.search.state import SearchState

#: Routes kept for set partitioning at most (memory stays bounded on long runs).
POOL_LIMIT = 200_000

#: (vehicle class, requests) -> (cost, stops) of the cheapest route known.
Pool = dict[tuple[int, frozenset[int]], tuple[int, list[int]]]


def vehicle_classes(inst: Instance) -> list[int]:
    """Class number per vehicle; same class = same shift, places, limits and languages."""
    vehicles = inst.problem.shifts
    signatures: dict[tuple[object, ...], int] = {}
    result = []
    for k in range(inst.m):
        start, end = inst.start_stop(k), inst.end_stop(k)
        signature = (
            inst.node[start],
            inst.node[end],
            inst.early[start],
            inst.late[end],
            inst.capacity[k],
            inst.max_duration[k],
            vehicles[k].languages,
        )
        result.append(signatures.setdefault(signature, len(signatures)))
    return result


class RoutePool:
    """Routes remembered for set partitioning, on the open vehicles that are not locked."""

    def __init__(self, state: SearchState, locked_vehicles: frozenset[int] = frozenset()) -> None:
        """An empty pool; locked vehicles keep their routes and take no part."""
        self.state = state
        self.vehicle_class = vehicle_classes(state.inst)
        self.vehicles = {k for k in state.open_vehicles if k not in locked_vehicles}
        self.pool: Pool = {}

    def _key(self, k: int, stops: list[int]) -> tuple[int, frozenset[int]]:
        """Pool key of vehicle k's route with these stops."""
        # stops.py encoding inline (s >> 1 is request_of(s)): every accepted plan is pooled
        return (self.vehicle_class[k], frozenset(s >> 1 for s in stops))

    def remember(self, plan: Plan, before: Plan) -> None:
        """Add the routes of a repaired plan that differ from ``before`` to the pool."""
        pool = self.pool
        if len(pool) >= POOL_LIMIT:
            return
        for route, old in zip(plan.routes, before.routes, strict=True):
            if route is old or not route.stops or route.k not in self.vehicles:
                continue
            key = self._key(route.k, route.stops)
            known = pool.get(key)
            if known is None or route.cost < known[0]:
                pool[key] = (route.cost, route.stops)

    def recombine(self, plan: Plan, time_limit: float) -> Plan | None:
        """A cheaper plan of pooled routes serving the same requests, if the MIP finds one.

        ``plan``'s request map must be fresh (``SearchState.refresh``); it is again on return.
        """
        state = self.state
        where = state.where
        served = [i for i in range(state.inst.n) if where[i] >= 0]
        cover = [i for i in served if where[i] in self.vehicles]
        costs, stops, members, groups, hint = self._columns(plan, set(cover))
        limits: dict[int, int] = {}
        for k in self.vehicles:
            limits[self.vehicle_class[k]] = limits.get(self.vehicle_class[k], 0) + 1
        chosen = ortools_model.solve_set_partitioning(
            costs, members, groups, cover, limits, hint, time_limit
        )
        if chosen is None:
            return None
        new = plan.snapshot()
        free = {c: [k for k in sorted(self.vehicles) if self.vehicle_class[k] == c] for c in limits}
        for k in self.vehicles:
            empty = state.make_route(k, [])
            if empty is None:
                return None
            new.routes[k] = empty
        for r in chosen:
            k = free[groups[r]].pop(0)
            picked = state.make_route(k, list(stops[r]))
            if picked is None:
                return None
            new.routes[k] = picked
        state.refresh(new)
        if new.key() < plan.key():
            return new
        state.refresh(plan)
        return None

    def _columns(
        self, plan: Plan, cover: set[int]
    ) -> tuple[list[int], list[list[int]], list[tuple[int, ...]], list[int], list[int]]:
        """The MIP's columns: the pooled routes within ``cover``, then the plan's own routes
        (the hint, a known solution). Returns costs, stops, members, classes and the hint."""
        costs: list[int] = []
        stops: list[list[int]] = []
        members: list[tuple[int, ...]] = []
        groups: list[int] = []
        index: dict[tuple[int, frozenset[int]], int] = {}

        def add(key: tuple[int, frozenset[int]], cost: int, route_stops: list[int]) -> None:
            index[key] = len(costs)
            costs.append(cost)
            stops.append(route_stops)
            members.append(tuple(key[1]))
            groups.append(key[0])

        for key, (cost, route_stops) in self.pool.items():
            if key[1] <= cover:
                add(key, cost, route_stops)
        hint = []
        for route in plan.routes:
            if route.k in self.vehicles and route.stops:
                key = self._key(route.k, route.stops)
                if key not in index:
                    add(key, route.cost, route.stops)
                hint.append(index[key])
        return costs, stops, members, groups, hint
