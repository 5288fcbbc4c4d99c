"""Destroy operators: which served requests a move takes out of their routes.

Each operator only *chooses* (it returns request indices and draws from the run's random
generator); the search then takes them out its own way (the LNS one rebuild per route, the
granular search one by one with an undo log), together with their linked partners.

* Whole-plan operators, for the LNS on a usual day: ``random_removal``, ``worst_removal``,
  ``related_removal`` (Shaw) and ``route_removal``.
* Local operators, for the granular search on a province-sized day, whose cost does not grow
  with the day: ``LocalRemovals`` (a trip and its neighbours, a route and a neighbouring one,
  the costliest detours of a sample, a random sample).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

from matching.search.route import Plan
from matching.search.state import SearchState
from matching.stops import dropoff, pickup, request_stops, requests_on

T = TypeVar("T")


def pop_biased(ranked: list[T], rng: random.Random, power: int) -> T:
    """Take an item out of a ranked list, the first ones far likelier (random ** ``power``)."""
    return ranked.pop(int(len(ranked) * rng.random() ** power))


def removal_saving(state: SearchState, plan: Plan, i: int) -> int:
    """Distance saved by taking served request i out of its route (exact, without building
    the shorter route)."""
    dist = state.inst.dist
    route = plan.routes[state.where[i]]
    nodes = route.nodes
    p = 2 * i  # stops.py encoding: pickup(i), and p + 1 = dropoff(i)
    a, b = route.position[p], route.position[p + 1]
    if b == a + 1:
        return (
            dist[nodes[a - 1]][nodes[a]]
            + dist[nodes[a]][nodes[b]]
            + dist[nodes[b]][nodes[b + 1]]
            - dist[nodes[a - 1]][nodes[b + 1]]
        )
    return (
        dist[nodes[a - 1]][nodes[a]]
        + dist[nodes[a]][nodes[a + 1]]
        - dist[nodes[a - 1]][nodes[a + 1]]
        + dist[nodes[b - 1]][nodes[b]]
        + dist[nodes[b]][nodes[b + 1]]
        - dist[nodes[b - 1]][nodes[b + 1]]
    )


def removal_savings(state: SearchState, plan: Plan, pool: list[int]) -> list[tuple[int, int]]:
    """(distance saved by taking request i out of its route, i) for each i of pool, largest
    first."""
    result = [(removal_saving(state, plan, i), i) for i in pool]
    result.sort(reverse=True)
    return result


# --------------------------------------------------------------------- whole plan (the LNS)
def random_removal(state: SearchState, plan: Plan, count: int, rng: random.Random) -> list[int]:
    """Requests chosen uniformly at random among those that may move."""
    pool = state.served_removable()
    return rng.sample(pool, min(count, len(pool)))


def worst_removal(
    state: SearchState,
    plan: Plan,
    count: int,
    rng: random.Random,
    pool: list[int] | None = None,
) -> list[int]:
    """Requests whose detour costs most, with a random bias (p = 3), among ``pool`` (default:
    every request that may move)."""
    candidates = state.served_removable() if pool is None else pool
    ranked = removal_savings(state, plan, candidates)
    return [pop_biased(ranked, rng, 3)[1] for _ in range(min(count, len(ranked)))]


def related_removal(state: SearchState, plan: Plan, count: int, rng: random.Random) -> list[int]:
    """Requests close to each other in place and time (Shaw removal)."""
    pool = state.served_removable()
    if not pool:
        return []
    inst = state.inst
    dist = inst.dist
    node = inst.node
    times: dict[int, tuple[int, int]] = {}
    for i in pool:
        route = plan.routes[state.where[i]]
        early, position = route.early, route.position
        times[i] = (early[position[pickup(i)]], early[position[dropoff(i)]])
    places = {i: (node[pickup(i)], node[dropoff(i)]) for i in pool}
    scale_d = max(1, inst.longest_leg)
    scale_t = max(1, max(inst.late[request_stops(inst.n)], default=1))
    removed = [rng.choice(pool)]
    rest = [i for i in pool if i != removed[0]]
    while len(removed) < count and rest:
        seed = rng.choice(removed)
        ps, ds = places[seed]
        ts = times[seed]

        def relatedness(i: int, ps: int = ps, ds: int = ds, ts: tuple[int, int] = ts) -> float:
            pi, di = places[i]
            ti = times[i]
            return (dist[ps][pi] + dist[ds][di]) / scale_d + (
                abs(ts[0] - ti[0]) + abs(ts[1] - ti[1])
            ) / scale_t

        rest.sort(key=relatedness)
        removed.append(pop_biased(rest, rng, 6))
    return removed


def route_removal(state: SearchState, plan: Plan, count: int, rng: random.Random) -> list[int]:
    """The requests of a random used route (a vehicle's whole day), up to ``count``."""
    fixed = state.fixed
    used = [
        k
        for k in state.open_vehicles
        if any(i not in fixed for i in requests_on(plan.routes[k].stops))
    ]
    if not used:
        return []
    k = rng.choice(used)
    chosen = [i for i in requests_on(plan.routes[k].stops) if i not in fixed]
    rng.shuffle(chosen)
    return chosen[: max(count, 1)]


# --------------------------------------------------------------------- local (granular search)
class LocalRemovals:
    """Removals that look at a bounded neighbourhood only, so a move costs the same on any day.

    ``requests`` are the requests the search may serve (sorted), ``neighbours[i]`` the requests
    most related to request i, closest first. ``strings`` is the share of removals that take
    runs of at most ``string_stops`` consecutive stops (the method ``strings``), out of the
    half that takes related trips.
    """

    def __init__(
        self,
        requests: list[int],
        neighbours: Sequence[list[int]],
        strings: float = 0.0,
        string_stops: int = 8,
    ) -> None:
        """Keep the request list, the neighbour lists and the share of string removals."""
        self.requests = requests
        self.neighbours = neighbours
        self.string_share = strings
        self.string_stops = max(2, string_stops)

    def choose(self, state: SearchState, plan: Plan, count: int, rng: random.Random) -> list[int]:
        """About ``count`` requests by an operator drawn at random (related ones most often)."""
        choice = rng.random()
        if choice < self.string_share:
            return self.strings(state, plan, count, rng)
        if choice < 0.5:
            return self.related(state, plan, count, rng)
        if choice < 0.7:
            return self.routes(state, plan, count, rng)
        if choice < 0.85:
            return self.worst(state, plan, count, rng)
        return self.random(state, count, rng)

    def related(self, state: SearchState, plan: Plan, count: int, rng: random.Random) -> list[int]:
        """A seed trip (often an unserved one, to make room for it) and its neighbours."""
        seed = self._seed(plan, rng)
        chosen = [seed] if state.removable(seed) else []
        for j in self.neighbours[seed]:
            if len(chosen) >= count:
                break
            if state.removable(j) and rng.random() < 0.8:
                chosen.append(j)
        return chosen

    def _seed(self, plan: Plan, rng: random.Random) -> int:
        """The trip a removal grows from: an unserved one 40 % of the time (to make room for
        it), else any."""
        if plan.unassigned and rng.random() < 0.4:
            return rng.choice(tuple(plan.unassigned))
        return rng.choice(self.requests)

    def strings(self, state: SearchState, plan: Plan, count: int, rng: random.Random) -> list[int]:
        """Runs of consecutive stops, each around the pickup of one of a seed trip's neighbours
        on that neighbour's route, one route after the other: room at the same hour in
        several cars near the seed (after the string removals of Christiaens and Vanden
        Berghe's SISR), where related trips may lie at any hour of their routes."""
        seed = self._seed(plan, rng)
        where = state.where
        chosen: list[int] = []
        seen: set[int] = set()
        routes: set[int] = set()
        for j in [seed, *self.neighbours[seed]]:
            k = where[j]
            if k < 0 or k in routes:
                continue
            routes.add(k)
            route = plan.routes[k]
            at = route.position[2 * j] - 1  # stops.py encoding: 2j is j's pickup
            length = rng.randint(2, self.string_stops)
            first = max(0, at - rng.randint(0, length - 1))
            for s in route.stops[first : first + length]:
                r = s >> 1
                if r not in seen and state.removable(r):
                    seen.add(r)
                    chosen.append(r)
            if len(chosen) >= count:
                break
        return chosen[: max(count, 2)]

    def routes(self, state: SearchState, plan: Plan, count: int, rng: random.Random) -> list[int]:
        """The trips of a route and of the route of a neighbouring trip."""
        where = state.where
        seed = rng.choice(self.requests)
        vehicles = []
        if where[seed] >= 0:
            vehicles.append(where[seed])
        for j in self.neighbours[seed]:
            k = where[j]
            if k >= 0 and k not in vehicles:
                vehicles.append(k)
                if len(vehicles) >= 2:
                    break
        chosen = []
        for k in vehicles:
            chosen += requests_on(plan.routes[k].stops)
        chosen = [i for i in chosen if state.removable(i)]
        rng.shuffle(chosen)
        return chosen[: max(count, 2)]

    def worst(self, state: SearchState, plan: Plan, count: int, rng: random.Random) -> list[int]:
        """Among a sample of served trips, those whose detours cost most (biased draw)."""
        sample = rng.sample(self.requests, min(len(self.requests), 80))
        return worst_removal(state, plan, count, rng, [i for i in sample if state.removable(i)])

    def random(self, state: SearchState, count: int, rng: random.Random) -> list[int]:
        """Trips drawn at random among all, those that may move, up to ``count``."""
        sample = rng.sample(self.requests, min(len(self.requests), 4 * count))
        return [i for i in sample if state.removable(i)][:count]
