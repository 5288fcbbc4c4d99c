"""A granular large-neighbourhood search whose moves cost the same on any size of day.

``matching.lns.Search.run`` retries every unserved request on every route in every iteration:
right for a few dozen requests, a few moves a second on a thousand. Here each move stays
local: it takes out a handful of related trips (neighbours in place and time, a route, the
costliest detours, or random ones), and re-inserts them plus the unserved trips related to them,
each into its own ranked shifts only (``matching.sparsify``) and the route it came from. A
rejected move is undone from a log instead of copying the plan, so a move costs the same at
200 or 5,000 requests. Acceptance is lexicographic on the served priority, then simulated
annealing on the distance cost. Route timing, feasibility and insertion positions are the
exact ones of ``matching.lns`` and ``matching.schedule``.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from matching.instance import Instance
from matching.lns import Plan, RouteState
from matching.sparsify import SparseSearch


@dataclass(frozen=True)
class GranularConfig:
    """Knobs of the granular search."""

    neighbours: int = 40
    min_remove: int = 3
    max_remove: int = 20
    related_unserved: int = 12
    random_unserved: int = 3
    start_worse: float = 0.01
    cooling: float = 100.0
    seconds_to_metres: float = 10.0


def neighbour_lists(
    inst: Instance, requests: list[int], count: int, seconds_to_metres: float
) -> list[list[int]]:
    """Per request index, the ``count`` most related requests (from ``requests``), closest first.

    Related = pickups close and drop-offs close by road, and their windows close in time.
    """
    lists: list[list[int]] = [[] for _ in range(inst.n)]
    if len(requests) < 2:
        return lists
    members = np.asarray(requests)
    dist = np.asarray(inst.problem.distances, dtype=np.float64)
    node = np.asarray(inst.node)
    early = np.asarray(inst.early, dtype=np.float64)
    pick, drop = node[2 * members], node[2 * members + 1]
    t_pick, t_drop = early[2 * members], early[2 * members + 1]
    keep = min(count, len(requests) - 1)
    scale = seconds_to_metres
    for begin in range(0, len(requests), 512):
        rows = slice(begin, begin + 512)
        score = (
            dist[pick[rows]][:, pick]
            + dist[drop[rows]][:, drop]
            + scale * (np.abs(t_pick[rows, None] - t_pick) + np.abs(t_drop[rows, None] - t_drop))
        )
        for r in range(score.shape[0]):
            score[r, begin + r] = np.inf
        nearest = np.argpartition(score, keep - 1, axis=1)[:, :keep]
        for r in range(score.shape[0]):
            order = nearest[r][np.argsort(score[r, nearest[r]], kind="stable")]
            lists[int(members[begin + r])] = members[order].tolist()
    return lists


@dataclass
class _Undo:
    """What a trial move changed, to put back if it is rejected."""

    routes: dict[int, RouteState] = field(default_factory=dict)
    where: dict[int, int] = field(default_factory=dict)
    cost: int = 0
    missed: int = 0


@dataclass
class GranularStats:
    """Counters of one run."""

    iterations: int = 0
    improvements: int = 0
    best_found_seconds: float = 0.0


class GranularSearch:
    """Local ruin-and-recreate moves on a plan of a ``SparseSearch``."""

    def __init__(
        self,
        search: SparseSearch,
        rng: random.Random,
        config: GranularConfig | None = None,
    ) -> None:
        """Index the neighbours of every request that may be served."""
        self.search = search
        self.inst = search.inst
        self.rng = rng
        self.config = config or GranularConfig()
        self.requests = sorted(search.candidates)
        self.neighbours = neighbour_lists(
            self.inst, self.requests, self.config.neighbours, self.config.seconds_to_metres
        )
        self.last_vehicle = [-1] * self.inst.n
        self.undo: _Undo | None = None
        self.broken = False

    # ------------------------------------------------------------------ logged edits
    def _touch(self, plan: Plan, k: int) -> None:
        """Remember vehicle k's route before its first change in this move."""
        if self.undo is not None and k not in self.undo.routes:
            self.undo.routes[k] = plan.routes[k]

    def _remove(self, plan: Plan, i: int) -> bool:
        """Take request i (and its linked partner) off their routes, logging the change."""
        search = self.search
        partner = self.inst.partner[i]
        group = [i] if partner < 0 else [i, partner]
        if any(r in search.fixed for r in group if search.where[r] >= 0):
            return False
        for r in group:
            k = search.where[r]
            if k < 0:
                continue
            self._touch(plan, k)
            if self.undo is not None:
                self.undo.where.setdefault(r, k)
            if not search.remove_request(plan, r):
                self.broken = True  # half a linked pair would stay: the move is undone
                return False
            self.last_vehicle[r] = k
        return True

    def _insert(self, plan: Plan, i: int, k: int, found: tuple[int, list[int], list[int]]) -> bool:
        """Put request i on vehicle k as found by ``best_insertion``, logging the change."""
        self._touch(plan, k)
        if self.undo is not None:
            self.undo.where.setdefault(i, -1)
        return self.search.insert_request(plan, i, k, found[1], found[2])

    def _revert(self, plan: Plan) -> None:
        """Undo the current move."""
        undo = self.undo
        assert undo is not None
        for k, route in undo.routes.items():
            plan.routes[k] = route
        where = self.search.where
        for i, k in undo.where.items():
            where[i] = k
            if k < 0:
                plan.unassigned.add(i)
            else:
                plan.unassigned.discard(i)
        plan.cost = undo.cost
        plan.missed = undo.missed

    # ------------------------------------------------------------------ ruin
    def _removable(self, i: int) -> bool:
        """Served, and free to move."""
        search = self.search
        k = search.where[i]
        return k >= 0 and i not in search.fixed and k not in search.closed

    def _ruin(self, plan: Plan, count: int) -> list[int]:
        """Remove about ``count`` requests with a randomly chosen operator; return them."""
        rng = self.rng
        choice = rng.random()
        if choice < 0.5:
            chosen = self._related(plan, count)
        elif choice < 0.7:
            chosen = self._route(plan, count)
        elif choice < 0.85:
            chosen = self._worst(plan, count)
        else:
            chosen = [i for i in rng.sample(self.requests, min(len(self.requests), 4 * count))
                      if self._removable(i)][:count]  # fmt: skip
        removed = []
        for i in chosen:
            if self.search.where[i] >= 0 and self._remove(plan, i):
                removed.append(i)
                partner = self.inst.partner[i]
                if partner >= 0:
                    removed.append(partner)
        return removed

    def _related(self, plan: Plan, count: int) -> list[int]:
        """A seed trip (often an unserved one, to make room for it) and its neighbours."""
        rng = self.rng
        if plan.unassigned and rng.random() < 0.4:
            seed = rng.choice(tuple(plan.unassigned))
        else:
            seed = rng.choice(self.requests)
        chosen = [seed] if self._removable(seed) else []
        for j in self.neighbours[seed]:
            if len(chosen) >= count:
                break
            if self._removable(j) and rng.random() < 0.8:
                chosen.append(j)
        return chosen

    def _route(self, plan: Plan, count: int) -> list[int]:
        """The trips of a route and of the route of a neighbouring trip."""
        rng = self.rng
        seed = rng.choice(self.requests)
        vehicles = []
        if self.search.where[seed] >= 0:
            vehicles.append(self.search.where[seed])
        for j in self.neighbours[seed]:
            k = self.search.where[j]
            if k >= 0 and k not in vehicles:
                vehicles.append(k)
                if len(vehicles) >= 2:
                    break
        chosen = []
        for k in vehicles:
            chosen += [s >> 1 for s in plan.routes[k].stops if not s & 1]
        chosen = [i for i in chosen if self._removable(i)]
        rng.shuffle(chosen)
        return chosen[: max(count, 2)]

    def _worst(self, plan: Plan, count: int) -> list[int]:
        """Among a sample of served trips, those whose detours cost most (biased draw)."""
        rng = self.rng
        sample = [i for i in rng.sample(self.requests, min(len(self.requests), 80))
                  if self._removable(i)]  # fmt: skip
        ranked = [i for _, i in self.search.removal_savings(plan, sample)]
        chosen: list[int] = []
        while ranked and len(chosen) < count:
            chosen.append(ranked.pop(int(len(ranked) * rng.random() ** 3)))
        return chosen

    # ------------------------------------------------------------------ recreate
    def _vehicles(self, i: int) -> list[int]:
        """Vehicles request i may be inserted into: its ranked shifts and its last route."""
        search = self.search
        allowed = search.allowed[i] if search.allowed is not None else search.open_vehicles
        result = [k for k in allowed if k not in search.closed]
        last = self.last_vehicle[i]
        if last >= 0 and last not in allowed and last not in search.closed:
            result.append(last)
        return result

    def _recreate(self, plan: Plan, removed: list[int]) -> None:
        """Regret-2 insertion (with a little noise) of the removed and related unserved trips."""
        search = self.search
        inst = self.inst
        rng = self.rng
        config = self.config
        todo = {i for i in removed if search.where[i] < 0}
        related = []
        for i in removed:
            for j in self.neighbours[i][: config.related_unserved]:
                if j in plan.unassigned and j not in todo:
                    related.append(j)
        rng.shuffle(related)
        todo.update(related[: config.related_unserved])
        if plan.unassigned:
            pool = tuple(plan.unassigned)
            todo.update(rng.choice(pool) for _ in range(config.random_unserved))
        todo = {i for i in todo if search.where[i] < 0 and i in search.candidates}
        noise = 0.0 if rng.random() < 0.5 else 0.1
        regret = 2 if rng.random() < 0.6 else 1
        cache: dict[int, dict[int, tuple[int, list[int], list[int]] | None]] = {i: {} for i in todo}
        vehicles = {i: self._vehicles(i) for i in todo}
        priority = inst.priority
        partner = inst.partner
        failed: set[int] = set()
        scale = 1.0
        while True:
            best_i = -1
            best_key: tuple[float, ...] = ()
            best_k = -1
            for i in todo:
                if i in failed or search.where[i] >= 0:
                    continue
                memo = cache[i]
                options: list[tuple[float, int]] = []
                for k in vehicles[i]:
                    if k not in memo:
                        memo[k] = search.best_insertion(plan.routes[k], i)
                    found = memo[k]
                    if found is not None:
                        cost = float(found[0])
                        if noise:
                            cost += noise * scale * (2 * rng.random() - 1)
                        options.append((cost, k))
                if not options:
                    failed.add(i)
                    continue
                options.sort()
                cheapest = options[0][0]
                scale = max(scale, abs(cheapest))
                if regret == 2:
                    second = options[1][0] if len(options) > 1 else cheapest + 10 * scale
                    key: tuple[float, ...] = (priority[i], second - cheapest, -cheapest)
                else:
                    key = (priority[i], -cheapest)
                if best_i < 0 or key > best_key:
                    best_i, best_key, best_k = i, key, options[0][1]
            if best_i < 0:
                return
            found = cache[best_i][best_k]
            assert found is not None
            if not self._insert(plan, best_i, best_k, found):
                failed.add(best_i)
                continue
            for memo in cache.values():
                memo.pop(best_k, None)
            j = partner[best_i]
            if j >= 0 and search.where[j] < 0 and j in search.candidates:
                if not self._insert_alone(plan, j):
                    self._remove(plan, best_i)
                    failed.update((best_i, j))
                for memo in cache.values():
                    memo.clear()

    def _insert_alone(self, plan: Plan, i: int) -> bool:
        """Insert request i at its cheapest place (the partner of a trip just inserted)."""
        best: tuple[int, list[int], list[int]] | None = None
        vehicle = -1
        for k in self._vehicles(i):
            found = self.search.best_insertion(plan.routes[k], i)
            if found is not None and (best is None or found[0] < best[0]):
                best, vehicle = found, k
        return best is not None and self._insert(plan, i, vehicle, best)

    # ------------------------------------------------------------------ driver
    def _accept(self, plan: Plan, before: _Undo, temperature: float) -> bool:
        """Serve more (by priority), or as much and drive less, or worse by annealing."""
        if self.broken or plan.missed > before.missed:
            return False
        if plan.missed < before.missed or plan.cost <= before.cost:
            return True
        return self.rng.random() < math.exp((before.cost - plan.cost) / temperature)

    def run(
        self,
        plan: Plan,
        deadline: float,
        max_iterations: int | None = None,
        on_best: Callable[[Plan], None] | None = None,
    ) -> tuple[Plan, GranularStats]:
        """Improve ``plan`` in place until the deadline; return the best plan and counters."""
        search = self.search
        search.refresh(plan)
        stats = GranularStats()
        started = time.monotonic()
        best = search.snapshot(plan)
        if not self.requests:
            return best, stats
        config = self.config
        used = max(1, sum(1 for r in plan.routes if r.stops))
        start_t = max(1.0, config.start_worse * abs(plan.cost) / used)
        total = max(1e-3, deadline - started)
        rng = self.rng
        for i in range(self.inst.n):
            if search.where[i] >= 0:
                self.last_vehicle[i] = search.where[i]
        while True:
            now = time.monotonic()
            if now >= deadline:
                break
            if max_iterations is not None and stats.iterations >= max_iterations:
                break
            stats.iterations += 1
            fraction = (now - started) / total
            if max_iterations:
                fraction = max(fraction, stats.iterations / max_iterations)
            temperature = start_t * config.cooling ** (-fraction)
            self.undo = _Undo(cost=plan.cost, missed=plan.missed)
            self.broken = False
            count = rng.randint(config.min_remove, config.max_remove)
            removed = self._ruin(plan, count)
            self._recreate(plan, removed)
            undo = self.undo
            self.undo = None
            if self._accept(plan, undo, temperature):
                if plan.key() < best.key():
                    best = search.snapshot(plan)
                    stats.improvements += 1
                    stats.best_found_seconds = time.monotonic() - started
                    if on_best is not None:
                        on_best(best)
            else:
                self.undo = undo
                self._revert(plan)
                self.undo = None
        search.refresh(best)
        return best, stats
