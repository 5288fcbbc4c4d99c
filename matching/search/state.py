"""The state both searches edit: which requests may move, where each one rides, plan edits.

``SearchState`` knows the instance, the requests that may be served (``candidates``), those
that must stay where the locks put them (``fixed``), the shifts nobody may change (``closed``)
and, per request, the shifts it may ride in (``allowed``, None = any: the screen of
``matching.sparsify`` narrows it on large days). It keeps ``where`` (request -> vehicle, -1 if
unserved) in step with the plan being edited, and answers best insertions from each route's
memo. Every edit keeps each route feasible: an edit that would break one changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from matching.instance import Instance
from matching.search import insertion
from matching.search.route import Insertion, Plan, RouteState, build_route, empty_route
from matching.stops import pickup


@dataclass
class SearchStats:
    """Counters a search run reports back."""

    iterations: int = 0
    improvements: int = 0
    best_found_seconds: float = 0.0


class SearchState:
    """Lookups shared by the search operators, and the edits they make to a plan."""

    def __init__(
        self,
        inst: Instance,
        candidates: set[int],
        fixed: set[int],
        closed: set[int],
        language_bonus: int,
        distance_weight: int,
        allowed: list[frozenset[int]] | None = None,
    ) -> None:
        """Prepare lookups; ``fixed`` requests stay put, ``closed`` vehicles stay as they are,
        request i may ride only in the vehicles ``allowed[i]`` (None: in any)."""
        self.inst = inst
        self.candidates = candidates
        self.fixed = fixed
        self.closed = closed
        self.allowed = allowed
        self.open_vehicles = [k for k in range(inst.m) if k not in closed]
        self.bonus = language_bonus
        self.weight = distance_weight
        #: Capacity dimensions each request uses (its pickup's load is positive there).
        self.dims = [
            [dim for dim, x in enumerate(inst.load[pickup(i)]) if x > 0] for i in range(inst.n)
        ]
        #: Shift index serving each request of the plan last refreshed, -1 if unserved.
        self.where = [-1] * inst.n

    # ----------------------------------------------------------------- routes
    def make_route(
        self, k: int, stops: list[int], times: list[int] | np.ndarray | None = None
    ) -> RouteState | None:
        """Build the cached state of a route, or None if it has no feasible schedule."""
        return build_route(self.inst, k, stops, times, self.weight, self.bonus)

    def best_insertion(self, route: RouteState, i: int) -> Insertion | None:
        """Cheapest feasible insertion of request i into route, if request i may ride there.

        Memoised on the (immutable) route state, so unchanged routes are never re-scanned.
        """
        if self.allowed is not None and route.k not in self.allowed[i]:
            return None
        memo = route.memo  # the memo and the search are spelled out here and below, not
        if i in memo:  # behind further calls: the searches ask this millions of times
            return memo[i]
        found = insertion.best_insertion(self.inst, route, i, self.dims[i], self.weight, self.bonus)
        memo[i] = found
        return found

    def prefetch(self, route: RouteState, requests: Iterable[int]) -> None:
        """Put the best insertions of these requests into the route's memo, in one call.

        For the searches' batches (every waiting request on the route just changed): the
        answers are those ``best_insertion`` would give one by one, at a fraction of the cost.
        """
        memo = route.memo
        allowed = self.allowed
        k = route.k
        todo = [i for i in requests if i not in memo and (allowed is None or k in allowed[i])]
        if len(todo) < 2:
            return
        found = insertion.best_insertions(self.inst, route, todo, self.weight, self.bonus)
        memo.update(zip(todo, found, strict=True))

    def best_insertion_anywhere(self, route: RouteState, i: int) -> Insertion | None:
        """Cheapest feasible insertion of request i into route, even outside ``allowed[i]``."""
        memo = route.memo
        if i in memo:
            return memo[i]
        found = insertion.best_insertion(self.inst, route, i, self.dims[i], self.weight, self.bonus)
        memo[i] = found
        return found

    # ----------------------------------------------------------------- plans
    def empty_plan(self) -> Plan:
        """A plan with every open vehicle empty and every candidate unassigned."""
        routes = []
        for k in range(self.inst.m):
            route = self.make_route(k, [])
            if route is None:
                # The shift alone is infeasible (e.g. end unreachable): keep it empty anyway.
                route = empty_route(k)
            routes.append(route)
        plan = Plan(routes, set(self.candidates))
        self.refresh(plan)
        return plan

    def refresh(self, plan: Plan) -> None:
        """Recompute totals and the request-to-vehicle map."""
        plan.cost = sum(r.cost for r in plan.routes)
        plan.missed = sum(self.inst.priority[i] for i in plan.unassigned)
        self.where = [-1] * self.inst.n
        for route in plan.routes:
            for s in route.stops:
                if not s & 1:  # stops.py encoding: a pickup, of request s >> 1
                    self.where[s >> 1] = route.k

    def settle(self, plan: Plan, candidates: Iterable[int]) -> None:
        """Unassigned = the ``candidates`` no route serves; totals and the request map refreshed
        (after routes were replaced wholesale, when ``unassigned`` was not kept up to date)."""
        self.refresh(plan)
        plan.unassigned = {i for i in candidates if self.where[i] < 0}
        self.refresh(plan)

    def removable(self, i: int) -> bool:
        """Served, and free to move (not locked, not on a closed route)."""
        k = self.where[i]
        return k >= 0 and i not in self.fixed and k not in self.closed

    def served_removable(self) -> list[int]:
        """Requests currently on a route that the search may take out, by index."""
        return [
            i
            for i in range(self.inst.n)
            if self.where[i] >= 0 and i not in self.fixed and self.where[i] not in self.closed
        ]

    # ----------------------------------------------------------------- edits
    def apply(
        self, plan: Plan, k: int, stops: list[int], times: list[int] | np.ndarray | None
    ) -> bool:
        """Replace vehicle k's route by these stops; False (no change) if infeasible."""
        route = self.make_route(k, stops, times)
        if route is None:
            return False
        old = plan.routes[k]
        plan.cost += route.cost - old.cost
        plan.routes[k] = route
        return True

    def insert_request(
        self, plan: Plan, i: int, k: int, stops: list[int], times: list[int] | np.ndarray
    ) -> bool:
        """Put request i on vehicle k with the given stop list."""
        if not self.apply(plan, k, stops, times):
            return False
        plan.unassigned.discard(i)
        plan.missed -= self.inst.priority[i]
        self.where[i] = k
        return True

    def remove_request(self, plan: Plan, i: int) -> bool:
        """Take request i out of its route; False if the shorter route is infeasible."""
        k = self.where[i]
        if k < 0:
            return True
        # stops.py encoding inline (s >> 1 is request_of(s)): every move edits routes
        stops = [s for s in plan.routes[k].stops if s >> 1 != i]
        if not self.apply(plan, k, stops, None):
            return False
        plan.unassigned.add(i)
        plan.missed += self.inst.priority[i]
        self.where[i] = -1
        return True

    def remove_many(self, plan: Plan, chosen: list[int]) -> None:
        """Remove the chosen requests (and their linked partners), one rebuild per route."""
        partner = self.inst.partner
        where = self.where
        by_route: dict[int, set[int]] = {}
        for i in chosen:
            for r in (i, partner[i]):
                if r >= 0 and where[r] >= 0 and r not in self.fixed:
                    by_route.setdefault(where[r], set()).add(r)
        priority = self.inst.priority
        for k, gone in by_route.items():
            stops = [s for s in plan.routes[k].stops if s >> 1 not in gone]  # request_of(s)
            if self.apply(plan, k, stops, None):
                for r in gone:
                    plan.unassigned.add(r)
                    plan.missed += priority[r]
                    where[r] = -1
            else:  # without the triangle inequality a shorter route may be infeasible
                for r in gone:
                    self.remove_request(plan, r)
