"""An unused shift is not driven, so it costs nothing whatever its two ends (found by the
property test against the brute-force optimum: the search charged every empty shift its
start-to-end distance, so a shift ending elsewhere looked free to use)."""

from __future__ import annotations

import numpy as np

from matching import solve, validate
from matching.problem import Problem, Request, Shift, Weights

NEAR, FAR = 1000, 2000


def _tie_broken_by_language() -> Problem:
    """One Spanish-speaking rider from node 0 to node 1; shift 0 (speaks Spanish) starts and
    ends at node 0, shift 1 starts at 0 and ends at node 4. Either drives 2,000 m."""
    distances = np.array([
        [0, NEAR, 0, 0, FAR, 0],
        [NEAR, 0, NEAR, NEAR, NEAR, NEAR],
        [0, NEAR, 0, 0, FAR, 0],
        [0, NEAR, 0, 0, FAR, 0],
        [FAR, NEAR, FAR, FAR, 0, FAR],
        [0, NEAR, 0, 0, FAR, 0],
    ])  # fmt: skip
    return Problem(
        requests=(
            Request(
                id=0,
                pickup=0,
                dropoff=1,
                pickup_window=(0, 3600),
                dropoff_window=(60, 60),
                max_ride_time=60,
                load=(1, 0, 0),
                languages=frozenset({"es"}),
            ),
        ),
        shifts=(
            Shift(
                id=0,
                start=0,
                end=0,
                window=(0, 300),
                capacity=(1, 0, 0),
                languages=frozenset({"es"}),
            ),
            Shift(id=1, start=0, end=4, window=(0, 304), capacity=(1, 0, 0)),
        ),
        durations=distances * 60 // NEAR,
        distances=distances,
        weights=Weights(unserved=1_000_000_000, distance=1, language_bonus=500),
    )


def test_the_shift_sharing_the_language_wins_a_distance_tie() -> None:
    problem = _tie_broken_by_language()
    for construction in ("insertion", "ortools"):
        solution = solve(problem, time_limit=5.0, max_iterations=150, construction=construction)
        assert validate(problem, solution) == []
        [route] = solution.routes
        assert route.shift == 0, construction
        assert solution.distance == 2 * NEAR
