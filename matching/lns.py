"""Adaptive large-neighbourhood search over request insertions with exact route timing.

Ruin (random, worst, related removal) and recreate (greedy and regret insertion) in the manner of
Ropke & Pisinger, accepted by simulated annealing on the distance cost and lexicographically on
the served priority. Candidate insertion positions are screened with cheap necessary conditions
(earliest/latest times of the current route, loads) and tried cheapest first with the exact
timing test of ``matching.schedule``, so every route kept is feasible.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from matching import ortools_model
from matching.instance import Instance
from matching.schedule import earliest, latest, prepare

INFEASIBLE = 1 << 62
#: Orders of the sequential repair, selected by a negative "regret" code -1, -2, -3.
SEQUENTIAL_ORDERS = ("random", "early", "far")


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
    memo: dict[int, tuple[int, list[int], list[int]] | None] = field(default_factory=dict)

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


@dataclass(frozen=True)
class LnsConfig:
    """Tuning knobs of the search (defaults chosen by measurement on the Cordeau set)."""

    min_remove: int = 2
    max_remove: int = 40
    max_remove_fraction: float = 0.3
    start_worse: float = 0.02
    cooling: float = 200.0
    restart_after: int = 2000
    partition_at: tuple[float, ...] = (0.5, 0.9)
    #: Seconds of each set-partitioning MIP: this share of the run, at most the cap (unless the
    #: run has an iteration cap: then only the remaining time bounds it, for reproducibility).
    partition_share: float = 0.04
    partition_cap: float = 1.0
    min_high: int = 8
    sequential: bool = True
    random_order: bool = True
    noise: float = 0.1


#: Routes kept for set partitioning at most (memory stays bounded on long runs).
POOL_LIMIT = 200_000


@dataclass
class SearchStats:
    """Counters reported back to the caller."""

    iterations: int = 0
    improvements: int = 0
    best_found_seconds: float = 0.0


class Search:
    """State and operators of one large-neighbourhood search run."""

    def __init__(
        self,
        inst: Instance,
        rng: random.Random,
        candidates: set[int],
        fixed: set[int],
        closed: set[int],
        language_bonus: int,
        distance_weight: int,
        config: LnsConfig | None = None,
        locked_vehicles: frozenset[int] = frozenset(),
    ) -> None:
        """Prepare lookups; ``fixed`` requests stay put, ``closed`` vehicles stay as they are."""
        self.inst = inst
        self.config = config or LnsConfig()
        self.rng = rng
        self.candidates = candidates
        self.fixed = fixed
        self.closed = closed
        self.open_vehicles = [k for k in range(inst.m) if k not in closed]
        self.bonus = language_bonus
        self.weight = distance_weight
        self.dims = [
            [dim for dim, x in enumerate(inst.load[2 * i]) if x > 0] for i in range(inst.n)
        ]
        self.where = [-1] * inst.n
        self.removable: list[int] = []
        # Route pool for set partitioning: vehicles that are interchangeable share a class.
        self.vehicle_class = self._vehicle_classes()
        self.pool_vehicles = {k for k in self.open_vehicles if k not in locked_vehicles}
        self.pool: dict[tuple[int, frozenset[int]], tuple[int, list[int]]] = {}

    # ----------------------------------------------------------------- route caches
    def make_route(
        self, k: int, stops: list[int], times: list[int] | None = None
    ) -> RouteState | None:
        """Build the cached state of a route, or None if it has no feasible schedule."""
        inst = self.inst
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
        for a, b in itertools.pairwise(seq_nodes):
            distance += dist[a][b]
        cost = self.weight * distance
        if self.bonus:
            match = inst.language_match
            cost -= self.bonus * sum(1 for s in stops if not s & 1 and match[s >> 1][k])
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

    def _vehicle_classes(self) -> list[int]:
        """Class number per vehicle; same class = same shift, places, limits and languages."""
        inst = self.inst
        vehicles = inst.problem.vehicles
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

    def remember(self, plan: Plan, before: Plan) -> None:
        """Add the routes of a repaired plan that differ from ``before`` to the pool."""
        pool = self.pool
        if len(pool) >= POOL_LIMIT:
            return
        for route, old in zip(plan.routes, before.routes, strict=True):
            if route is old or not route.stops or route.k not in self.pool_vehicles:
                continue
            key = (self.vehicle_class[route.k], frozenset(s >> 1 for s in route.stops))
            known = pool.get(key)
            if known is None or route.cost < known[0]:
                pool[key] = (route.cost, route.stops)

    def set_partition(self, plan: Plan, time_limit: float) -> Plan | None:
        """Recombine pooled routes into a cheaper plan serving the same requests, if any."""
        inst = self.inst
        served = [i for i in range(inst.n) if self.where[i] >= 0]
        cover = [i for i in served if self.where[i] in self.pool_vehicles]
        cover_set = set(cover)
        columns: list[tuple[int, list[int]]] = []
        members: list[tuple[int, ...]] = []
        groups: list[int] = []
        index: dict[tuple[int, frozenset[int]], int] = {}
        for key, (cost, stops) in self.pool.items():
            requests = key[1]
            if requests <= cover_set:
                index[key] = len(columns)
                columns.append((cost, stops))
                members.append(tuple(requests))
                groups.append(key[0])
        hint = []
        for route in plan.routes:
            if route.k in self.pool_vehicles and route.stops:
                key = (self.vehicle_class[route.k], frozenset(s >> 1 for s in route.stops))
                if key not in index:
                    index[key] = len(columns)
                    columns.append((route.cost, route.stops))
                    members.append(tuple(key[1]))
                    groups.append(key[0])
                hint.append(index[key])
        limits: dict[int, int] = {}
        for k in self.pool_vehicles:
            limits[self.vehicle_class[k]] = limits.get(self.vehicle_class[k], 0) + 1
        chosen = ortools_model.solve_set_partitioning(
            [c for c, _ in columns], members, groups, cover, limits, hint, time_limit
        )
        if chosen is None:
            return None
        new = self.snapshot(plan)
        free = {
            c: [k for k in sorted(self.pool_vehicles) if self.vehicle_class[k] == c] for c in limits
        }
        for k in self.pool_vehicles:
            empty = self.make_route(k, [])
            if empty is None:
                return None
            new.routes[k] = empty
        for r in chosen:
            k = free[groups[r]].pop(0)
            picked = self.make_route(k, list(columns[r][1]))
            if picked is None:
                return None
            new.routes[k] = picked
        self.refresh(new)
        if new.key() < plan.key():
            return new
        self.refresh(plan)
        return None

    def empty_plan(self) -> Plan:
        """A plan with every open vehicle empty and every candidate unassigned."""
        routes = []
        for k in range(self.inst.m):
            route = self.make_route(k, [])
            if route is None:
                # The shift alone is infeasible (e.g. end unreachable): keep it empty anyway.
                route = RouteState(k, [], [], [], [], [], 0, 0)
            routes.append(route)
        plan = Plan(routes, set(self.candidates))
        self.refresh(plan)
        return plan

    def settle(self, plan: Plan, candidates: Iterable[int]) -> None:
        """Unassigned = the ``candidates`` no route serves; totals and the request map refreshed
        (after routes were replaced wholesale, when ``unassigned`` was not kept up to date)."""
        self.refresh(plan)
        plan.unassigned = {i for i in candidates if self.where[i] < 0}
        self.refresh(plan)

    def refresh(self, plan: Plan) -> None:
        """Recompute totals and the request-to-vehicle map."""
        plan.cost = sum(r.cost for r in plan.routes)
        plan.missed = sum(self.inst.priority[i] for i in plan.unassigned)
        self.where = [-1] * self.inst.n
        for route in plan.routes:
            for s in route.stops:
                if not s & 1:
                    self.where[s >> 1] = route.k

    # ----------------------------------------------------------------- insertion
    def best_insertion(self, route: RouteState, i: int) -> tuple[int, list[int], list[int]] | None:
        """Cheapest feasible insertion of request i into route: (delta cost, stops, times).

        Memoised on the (immutable) route state, so unchanged routes are never re-scanned.
        """
        memo = route.memo
        if i in memo:
            return memo[i]
        found = self._best_insertion(route, i)
        memo[i] = found
        return found

    def _best_insertion(self, route: RouteState, i: int) -> tuple[int, list[int], list[int]] | None:
        """Uncached body of best_insertion."""
        inst = self.inst
        k = route.k
        if not route.nodes:
            return None
        p = 2 * i
        q = p + 1
        node = inst.node
        np_, nq = node[p], node[q]
        time = inst.time
        dist = inst.dist
        tp = time[np_]
        tq = time[nq]
        dp_row = dist[np_]
        dq_row = dist[nq]
        ep, lp, sp = inst.early[p], inst.late[p], inst.service[p]
        eq, lq, sq = inst.early[q], inst.late[q], inst.service[q]
        limit = inst.ride_limit[p]
        seq_stops = route.stops
        nodes = route.nodes
        early = route.early
        late = route.late
        size = len(nodes)
        capacity = inst.capacity[k]
        amounts = inst.load[p]
        dims = self.dims[i]
        loads = route.loads
        for dim in dims:
            if amounts[dim] > capacity[dim]:
                return None
        # service time at each position (depots have none)
        svc = route.service
        direct_pq = tp[nq]
        candidates: list[tuple[int, int, int]] = []
        # positions whose successor must begin before the pickup window opens are useless
        first = max(0, bisect_left(late, ep, 1, size) - 1)
        for a in range(first, size - 1):
            ea = early[a]
            if ea > lp:
                break
            na = nodes[a]
            bp = ea + svc[a] + time[na][np_]
            if bp > lp:
                continue
            if bp < ep:
                bp = ep
            # capacity right after the pickup
            ok = True
            for dim in dims:
                if loads[dim][a] + amounts[dim] > capacity[dim]:
                    ok = False
                    break
            if not ok:
                continue
            dist_a = dist[na]
            nb = nodes[a + 1]
            base_p = dist_a[np_] - dist_a[nb]
            # latest possible begin of the pickup when followed by position a+1
            after = bp + sp + tp[nb]
            # drop-off right after the pickup
            bq = bp + sp + direct_pq
            if bq < eq:
                bq = eq
            if bq <= lq and bq - bp <= limit and bq + sq + tq[nb] <= late[a + 1]:
                candidates.append((base_p + dp_row[nq] + dq_row[nb], a, a))
            if after > late[a + 1]:
                continue
            lp_max = min(lp, late[a + 1] - sp - tp[nb])
            cost_p = base_p + dp_row[nb]
            # drop-off later: propagate the delay caused by the pickup
            t = after if after > early[a + 1] else early[a + 1]
            for b in range(a + 1, size - 1):
                if b > a + 1:
                    t = t + svc[b - 1] + time[nodes[b - 1]][nodes[b]]
                    if t < early[b]:
                        t = early[b]
                    if t > late[b]:
                        break
                ok = True
                for dim in dims:
                    if loads[dim][b] + amounts[dim] > capacity[dim]:
                        ok = False
                        break
                if not ok:
                    break
                nbq = nodes[b]
                bq = t + svc[b] + time[nbq][nq]
                if bq > lq:
                    if t > lq:
                        break
                    continue
                if bq < eq:
                    bq = eq
                if bq - lp_max > limit:
                    continue
                nc = nodes[b + 1]
                if bq + sq + tq[nc] > late[b + 1]:
                    continue
                candidates.append((cost_p + dist[nbq][nq] + dq_row[nc] - dist[nbq][nc], a, b))
        if not candidates:
            return None
        candidates.sort()
        bonus = self.bonus if self.bonus and inst.language_match[i][k] else 0
        weight = self.weight
        for delta, a, b in candidates:
            stops = [*seq_stops[:a], p]
            if a == b:
                stops.append(q)
                stops += seq_stops[a:]
            else:
                stops += seq_stops[a:b]
                stops.append(q)
                stops += seq_stops[b:]
            times = self.timed_insert(route, stops, p, a, b)
            if times is not None:
                return weight * delta - bonus, stops, times
        return None

    def timed_insert(
        self, route: RouteState, stops: list[int], p: int, a: int, b: int
    ) -> list[int] | None:
        """Earliest schedule of ``stops`` = route with p after position a and p+1 after b.

        Starts from the route's current earliest times, which bound the new least schedule
        from below, so the prefix before the insertion need not be recomputed.
        """
        inst = self.inst
        k = route.k
        old = route.early
        early = inst.early
        times = old[: a + 1]
        times.append(early[p])
        times += old[a + 1 : b + 1]
        times.append(early[p + 1])
        times += old[b + 1 :]
        seq = [inst.start_stop(k), *stops, inst.end_stop(k)]
        node = inst.node
        service = inst.service
        travel = inst.time
        late = inst.late
        ride_limit = inst.ride_limit
        pos: dict[int, int] = {}
        pairs: list[tuple[int, int, int]] = []
        for j, s in enumerate(stops, 1):
            if s & 1:
                pairs.append((pos[s - 1], j, ride_limit[s]))
            else:
                pos[s] = j
        max_duration = inst.max_duration[k]
        size = len(seq)
        last = size - 1
        # First sweep: push delays forward from the pickup; an old stop that is not delayed
        # keeps its old time and so does everything up to the drop-off (or the end).
        p_pos = a + 1
        q_pos = b + 2
        prev = seq[a]
        t = times[a]
        j = p_pos
        while j < size:
            s = seq[j]
            t += service[prev] + travel[node[prev]][node[s]]
            if t <= times[j]:
                if j != p_pos and j != q_pos:
                    if j < q_pos:
                        j = q_pos
                        prev = seq[j - 1]
                        t = times[j - 1]
                        continue
                    break
                t = times[j]
            if t > late[s]:
                return None
            times[j] = t
            prev = s
            j += 1
        begin = size
        for _ in range(size + 1):
            if begin < size:
                self._sweep(seq, times, begin)
                if times[0] < 0:
                    return None
            lowest = size
            for pp, dp, limit in pairs:
                x = times[dp] - limit
                if x > times[pp]:
                    if x > late[seq[pp]]:
                        return None
                    times[pp] = x
                    if pp < lowest:
                        lowest = pp
            x = times[last] - max_duration
            if x > times[0]:
                if x > late[seq[0]]:
                    return None
                times[0] = x
                lowest = 0
            if lowest == size:
                return times
            begin = lowest + 1
        return None

    def _sweep(self, seq: list[int], times: list[int], begin: int) -> None:
        """Forward pass from position ``begin``; marks infeasibility with times[0] = -1."""
        inst = self.inst
        node = inst.node
        service = inst.service
        travel = inst.time
        late = inst.late
        size = len(seq)
        prev = seq[begin - 1]
        prev_node = node[prev]
        t = times[begin - 1]
        for j in range(begin, size):
            s = seq[j]
            here = node[s]
            t += service[prev] + travel[prev_node][here]
            if t < times[j]:
                t = times[j]
            if t > late[s]:
                times[0] = -1
                return
            times[j] = t
            prev = s
            prev_node = here

    def apply(self, plan: Plan, k: int, stops: list[int], times: list[int] | None) -> bool:
        """Replace vehicle k's route by these stops; False (no change) if infeasible."""
        route = self.make_route(k, stops, times)
        if route is None:
            return False
        old = plan.routes[k]
        plan.cost += route.cost - old.cost
        plan.routes[k] = route
        return True

    def insert_request(
        self, plan: Plan, i: int, k: int, stops: list[int], times: list[int]
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
        stops = [s for s in plan.routes[k].stops if s >> 1 != i]
        if not self.apply(plan, k, stops, None):
            return False
        plan.unassigned.add(i)
        plan.missed += self.inst.priority[i]
        self.where[i] = -1
        return True

    def repair(self, plan: Plan, regret: int, noise: float) -> None:
        """Insert unassigned requests: greedy (regret 1) or regret-k, linked pairs together."""
        inst = self.inst
        priority = inst.priority
        partner = inst.partner
        pending = [i for i in plan.unassigned if self.where[i] < 0]
        best: dict[int, dict[int, tuple[int, list[int], list[int]] | None]] = {
            i: {} for i in pending
        }
        max_cost = 1.0
        rng = self.rng
        failed: set[int] = set()
        while True:
            todo = [i for i in pending if self.where[i] < 0 and i not in failed]
            if not todo:
                return
            choice = -1
            choice_key: tuple[float, ...] = ()
            k_choice = -1
            for i in todo:
                cache = best[i]
                options: list[tuple[float, int]] = []
                for k in self.open_vehicles:
                    if k not in cache:
                        cache[k] = self.best_insertion(plan.routes[k], i)
                    found = cache[k]
                    if found is not None:
                        cost = float(found[0])
                        if noise:
                            cost += noise * max_cost * (2 * rng.random() - 1)
                        options.append((cost, k))
                if not options:
                    failed.add(i)
                    continue
                options.sort()
                cheapest = options[0][0]
                if cheapest > max_cost:
                    max_cost = cheapest
                if regret <= 0:
                    key: tuple[float, ...] = (priority[i], rng.random())
                elif regret == 1:
                    key = (priority[i], -cheapest)
                else:
                    value = 0.0
                    for r in range(1, regret):
                        other = options[r][0] if r < len(options) else INFEASIBLE
                        value += other - cheapest
                    key = (priority[i], value, -cheapest)
                if choice < 0 or key > choice_key:
                    choice, choice_key, k_choice = i, key, options[0][1]
            if choice < 0:
                return
            k = k_choice
            found = best[choice][k]
            assert found is not None
            if not self.insert_request(plan, choice, k, found[1], found[2]):
                failed.add(choice)
                continue
            for i in pending:
                best[i].pop(k, None)
            j = partner[choice]
            if j >= 0 and self.where[j] < 0 and j in self.candidates:
                if not self.insert_partner(plan, j):
                    self.remove_request(plan, choice)
                    failed.add(choice)
                    failed.add(j)
                for i in pending:
                    best[i].clear()

    def sequential_repair(self, plan: Plan, order: str, noise: float) -> None:
        """Insert unassigned requests one by one in a given order, each at its cheapest place.

        Each request looks at every route once (unchanged routes answer from their memo), so
        this is about half the work of regret insertion (as in SISR-style recreate).
        """
        inst = self.inst
        priority = inst.priority
        pending = [i for i in plan.unassigned if self.where[i] < 0]
        rng = self.rng
        if order == "random":
            rng.shuffle(pending)
            pending.sort(key=lambda i: -priority[i])
        elif order == "early":
            pending.sort(key=lambda i: (-priority[i], inst.early[2 * i], inst.early[2 * i + 1]))
        else:  # "far": long trips first
            node = inst.node
            dist = inst.dist
            pending.sort(key=lambda i: (-priority[i], -dist[node[2 * i]][node[2 * i + 1]]))
        partner = inst.partner
        scale = 0.0
        for i in pending:
            if self.where[i] >= 0:
                continue
            chosen: tuple[int, list[int], list[int]] | None = None
            chosen_cost = 0.0
            vehicle = -1
            for k in self.open_vehicles:
                found = self.best_insertion(plan.routes[k], i)
                if found is None:
                    continue
                cost = float(found[0])
                if cost > scale:
                    scale = cost
                if noise:
                    cost += noise * scale * (2 * rng.random() - 1)
                if chosen is None or cost < chosen_cost:
                    chosen, chosen_cost, vehicle = found, cost, k
            if chosen is None:
                continue
            if not self.insert_request(plan, i, vehicle, chosen[1], chosen[2]):
                continue
            j = partner[i]
            if (
                j >= 0
                and self.where[j] < 0
                and j in self.candidates
                and not self.insert_partner(plan, j)
            ):
                self.remove_request(plan, i)

    def insert_partner(self, plan: Plan, j: int) -> bool:
        """Insert the linked partner of a just inserted request at its cheapest place."""
        found: tuple[int, list[int], list[int]] | None = None
        vehicle = -1
        for k in self.open_vehicles:
            option = self.best_insertion(plan.routes[k], j)
            if option is not None and (found is None or option[0] < found[0]):
                found, vehicle = option, k
        if found is None:
            return False
        return self.insert_request(plan, j, vehicle, found[1], found[2])

    # ----------------------------------------------------------------- removal
    def served_removable(self) -> list[int]:
        """Requests currently on a route that the search may take out."""
        return [
            i
            for i in range(self.inst.n)
            if self.where[i] >= 0 and i not in self.fixed and self.where[i] not in self.closed
        ]

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
            stops = [s for s in plan.routes[k].stops if (s >> 1) not in gone]
            if self.apply(plan, k, stops, None):
                for r in gone:
                    plan.unassigned.add(r)
                    plan.missed += priority[r]
                    where[r] = -1
            else:  # without the triangle inequality a shorter route may be infeasible
                for r in gone:
                    self.remove_request(plan, r)

    def random_removal(self, plan: Plan, count: int) -> None:
        """Remove requests chosen uniformly at random."""
        pool = self.served_removable()
        self.remove_many(plan, self.rng.sample(pool, min(count, len(pool))))

    def removal_savings(self, plan: Plan, pool: list[int]) -> list[tuple[int, int]]:
        """Distance saved by taking each request out of its route, largest first."""
        inst = self.inst
        dist = inst.dist
        result = []
        for i in pool:
            route = plan.routes[self.where[i]]
            nodes = route.nodes
            pos = [route.position[2 * i], route.position[2 * i + 1]]
            a, b = pos
            if b == a + 1:
                saving = (
                    dist[nodes[a - 1]][nodes[a]]
                    + dist[nodes[a]][nodes[b]]
                    + dist[nodes[b]][nodes[b + 1]]
                    - dist[nodes[a - 1]][nodes[b + 1]]
                )
            else:
                saving = (
                    dist[nodes[a - 1]][nodes[a]]
                    + dist[nodes[a]][nodes[a + 1]]
                    - dist[nodes[a - 1]][nodes[a + 1]]
                    + dist[nodes[b - 1]][nodes[b]]
                    + dist[nodes[b]][nodes[b + 1]]
                    - dist[nodes[b - 1]][nodes[b + 1]]
                )
            result.append((saving, i))
        result.sort(reverse=True)
        return result

    def worst_removal(self, plan: Plan, count: int) -> None:
        """Remove requests whose detour costs most, with a random bias (p = 3)."""
        ranked = self.removal_savings(plan, self.served_removable())
        chosen: list[int] = []
        rng = self.rng
        for _ in range(min(count, len(ranked))):
            chosen.append(ranked.pop(int(len(ranked) * rng.random() ** 3))[1])
        self.remove_many(plan, chosen)

    def related_removal(self, plan: Plan, count: int) -> None:
        """Remove requests close to each other in place and time (Shaw removal)."""
        pool = self.served_removable()
        if not pool:
            return
        inst = self.inst
        dist = inst.dist
        node = inst.node
        times: dict[int, tuple[int, int]] = {}
        for i in pool:
            route = plan.routes[self.where[i]]
            pos = [route.position[2 * i], route.position[2 * i + 1]]
            times[i] = (route.early[pos[0]], route.early[pos[1]])
        scale_d = max(1, max(max(row) for row in dist))
        scale_t = max(1, max(inst.late[: 2 * inst.n], default=1))
        rng = self.rng
        removed = [rng.choice(pool)]
        rest = [i for i in pool if i != removed[0]]
        while len(removed) < count and rest:
            seed = rng.choice(removed)
            ps, ds = node[2 * seed], node[2 * seed + 1]
            ts = times[seed]

            def relatedness(i: int, ps: int = ps, ds: int = ds, ts: tuple[int, int] = ts) -> float:
                ti = times[i]
                return (dist[ps][node[2 * i]] + dist[ds][node[2 * i + 1]]) / scale_d + (
                    abs(ts[0] - ti[0]) + abs(ts[1] - ti[1])
                ) / scale_t

            rest.sort(key=relatedness)
            pick = rest.pop(int(len(rest) * rng.random() ** 6))
            removed.append(pick)
        self.remove_many(plan, removed)

    def route_removal(self, plan: Plan, count: int) -> None:
        """Empty a random used route (a vehicle's whole day), up to ``count`` requests."""
        used = [
            k
            for k in self.open_vehicles
            if any(not s & 1 and (s >> 1) not in self.fixed for s in plan.routes[k].stops)
        ]
        if not used:
            return
        k = self.rng.choice(used)
        chosen = [s >> 1 for s in plan.routes[k].stops if not s & 1 and (s >> 1) not in self.fixed]
        self.rng.shuffle(chosen)
        self.remove_many(plan, chosen[: max(count, 1)])

    # ----------------------------------------------------------------- driver
    def snapshot(self, plan: Plan) -> Plan:
        """A copy sharing the immutable route states."""
        return Plan(list(plan.routes), set(plan.unassigned), plan.cost, plan.missed)

    def run(
        self,
        plan: Plan,
        deadline: float,
        max_iterations: int | None = None,
        on_best: Callable[[Plan], None] | None = None,
    ) -> tuple[Plan, SearchStats]:
        """Improve ``plan`` until the deadline; return the best plan found and counters."""
        stats = SearchStats()
        started = time.monotonic()
        self.refresh(plan)
        if plan.unassigned:
            self.repair(plan, 2, 0.0)
        best = self.snapshot(plan)
        current = self.snapshot(plan)
        removals: list[tuple[str, Callable[[Plan, int], None]]] = [
            ("random", self.random_removal),
            ("worst", self.worst_removal),
            ("related", self.related_removal),
            ("route", self.route_removal),
        ]
        repairs: list[tuple[str, int, float]] = [
            ("greedy", 1, 0.0),
            ("regret2", 2, 0.0),
            ("regret3", 3, 0.0),
            ("greedy-noise", 1, self.config.noise),
            ("regret2-noise", 2, self.config.noise),
            ("random-order", 0, 0.0),
            ("random-order-noise", 0, 0.3),
            ("sequential-random", -1, 0.0),
            ("sequential-early", -2, 0.0),
            ("sequential-far", -3, 0.0),
            ("sequential-random-noise", -1, 0.2),
        ]
        if not self.config.sequential:
            repairs = [r for r in repairs if r[1] >= 0]
        if not self.config.random_order:
            repairs = [r for r in repairs if r[1] != 0]
        weights_r = [1.0] * len(removals)
        weights_i = [1.0] * len(repairs)
        scores_r = [0.0] * len(removals)
        scores_i = [0.0] * len(repairs)
        uses_r = [0] * len(removals)
        uses_i = [0] * len(repairs)
        n_free = len(self.served_removable()) + len(plan.unassigned)
        if n_free == 0:
            return best, stats
        config = self.config
        low = min(config.min_remove, n_free)
        high = max(
            low,
            min(config.max_remove, int(config.max_remove_fraction * n_free) + 1),
            min(n_free, config.min_high),
        )
        start_temperature = config.start_worse * max(1, abs(best.cost)) / math.log(2)
        end_temperature = start_temperature / config.cooling
        total = max(1e-3, deadline - started)
        rng = self.rng
        since_best = 0
        checkpoints = list(config.partition_at) if len(self.pool_vehicles) > 1 else []
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
            temperature = start_temperature * (end_temperature / start_temperature) ** fraction
            if checkpoints and fraction >= checkpoints[0]:
                while checkpoints and fraction >= checkpoints[0]:
                    checkpoints.pop(0)
                budget = 0.5 * (deadline - now)
                if max_iterations is None:
                    budget = min(config.partition_share * total, config.partition_cap, budget)
                # With an iteration cap the run must be reproducible: a MIP cut short by its
                # time limit would make the result depend on the machine's speed and load.
                self.refresh(best)
                merged = self.set_partition(best, budget)
                if merged is not None:
                    best = self.snapshot(merged)
                    current = merged
                    stats.improvements += 1
                    stats.best_found_seconds = time.monotonic() - started
                    if on_best is not None:
                        on_best(best)
                continue
            ri = rng.choices(range(len(removals)), weights_r)[0]
            ii = rng.choices(range(len(repairs)), weights_i)[0]
            uses_r[ri] += 1
            uses_i[ii] += 1
            trial = self.snapshot(current)
            self.refresh(trial)
            count = rng.randint(low, high)
            removals[ri][1](trial, count)
            _, regret, noise = repairs[ii]
            if regret < 0:
                self.sequential_repair(trial, SEQUENTIAL_ORDERS[-regret - 1], noise)
            else:
                self.repair(trial, regret, noise)
            score = 0.0
            accepted = False
            if trial.key() < best.key():
                best = self.snapshot(trial)
                current = trial
                stats.improvements += 1
                stats.best_found_seconds = time.monotonic() - started
                score = 33.0
                accepted = True
                if not trial.unassigned:
                    self.remember(trial, current)
                since_best = 0
                if on_best is not None:
                    on_best(best)
            elif trial.missed < current.missed or (
                trial.missed == current.missed
                and (
                    trial.cost < current.cost
                    or rng.random() < math.exp((current.cost - trial.cost) / temperature)
                )
            ):
                score = 9.0 if trial.cost < current.cost else 13.0
                if not trial.unassigned:
                    self.remember(trial, current)
                current = trial
                accepted = True
            since_best += 1
            if not accepted:
                score = 0.0
            scores_r[ri] += score
            scores_i[ii] += score
            if stats.iterations % 100 == 0:
                for weights, scores, uses in (
                    (weights_r, scores_r, uses_r),
                    (weights_i, scores_i, uses_i),
                ):
                    for x in range(len(weights)):
                        if uses[x]:
                            weights[x] = max(0.05, 0.8 * weights[x] + 0.2 * scores[x] / uses[x])
                        scores[x] = 0.0
                        uses[x] = 0
            if since_best > config.restart_after:
                current = self.snapshot(best)
                since_best = 0
        self.refresh(best)
        return best, stats
