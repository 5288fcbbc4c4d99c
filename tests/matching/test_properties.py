"""Generated problems: solutions always validate, reasons are true, tiny optima are exact."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import Problem, Reason, Request, Shift, Weights, solve, validate
from tests.matching import brute


def served_value(problem: Problem, solution) -> tuple[int, int]:
    """(unserved priority, distance cost - language bonus) of a solution."""
    missed = sum(r.priority for r in problem.requests if r.id not in solution.served)
    matches = sum(
        1
        for route in solution.routes
        for rid in route.requests
        if problem.request(rid).languages & problem.shift(route.shift).languages
    )
    weights = problem.weights
    return missed, weights.distance * solution.distance - weights.language_bonus * matches


@st.composite
def problems(draw, max_requests: int = 3) -> Problem:
    """Small random days on villages placed on a line (so travel times are metric)."""
    places = draw(st.integers(3, 6))
    position = draw(st.lists(st.integers(0, 12), min_size=places, max_size=places))
    coords = np.array(position)
    steps = np.abs(coords[:, None] - coords[None, :])
    languages = st.frozensets(st.sampled_from(["es", "ar", "ro"]), max_size=2)
    n = draw(st.integers(1, max_requests))
    requests = []
    for i in range(n):
        pickup, dropoff = draw(
            st.lists(st.integers(0, places - 1), min_size=2, max_size=2, unique=True)
        )
        begin = draw(st.integers(0, 1500))
        width = draw(st.integers(0, 900))
        tight_pickup = draw(st.booleans())
        wide = (0, 3600)
        requests.append(
            Request(
                id=i,
                pickup=pickup,
                dropoff=dropoff,
                pickup_window=(begin, begin + width) if tight_pickup else wide,
                dropoff_window=wide if tight_pickup else (begin, begin + width),
                max_ride_time=draw(st.integers(0, 900)),
                load=(draw(st.integers(1, 3)), draw(st.integers(0, 1)), draw(st.integers(0, 1))),
                pickup_service=draw(st.integers(0, 60)),
                dropoff_service=draw(st.integers(0, 60)),
                priority=draw(st.integers(1, 3)),
                languages=draw(languages),
            )
        )
    if n >= 2 and draw(st.booleans()):
        requests[0] = Request(**{**requests[0].__dict__, "linked": 1})
        requests[1] = Request(**{**requests[1].__dict__, "linked": 0})
    m = draw(st.integers(1, 2))
    vehicles = []
    for k in range(m):
        start = draw(st.integers(0, places - 1))
        begin = draw(st.integers(0, 600))
        vehicles.append(
            Shift(
                id=k,
                start=start,
                end=draw(st.sampled_from([start, draw(st.integers(0, places - 1))])),
                window=(begin, begin + draw(st.integers(300, 3600))),
                capacity=(
                    draw(st.integers(1, 4)),
                    draw(st.integers(0, 1)),
                    draw(st.integers(0, 1)),
                ),
                max_duration=draw(st.one_of(st.none(), st.integers(300, 3600))),
                languages=draw(languages),
            )
        )
    return Problem(
        tuple(requests),
        tuple(vehicles),
        steps * 60,
        steps * 1000,
        weights=Weights(language_bonus=draw(st.sampled_from([0, 500]))),
    )


def assert_reasons_true(problem: Problem, solution) -> None:
    """Every reason given for an unserved request is a true statement."""
    by_id = {r.id: r for r in problem.requests}
    for item in solution.unassigned:
        request = by_id[item.request]
        if item.reason.infeasible_alone:
            assert not brute.feasible_alone(problem, request), item
        elif item.reason is Reason.LINKED_TRIP_UNSERVED:
            assert request.linked is not None
            assert not brute.feasible_alone(problem, by_id[request.linked]), item
        elif item.reason is Reason.NO_CAPACITY_LEFT:
            assert brute.feasible_alone(problem, request), item


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_generated_problems_validate_with_true_reasons_and_optimal_value(problem):
    """Any small day: valid solution, true reasons, and the brute-force optimum."""
    solution = solve(problem, time_limit=5.0, max_iterations=150)
    assert validate(problem, solution) == []
    assert_reasons_true(problem, solution)
    assert served_value(problem, solution) == brute.optimum(problem)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_requests=3))
def test_language_bonus_never_reduces_served_count(problem):
    """Turning the language bonus up never serves fewer riders (by priority)."""
    import dataclasses

    without = dataclasses.replace(problem, weights=Weights(language_bonus=0))
    keen = dataclasses.replace(problem, weights=Weights(language_bonus=5_000_000))
    plain = solve(without, time_limit=5.0, max_iterations=150)
    chosen = solve(keen, time_limit=5.0, max_iterations=150)
    assert validate(keen, chosen) == []
    assert served_value(keen, chosen)[0] == served_value(without, plain)[0]


def four_request_day(seed: int) -> Problem:
    """A reproducible random day of four requests and two drivers."""
    rng = random.Random(seed)
    coords = np.array([rng.randint(0, 10) for _ in range(6)])
    steps = np.abs(coords[:, None] - coords[None, :])
    requests = []
    for i in range(4):
        pickup, dropoff = rng.sample(range(6), 2)
        begin = rng.randint(0, 1200)
        requests.append(
            Request(
                i,
                pickup,
                dropoff,
                (begin, begin + 600),
                (0, 3600),
                rng.randint(300, 900),
                (rng.randint(1, 2), 0, 0),
                30,
                30,
            )
        )
    vehicles = (Shift(0, 0, 0, (0, 3600), (2, 0, 0)), Shift(1, 5, 5, (0, 3600), (3, 0, 0)))
    return Problem(tuple(requests), vehicles, steps * 60, steps * 1000)


def test_four_request_days_match_brute_force():
    """Five fixed four-request days: the solver's value equals the exhaustive optimum."""
    for seed in range(5):
        problem = four_request_day(seed)
        solution = solve(problem, time_limit=5.0, seed=seed, max_iterations=300)
        assert validate(problem, solution) == []
        assert served_value(problem, solution) == brute.optimum(problem), seed
