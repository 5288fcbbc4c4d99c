"""Destroy operators (matching.search.destroy): they choose movable requests, biased as told."""

from __future__ import annotations

import random

from matching.search import destroy
from matching.search.destroy import LocalRemovals, pop_biased, removal_savings
from matching.search.route import Plan
from matching.search.state import SearchState
from matching.stops import dropoff, pickup
from tests.matching.conftest import make_problem
from tests.matching.search.conftest import FixedDraws, state_of


def served_day(make_request, make_shift) -> tuple[SearchState, Plan]:
    """Four requests on two routes: vehicle 0 drives 1 -> 4 and a detour to 5 and back to 2;
    vehicle 1 drives 2 -> 3 twice. Request 3 is locked."""
    problem = make_problem(
        [
            make_request(pickup=1, dropoff=4),
            make_request(pickup=5, dropoff=2, pickup_window=(0, 7200), dropoff_window=(0, 7200)),
            make_request(pickup=2, dropoff=3),
            make_request(pickup=2, dropoff=3),
        ],
        [make_shift(window=(0, 20_000)), make_shift(window=(0, 20_000))],
    )
    state = state_of(problem, fixed={3})
    plan = state.empty_plan()
    assert state.apply(plan, 0, [pickup(0), dropoff(0), pickup(1), dropoff(1)], None)
    assert state.apply(plan, 1, [pickup(2), pickup(3), dropoff(2), dropoff(3)], None)
    state.settle(plan, state.candidates)
    return state, plan


def test_savings_rank_the_costliest_detour_first(make_request, make_shift):
    """The detour to place 5 and back saves most when removed."""
    state, plan = served_day(make_request, make_shift)
    ranked = removal_savings(state, plan, [0, 1, 2])
    assert next(i for _, i in ranked) == 1
    assert ranked == sorted(ranked, reverse=True)
    # taking request 1 out of 0-1-4-5-2-0 saves 4-5-2-0 (1+3+2 km) less 4-0 (4 km)
    assert {i: s for s, i in ranked}[1] == 2000


def test_whole_plan_removals_choose_only_movable_requests(make_request, make_shift):
    """Random, worst, related and route removal never choose a locked request, never repeat
    one and choose at most ``count`` (route removal: one route's)."""
    state, plan = served_day(make_request, make_shift)
    for seed in range(20):
        rng = random.Random(seed)
        for removal in (destroy.random_removal, destroy.worst_removal, destroy.related_removal):
            chosen = removal(state, plan, 2, rng)
            assert len(chosen) == len(set(chosen)) == 2
            assert set(chosen) <= {0, 1, 2}
        chosen = destroy.route_removal(state, plan, 5, rng)
        assert set(chosen) in ({0, 1}, {2})


def test_worst_removal_with_no_bias_draws_in_rank_order(make_request, make_shift):
    """With every draw at 0 the biased pick takes the ranking in order."""
    state, plan = served_day(make_request, make_shift)
    ranked = [i for _, i in removal_savings(state, plan, [0, 1, 2])]
    assert destroy.worst_removal(state, plan, 3, FixedDraws(0.0)) == ranked


def test_pop_biased_favours_the_front():
    """random ** 3 puts most draws in the first part of the list."""
    rng = random.Random(1)
    picks = [pop_biased(list(range(100)), rng, 3) for _ in range(2000)]
    assert sum(p < 20 for p in picks) > 0.5 * len(picks)


def test_related_removal_grows_from_a_seed_to_its_neighbours(make_request, make_shift):
    """With every draw at 0 the seed is the first movable request (1 -> 4) and the next one
    the most related to it: 2 -> 3, next door, rather than 5 -> 2."""
    state, plan = served_day(make_request, make_shift)
    assert destroy.related_removal(state, plan, 2, FixedDraws(0.0)) == [0, 2]
    assert set(destroy.related_removal(state, plan, 3, FixedDraws(0.0))) == {0, 1, 2}


def test_local_removals_stay_in_the_neighbourhood(make_request, make_shift):
    """The granular search's removals choose movable requests, related ones from the seed's
    neighbour list and route ones from at most two routes."""
    state, plan = served_day(make_request, make_shift)
    neighbours = [[2, 1, 3], [0, 2, 3], [0, 3, 1], [2, 0, 1]]
    local = LocalRemovals([0, 1, 2, 3], neighbours)
    for seed in range(30):
        rng = random.Random(seed)
        chosen = local.choose(state, plan, 2, rng)
        assert len(chosen) <= 2 and set(chosen) <= {0, 1, 2}
        related = local.related(state, plan, 3, rng)
        assert set(related) <= {0, 1, 2}
        assert set(local.routes(state, plan, 5, rng)) <= {0, 1, 2}
        drawn = local.random(state, 2, rng)
        assert len(drawn) <= 2 and set(drawn) <= {0, 1, 2}


def test_string_removals_take_runs_of_consecutive_stops_near_a_seed(make_request, make_shift):
    """A car carries five riders one after another (0-4) and another two (5, 6); each removal
    takes, route by route from the seed's neighbours, a run of consecutive stops: the riders
    it takes from one car follow each other on its route. Over many draws the runs differ in
    length and reach both cars."""
    hours = [{"pickup_window": (900 * i, 900 * i + 60), "dropoff_window": (0, 7200)}
             for i in range(5)]  # fmt: skip
    one_by_one = [make_request(pickup=1, dropoff=2, **hour) for hour in hours]
    others = [make_request(pickup=3, dropoff=4) for _ in range(2)]
    problem = make_problem(
        [*one_by_one, *others], [make_shift(window=(0, 9000)), make_shift(window=(0, 9000))]
    )
    state = state_of(problem)
    plan = state.empty_plan()
    assert state.apply(plan, 0, [s for i in range(5) for s in (pickup(i), dropoff(i))], None)
    assert state.apply(plan, 1, [pickup(5), pickup(6), dropoff(5), dropoff(6)], None)
    state.settle(plan, state.candidates)
    neighbours = [[j for j in (2, 5, 1, 3, 6, 0, 4) if j != i] for i in range(7)]
    local = LocalRemovals(list(range(7)), neighbours, strings=1.0, string_stops=6)
    first_car: set[tuple[int, ...]] = set()
    both = 0
    for seed in range(60):
        chosen = local.choose(state, plan, 4, random.Random(seed))
        assert len(chosen) == len(set(chosen)) and 2 <= len(chosen) <= 4
        run = sorted(i for i in chosen if i < 5)
        if run:
            assert run == list(range(run[0], run[-1] + 1))
        first_car.add(tuple(run))
        both += bool(run) and any(i >= 5 for i in chosen)
    assert len({len(run) for run in first_car}) >= 3 and both > 0
