"""The LNS loop (matching.search.lns): adaptive operator weights, bounded runs, no losses."""

from __future__ import annotations

import random
from pathlib import Path

from matching.benchmarks.darp import read_instance, to_problem
from matching.search.lns import REMOVALS, Lns, LnsConfig, OperatorWeights
from matching.search.repair import Order, sequential_insert
from matching.search.stop import RunClock
from tests.matching.days import random_day
from tests.matching.search.conftest import state_of
from tests.matching.search.polish_checks import at_local_optimum


def test_weights_move_towards_the_mean_score_and_reset():
    """Every adaptation: w = max(0.05, 0.8 w + 0.2 score/uses) for used operators only."""
    weights = OperatorWeights(3)
    weights.uses = [2, 0, 1]
    weights.scores = [66.0, 0.0, 0.0]
    weights.adapt()
    assert weights.weights == [0.8 + 0.2 * 33.0, 1.0, 0.8 * 1.0]
    assert weights.scores == [0.0, 0.0, 0.0] and weights.uses == [0, 0, 0]
    for _ in range(30):
        weights.uses = [0, 0, 1]
        weights.adapt()
    assert weights.weights[2] == 0.05


def test_draws_follow_the_weights():
    """An operator with most of the weight is drawn most often, and each draw is counted."""
    weights = OperatorWeights(2)
    weights.weights = [9.0, 1.0]
    rng = random.Random(0)
    draws = [weights.draw(rng) for _ in range(2000)]
    assert 0.85 < draws.count(0) / 2000 < 0.95
    assert weights.uses == [draws.count(0), draws.count(1)]


def test_run_stops_at_its_cap_and_never_loses_what_the_start_served():
    """A capped run does exactly that many iterations and returns a plan no worse than its
    start, whose routes rebuild to its cost."""
    problem = random_day(4, 30, 4)
    state = state_of(problem)
    plan = state.empty_plan()
    sequential_insert(state, plan, Order.EARLY, 0.0, random.Random(0))
    start = plan.key()
    best, stats = Lns(state, random.Random(2)).run(plan.snapshot(), float("inf"), 150)
    assert stats.iterations == 150
    assert best.key() <= start
    rebuilt = [state.make_route(route.k, list(route.stops)) for route in best.routes]
    assert all(route is not None for route in rebuilt)
    assert best.cost == sum(route.cost for route in rebuilt if route is not None)


def test_same_seed_same_run():
    """Two capped runs with the same seed find the same plan."""
    problem = random_day(9, 25, 3)
    results = []
    for _ in range(2):
        state = state_of(problem)
        best, _ = Lns(state, random.Random(5)).run(state.empty_plan(), float("inf"), 120)
        results.append([route.stops for route in best.routes])
    assert results[0] == results[1]


def test_removals_are_named_in_a_fixed_order():
    """The adaptive weights index these four removals."""
    assert [name for name, _ in REMOVALS] == ["random", "worst", "related", "route"]


def test_only_a_plan_that_serves_all_it_may_is_polished():
    """While a request waits the iterations go to serving it: no polish; once none waits, the
    plan is polished (these a2-16 starts have tail swaps that save)."""
    problem = to_problem(read_instance(Path(__file__).parents[1] / "data" / "a2-16.txt"))
    state = state_of(problem)
    plans = []
    for seed in (3, 0):  # random-order insertion leaves one request out from seed 3, none from 0
        plan = state.empty_plan()
        sequential_insert(state, plan, Order.RANDOM, 0.0, random.Random(seed))
        plans.append(plan)
    waiting, full = plans
    assert waiting.unassigned and not full.unassigned
    lns = Lns(state, random.Random(0))
    run = lns._start(full.snapshot(), RunClock(float("inf"), 10))
    assert run is not None
    state.refresh(waiting)
    routes = list(waiting.routes)
    assert not lns._polish(run, waiting)
    assert waiting.routes == routes
    state.refresh(full)
    unpolished = full.snapshot()
    assert not Lns(state, random.Random(0), LnsConfig(polish=False))._polish(run, unpolished)
    assert lns._polish(run, full)
    assert full.cost < unpolished.cost


def test_the_best_plan_of_a_day_where_requests_wait_is_polished_at_the_end():
    """On random day 2 requests wait all run long, so no trial is polished; the returned plan
    is still at a local optimum of the polish, and cheaper than without it (whose plan is not)."""
    results = {}
    for polish in (False, True):
        state = state_of(random_day(2, 40, 5))
        lns = Lns(state, random.Random(2), LnsConfig(polish=polish))
        best, _ = lns.run(state.empty_plan(), float("inf"), 60)
        state.refresh(best)
        assert best.unassigned
        results[polish] = (best.missed, best.cost, at_local_optimum(state, best))
    assert results[True][0] == results[False][0]
    assert results[True][1] < results[False][1]
    assert results[True][2] and not results[False][2]
