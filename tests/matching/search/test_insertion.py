"""Insertion (matching.search.insertion): the screen loses no feasible place, timing is exact."""

from __future__ import annotations

import random

from matching.instance import Instance
from matching.schedule import earliest
from matching.search.insertion import best_insertion, best_insertions, timed_insert
from matching.search.route import RouteState, build_route
from matching.stops import dropoff, pickup
from tests.matching.days import random_day


def cheapest_by_brute_force(inst: Instance, route: RouteState, i: int) -> int | None:
    """Least distance added by request i over every pair of positions, each timed from scratch."""
    stops = route.stops
    best = None
    for a in range(len(stops) + 1):
        for b in range(a, len(stops) + 1):
            trial = [*stops[:a], pickup(i), *stops[a:b], dropoff(i), *stops[b:]]
            built = build_route(inst, route.k, trial, None, 1, 0)
            if built is not None and (best is None or built.distance - route.distance < best):
                best = built.distance - route.distance
    return best


def random_routes(seed: int) -> tuple[Instance, list[RouteState], list[int]]:
    """Routes built by inserting random requests greedily on a generated day; the rest left."""
    inst = Instance.from_problem(random_day(seed, 24, 3))
    rng = random.Random(seed)
    order = list(range(inst.n))
    rng.shuffle(order)
    dims = [[d for d, x in enumerate(inst.load[pickup(i)]) if x > 0] for i in range(inst.n)]
    routes = [build_route(inst, k, [], None, 1, 0) for k in range(inst.m)]
    assert all(r is not None for r in routes)
    states: list[RouteState] = [r for r in routes if r is not None]
    left = []
    for i in order:
        k = rng.randrange(inst.m)
        found = best_insertion(inst, states[k], i, dims[i], 1, 0)
        rebuilt = None if found is None else build_route(inst, k, found.stops(), found.times, 1, 0)
        if rebuilt is None or rng.random() < 0.3:
            left.append(i)
        else:
            states[k] = rebuilt
    return inst, states, left


def test_best_insertion_finds_the_cheapest_feasible_place():
    """On generated days the screened search finds the same least added distance as trying
    every pair of positions with the exact timing (and None when nothing is feasible)."""
    checked = 0
    for seed in range(8):
        inst, routes, left = random_routes(seed)
        for route in routes:
            for i in left:
                dims = [d for d, x in enumerate(inst.load[pickup(i)]) if x > 0]
                found = best_insertion(inst, route, i, dims, 1, 0)
                expected = cheapest_by_brute_force(inst, route, i)
                assert (None if found is None else found[0]) == expected
                checked += found is not None
    assert checked > 20


def test_insertion_times_are_the_earliest_schedule_from_scratch():
    """The times an insertion returns, built from the route's own, are the earliest schedule
    of the new stop list computed afresh."""
    for seed in range(8):
        inst, routes, left = random_routes(seed)
        for route in routes:
            for i in left:
                dims = [d for d, x in enumerate(inst.load[pickup(i)]) if x > 0]
                found = best_insertion(inst, route, i, dims, 1, 0)
                if found is not None:
                    assert found.times.tolist() == earliest(inst, route.k, found.stops())


def test_one_call_for_many_requests_answers_as_one_call_each():
    """The batch the searches ask of a changed route (every waiting request at once) gives
    each request the cost, positions and times of its own call, with weight and bonus."""
    compared = 0
    for seed in range(6):
        inst, routes, left = random_routes(seed)
        for route in routes:
            batch = best_insertions(inst, route, left, 3, 50)
            for i, got in zip(left, batch, strict=True):
                dims = [d for d, x in enumerate(inst.load[pickup(i)]) if x > 0]
                alone = best_insertion(inst, route, i, dims, 3, 50)
                if alone is None:
                    assert got is None
                    continue
                assert got is not None
                assert (got.cost, got.a, got.b, got.stops()) == (
                    alone.cost,
                    alone.a,
                    alone.b,
                    alone.stops(),
                )
                assert got.times.tolist() == alone.times.tolist()
                compared += 1
    assert compared > 20


def test_timed_insert_refuses_what_exact_timing_refuses():
    """Every pickup/drop-off position pair: timed_insert is None exactly when the new route
    has no earliest schedule."""
    inst, routes, left = random_routes(3)
    for route in routes:
        for i in left[:4]:
            stops = route.stops
            for a in range(len(stops) + 1):
                for b in range(a, len(stops) + 1):
                    trial = [*stops[:a], pickup(i), *stops[a:b], dropoff(i), *stops[b:]]
                    times = timed_insert(inst, route, pickup(i), a, b)
                    assert times == earliest(inst, route.k, trial)
