"""Behaviour of matching.solve on small hand-made days."""

from __future__ import annotations

import time

import numpy as np
import pytest

from matching import LockedRoute, Problem, Reason, Request, Shift, Weights, solve, validate
from tests.matching import brute
from tests.matching.conftest import make_problem


def served_priority_and_cost(problem: Problem, solution) -> tuple[int, int]:
    """The solution's lexicographic objective in the brute-force reference's terms."""
    missed = sum(r.priority for r in problem.requests if r.id not in solution.served)
    matches = sum(
        1
        for route in solution.routes
        for rid in route.requests
        if problem.request(rid).languages & problem.shift(route.shift).languages
    )
    weights = problem.weights
    return missed, weights.distance * solution.distance - weights.language_bonus * matches


def test_single_request_is_served_validly(make_request, make_shift):
    """One request and one free driver: it is served and the solution validates."""
    problem = make_problem([make_request()], [make_shift()])
    solution = solve(problem, time_limit=1.0, max_iterations=50)
    assert validate(problem, solution) == []
    assert solution.unassigned == ()
    assert solution.distance == 8000


def test_shared_ride_pools_two_requests(make_request, make_shift):
    """Two riders on the same corridor share one car rather than two trips."""
    problem = make_problem(
        [make_request(pickup=1, dropoff=4), make_request(pickup=2, dropoff=5)],
        [make_shift(), make_shift()],
    )
    solution = solve(problem, time_limit=1.0, max_iterations=100)
    assert validate(problem, solution) == []
    assert solution.distance == 10_000
    assert len([r for r in solution.routes if r.stops]) == 1


def test_ride_time_limit_forbids_long_detour(make_request, make_shift):
    """A tight ride limit keeps a rider from sitting through another rider's detour."""
    first = make_request(pickup=1, dropoff=2, max_ride_time=60)
    second = make_request(pickup=1, dropoff=5, max_ride_time=240)
    problem = make_problem([first, second], [make_shift(capacity=(1, 0, 0)), make_shift()])
    solution = solve(problem, time_limit=1.0, max_iterations=100)
    assert validate(problem, solution) == []
    assert not solution.unassigned


def test_priority_request_wins_the_last_seat(make_request, make_shift):
    """With one seat and two overlapping trips, the health appointment is the one served."""
    window = (600, 600)
    routine = make_request(pickup=1, dropoff=4, pickup_window=window)
    health = make_request(pickup=2, dropoff=4, pickup_window=window, priority=3)
    problem = make_problem([routine, health], [make_shift(capacity=(1, 0, 0))])
    solution = solve(problem, time_limit=1.0, max_iterations=100)
    assert validate(problem, solution) == []
    assert solution.served == {health.id}
    assert [(u.request, u.reason) for u in solution.unassigned] == [
        (routine.id, Reason.NO_CAPACITY_LEFT)
    ]


@pytest.mark.parametrize(
    ("request_overrides", "vehicle_overrides", "reason"),
    [
        ({"load": (1, 0, 1)}, {}, Reason.NO_WHEELCHAIR_PLACE),
        ({"load": (1, 2, 0)}, {}, Reason.NO_CHILD_SEATS),
        ({"load": (5, 0, 0)}, {}, Reason.NOT_ENOUGH_SEATS),
        (
            {"pickup_window": (9000, 9500), "dropoff_window": (9000, 9900)},
            {},
            Reason.NO_SHIFT_COVERS_WINDOW,
        ),
        ({"max_ride_time": 100}, {}, Reason.DIRECT_TRIP_TOO_LONG),
        ({"pickup_window": (0, 30)}, {}, Reason.UNREACHABLE_IN_SHIFT),
        ({}, {"max_duration": 400}, Reason.UNREACHABLE_IN_SHIFT),
    ],
)
def test_infeasible_alone_reasons(
    make_request, make_shift, request_overrides, vehicle_overrides, reason
):
    """Each kind of impossible request is reported with its own reason code."""
    request = make_request(**request_overrides)
    problem = make_problem([request], [make_shift(**vehicle_overrides)])
    solution = solve(problem, time_limit=1.0, max_iterations=20)
    assert validate(problem, solution) == []
    assert [u.reason for u in solution.unassigned] == [reason]
    assert not brute.feasible_alone(problem, request)


def test_no_single_vehicle_fits_all_needs(make_request, make_shift):
    """A rider needing a wheelchair place and a child seat when no car has both."""
    problem = make_problem(
        [make_request(load=(2, 1, 1))],
        [make_shift(capacity=(3, 1, 0)), make_shift(capacity=(3, 0, 1))],
    )
    solution = solve(problem, time_limit=1.0, max_iterations=20)
    assert [u.reason for u in solution.unassigned] == [Reason.NO_VEHICLE_FITS_LOAD]


def test_linked_trips_both_or_neither(make_request, make_shift):
    """If the return trip cannot be served, the outward trip is not served either."""
    outward = make_request(id=1, linked=2, pickup=1, dropoff=4)
    back = make_request(id=2, linked=1, pickup=4, dropoff=1, load=(1, 0, 1))
    problem = make_problem([outward, back], [make_shift()])
    solution = solve(problem, time_limit=1.0, max_iterations=50)
    assert validate(problem, solution) == []
    reasons = {u.request: u.reason for u in solution.unassigned}
    assert reasons == {1: Reason.LINKED_TRIP_UNSERVED, 2: Reason.NO_WHEELCHAIR_PLACE}


def test_linked_trips_served_together(make_request, make_shift):
    """Outward and return trips that fit are both served."""
    outward = make_request(id=1, linked=2, pickup=1, dropoff=4, pickup_window=(0, 600))
    back = make_request(
        id=2, linked=1, pickup=4, dropoff=1, pickup_window=(3000, 3600), dropoff_window=(3000, 7000)
    )
    problem = make_problem([outward, back], [make_shift()])
    solution = solve(problem, time_limit=1.0, max_iterations=50)
    assert validate(problem, solution) == []
    assert solution.served == {1, 2}


def test_closed_locked_route_is_kept_exactly(make_request, make_shift):
    """A closed lock keeps its requests on its driver in its order, and nothing else joins."""
    a = make_request(id=1, pickup=1, dropoff=5)
    b = make_request(id=2, pickup=2, dropoff=3)
    c = make_request(id=3, pickup=2, dropoff=4)
    lock = LockedRoute(
        shift=10, stops=((1, "pickup"), (2, "pickup"), (2, "dropoff"), (1, "dropoff"))
    )
    problem = make_problem([a, b, c], [make_shift(id=10), make_shift(id=11)], locked=(lock,))
    solution = solve(problem, time_limit=1.0, max_iterations=100)
    assert validate(problem, solution) == []
    route = solution.route_of(10)
    assert route is not None
    assert [(s.request, s.kind) for s in route.stops] == list(lock.stops)
    other = solution.route_of(11)
    assert other is not None and 3 in other.requests
    assert solution.served == {1, 2, 3}


def test_open_locked_route_keeps_order_and_takes_more(make_request, make_shift):
    """An open lock keeps its requests and order on its driver; others may be inserted."""
    a = make_request(id=1, pickup=1, dropoff=5)
    b = make_request(id=2, pickup=2, dropoff=4)
    lock = LockedRoute(shift=10, stops=((1, "pickup"), (1, "dropoff")), closed=False)
    problem = make_problem([a, b], [make_shift(id=10)], locked=(lock,))
    solution = solve(problem, time_limit=1.0, max_iterations=100)
    assert validate(problem, solution) == []
    assert solution.served == {1, 2}


def test_infeasible_lock_is_reported(make_request, make_shift):
    """A locked route whose schedule became impossible is reported, not silently broken."""
    a = make_request(id=1, pickup=1, dropoff=5, pickup_window=(0, 100), dropoff_window=(0, 200))
    b = make_request(id=2, pickup=5, dropoff=1, pickup_window=(0, 100))
    lock = LockedRoute(
        shift=10, stops=((2, "pickup"), (2, "dropoff"), (1, "pickup"), (1, "dropoff"))
    )
    problem = make_problem([a, b], [make_shift(id=10)], locked=(lock,))
    solution = solve(problem, time_limit=1.0, max_iterations=20)
    assert validate(problem, solution) == []
    assert {u.reason for u in solution.unassigned} <= {
        Reason.LOCKED_ROUTE_INFEASIBLE,
        Reason.DIRECT_TRIP_TOO_LONG,
        Reason.UNREACHABLE_IN_SHIFT,
    }
    assert {u.request for u in solution.unassigned} == {1, 2}


def test_language_bonus_prefers_speaker_without_losing_riders(make_request, make_shift):
    """The bonus picks the Arabic-speaking driver when the cost is equal, serving everyone."""
    rider = make_request(languages=frozenset({"ar"}))
    problem = make_problem(
        [rider, make_request(pickup=2, dropoff=3)],
        [
            make_shift(id=1, languages=frozenset({"es"})),
            make_shift(id=2, languages=frozenset({"ar", "fr"})),
        ],
        weights=Weights(language_bonus=500),
    )
    solution = solve(problem, time_limit=1.0, max_iterations=100)
    assert validate(problem, solution) == []
    assert not solution.unassigned
    route = solution.route_of(2)
    assert route is not None and rider.id in route.requests


def test_language_bonus_never_costs_a_served_request(make_request, make_shift):
    """Even a huge language bonus does not leave a rider unserved."""
    requests = [
        make_request(
            id=1, pickup=1, dropoff=4, pickup_window=(600, 700), languages=frozenset({"uk"})
        ),
        make_request(id=2, pickup=2, dropoff=5, pickup_window=(600, 700)),
    ]
    vehicles = [
        make_shift(id=1, capacity=(1, 0, 0), languages=frozenset({"uk"})),
        make_shift(id=2, capacity=(1, 0, 0)),
    ]
    plain = make_problem(requests, vehicles, weights=Weights(language_bonus=0))
    keen = make_problem(requests, vehicles, weights=Weights(language_bonus=10**8))
    served_plain = solve(plain, time_limit=1.0, max_iterations=100).served
    solution = solve(keen, time_limit=1.0, max_iterations=100)
    assert validate(keen, solution) == []
    assert len(solution.served) == len(served_plain) == 2


def test_time_limit_is_respected():
    """A 1 s limit on a busy random day returns in about 1 s (generous tolerance)."""
    rng = np.random.default_rng(3)
    points = rng.integers(0, 40, size=(60, 2))
    steps = np.abs(points[:, None, :] - points[None, :, :]).sum(axis=2)
    requests = []
    for i in range(25):
        a, b = rng.choice(np.arange(1, 60), size=2, replace=False)
        begin = int(rng.integers(0, 20_000))
        requests.append(
            Request(i, int(a), int(b), (begin, begin + 1800), (0, 40_000), 3000, (1, 0, 0), 60, 60)
        )
    vehicles = tuple(Shift(k, 0, 0, (0, 40_000), (3, 0, 0)) for k in range(4))
    problem = Problem(tuple(requests), vehicles, steps * 60, steps * 1000)
    started = time.monotonic()
    solution = solve(problem, time_limit=1.0)
    assert time.monotonic() - started < 4.0
    assert validate(problem, solution) == []


def test_bad_time_limit_is_rejected(make_request, make_shift):
    """A non-positive time limit is a caller error."""
    problem = make_problem([make_request()], [make_shift()])
    with pytest.raises(ValueError, match="time_limit"):
        solve(problem, time_limit=0)


def test_plain_ortools_method_gives_valid_solution(make_request, make_shift):
    """The plain OR-Tools path is re-timed and repaired, so it validates too."""
    problem = make_problem(
        [make_request(pickup=1, dropoff=4), make_request(pickup=2, dropoff=5)],
        [make_shift()],
    )
    solution = solve(problem, time_limit=1.0, method="ortools")
    assert validate(problem, solution) == []
    assert solution.stats.method == "ortools"


def test_same_seed_same_result(make_request, make_shift):
    """With a fixed seed and iteration count the result is reproducible."""
    requests = [make_request(pickup=p, dropoff=d) for p, d in ((1, 4), (2, 5), (5, 1), (3, 0))]
    problem = make_problem(requests, [make_shift(), make_shift()])
    one = solve(problem, time_limit=5.0, seed=7, max_iterations=200)
    two = solve(problem, time_limit=5.0, seed=7, max_iterations=200)
    assert one.routes == two.routes
