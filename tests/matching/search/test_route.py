"""Route and plan state (matching.search.route): caches of a feasible route, plan copies."""

from __future__ import annotations

from matching import Weights
from matching.instance import Instance
from matching.schedule import earliest, latest
from matching.search.route import Plan, build_route
from matching.stops import dropoff, pickup
from tests.matching.conftest import make_problem


def test_route_caches_times_loads_and_cost(make_request, make_shift):
    """A built route holds its earliest and latest times, loads per dimension and cost."""
    problem = make_problem(
        [make_request(pickup=1, dropoff=4, load=(2, 1, 0)), make_request(pickup=2, dropoff=3)],
        [make_shift()],
    )
    inst = Instance.from_problem(problem)
    stops = [pickup(0), pickup(1), dropoff(1), dropoff(0)]
    route = build_route(inst, 0, stops, None, 1, 0)
    assert route is not None
    assert route.early == earliest(inst, 0, stops)
    assert route.late == latest(inst, 0, stops)
    assert route.loads[0] == [0, 2, 3, 2, 0, 0] and route.loads[1] == [0, 1, 1, 1, 0, 0]
    assert route.distance == route.cost == 8000  # 0 -> 1 -> 2 -> 3 -> 4 -> 0
    assert route.position == {s: j for j, s in enumerate(stops, 1)}


def test_route_is_refused_when_overloaded_or_late(make_request, make_shift):
    """No state for a route that exceeds a capacity or misses a window."""
    problem = make_problem(
        [make_request(load=(2, 0, 0)), make_request(load=(2, 0, 0), pickup_window=(0, 10))],
        [make_shift()],
    )
    inst = Instance.from_problem(problem)
    assert build_route(inst, 0, [pickup(0), pickup(1), dropoff(0), dropoff(1)], None, 1, 0) is None
    assert build_route(inst, 0, [pickup(1), dropoff(1)], None, 1, 0) is None
    assert build_route(inst, 0, [pickup(0), dropoff(0)], None, 1, 0) is not None


def test_cost_counts_distance_weight_less_language_bonus(make_request, make_shift):
    """Cost = weight x metres - bonus per rider sharing a language with the driver."""
    problem = make_problem(
        [make_request(languages=frozenset({"ar"})), make_request(pickup=2, dropoff=3)],
        [make_shift(languages=frozenset({"ar"}))],
        weights=Weights(distance=3, language_bonus=500),
    )
    inst = Instance.from_problem(problem)
    route = build_route(inst, 0, [pickup(0), pickup(1), dropoff(1), dropoff(0)], None, 3, 500)
    assert route is not None
    assert route.cost == 3 * 8000 - 500


def test_snapshot_shares_routes_but_not_the_unserved_set(make_request, make_shift):
    """A snapshot may be edited without touching the plan it was taken from."""
    inst = Instance.from_problem(make_problem([make_request()], [make_shift()]))
    route = build_route(inst, 0, [], None, 1, 0)
    assert route is not None
    plan = Plan([route], {0}, 0, 1)
    copy = plan.snapshot()
    copy.unassigned.clear()
    served = build_route(inst, 0, [pickup(0), dropoff(0)], None, 1, 0)
    assert served is not None
    copy.routes[0] = served
    assert plan.unassigned == {0} and plan.routes[0] is route
    assert copy.key() == (1, 0) and plan.key() == (1, 0)


def test_compiled_route_state_agrees_with_the_plain_timing():
    """On random stop orders of generated days, the compiled route state (kernels.route_state)
    is feasible exactly when the plain timing and the capacities say so, with the same times."""
    import random

    from tests.matching.days import random_day

    checked = feasible = 0
    for seed in range(6):
        inst = Instance.from_problem(random_day(seed, 12, 3))
        rng = random.Random(seed)
        for _ in range(60):
            chosen = rng.sample(range(inst.n), rng.randint(1, 4))
            stops: list[int] = []
            for i in chosen:  # the drop-off somewhere after its pickup
                at = rng.randint(0, len(stops))
                stops.insert(at, pickup(i))
                stops.insert(rng.randint(at + 1, len(stops)), dropoff(i))
            k = rng.randrange(inst.m)
            route = build_route(inst, k, stops, None, 1, 0)
            first, last = earliest(inst, k, stops), latest(inst, k, stops)
            dims = len(inst.capacity[k])
            loads = [0] * dims
            fits = True
            for s in stops:
                loads = [a + b for a, b in zip(loads, inst.load[s], strict=True)]
                fits = fits and all(x <= c for x, c in zip(loads, inst.capacity[k], strict=True))
            expected = first is not None and last is not None and fits
            assert (route is not None) == expected, (seed, k, stops)
            if route is not None:
                assert route.early == first and route.late == last
                assert route.distance == inst.route_distance(k, stops)
                feasible += 1
            checked += 1
    assert feasible > 20 and checked - feasible > 20  # both outcomes were exercised
