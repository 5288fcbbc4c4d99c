"""The OR-Tools module: the baseline routing model (valid plans, allowed shifts, linked pairs,
no side constraints) and set partitioning of pooled routes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import ortools_model
from matching.instance import Instance
from matching.precheck import check_all
from matching.solver import solve
from matching.validate import validate
from tests.matching.conftest import make_problem, make_request_factory, make_shift_factory
from tests.matching.days import random_day


def test_set_partitioning_recombines_cheaper_routes():
    """From routes {1,2}:10, {3}:5, {1}:4, {2,3}:6 and two cars, it picks {1} + {2,3}."""
    chosen = ortools_model.solve_set_partitioning(
        costs=[10, 5, 4, 6],
        members=[(1, 2), (3,), (1,), (2, 3)],
        groups=[0, 0, 0, 0],
        cover=[1, 2, 3],
        group_limits={0: 2},
        hint=[0, 1],
        time_limit=5.0,
    )
    assert sorted(chosen or []) == [2, 3]


def test_set_partitioning_respects_vehicle_count():
    """With one car only the single route covering everything may be chosen."""
    chosen = ortools_model.solve_set_partitioning(
        costs=[10, 5, 4, 6, 30],
        members=[(1, 2), (3,), (1,), (2, 3), (1, 2, 3)],
        groups=[0, 0, 0, 0, 0],
        cover=[1, 2, 3],
        group_limits={0: 1},
        hint=[4],
        time_limit=5.0,
    )
    assert chosen == [4]


def test_routing_model_round_trip():
    """A built model solves and its routes come back as our stop numbers, pairs intact."""
    make_request = make_request_factory()
    make_shift = make_shift_factory()
    problem = make_problem(
        [make_request(pickup=1, dropoff=4), make_request(pickup=2, dropoff=5)],
        [make_shift(), make_shift()],
    )
    inst = Instance.from_problem(problem)
    model = ortools_model.build_model(inst, [0, 1], [0, 1], [10**6, 10**6])
    params = ortools_model.search_parameters(1.0, first_solution_only=True)
    assignment, _ = ortools_model.solve_model(model, params)
    assert assignment is not None
    routes = ortools_model.extract_routes(model, assignment)
    stops = sorted(s for route in routes.values() for s in route)
    assert stops == [0, 1, 2, 3]
    for route in routes.values():
        for s in route:
            if s & 1:
                assert route.index(s - 1) < route.index(s)


def _model_routes(
    problem: object,
    penalties: list[int],
    allowed: dict[int, tuple[int, ...]] | None = None,
    seconds: float = 0.5,
    language_bonus: int = 0,
) -> dict[int, list[int]]:
    """Build the baseline model on every request and shift, search briefly, read the routes."""
    inst = Instance.from_problem(problem)  # type: ignore[arg-type]
    model = ortools_model.build_model(
        inst,
        list(range(inst.n)),
        list(range(inst.m)),
        penalties,
        allowed=allowed,
        language_bonus=language_bonus,
    )
    params = ortools_model.search_parameters(seconds, ortools_model.BASELINE_FIRST_SOLUTION)
    assignment, _ = ortools_model.solve_model(model, params)
    assert assignment is not None
    return ortools_model.extract_routes(model, assignment)


def test_requests_ride_only_on_their_allowed_shifts():
    """A request allowed on the far shift only rides there although the near one is free; one
    allowed on no shift stays out of every route."""
    make_request = make_request_factory()
    make_shift = make_shift_factory()
    problem = make_problem(
        [make_request(pickup=1, dropoff=2), make_request(pickup=1, dropoff=2)],
        [make_shift(start=1, end=1), make_shift(start=5, end=5)],
    )
    routes = _model_routes(problem, [10**6, 10**6], allowed={0: (1,), 1: ()})
    assert sorted(routes[1]) == [0, 1]
    assert routes[0] == []


def test_the_language_bonus_moves_a_rider_to_a_shift_that_speaks_their_language():
    """A rider is 2 km cheaper to carry in the shift that does not speak their language: the
    model takes the dearer shift when the bonus (3 km) outweighs that, and the cheaper one on
    distance alone or when the bonus is smaller than the difference."""
    make_request = make_request_factory()
    make_shift = make_shift_factory()
    problem = make_problem(
        [make_request(pickup=1, dropoff=4, languages=frozenset({"ar"}))],
        [
            make_shift(start=2, end=2, languages=frozenset({"es"})),  # 6 km
            make_shift(start=0, end=0, languages=frozenset({"ar", "es"})),  # 8 km
        ],
    )
    for bonus, shift in ((3_000, 1), (0, 0), (1_000, 0)):
        routes = _model_routes(problem, [10**9], language_bonus=bonus)
        assert sorted(routes[shift]) == [0, 1], (bonus, routes)


def test_a_linked_pair_is_served_both_or_neither_in_the_model():
    """Two linked trips, one of which no shift may take: the model leaves out both (one leg
    alone earns no penalty back); with both allowed it serves both."""
    make_request = make_request_factory()
    make_shift = make_shift_factory()
    out, back = make_request(id=1, linked=2), make_request(id=2, linked=1, pickup=4, dropoff=1)
    problem = make_problem([out, back], [make_shift()])
    routes = _model_routes(problem, [10**6, 10**6], allowed={0: (0,), 1: ()})
    assert routes[0] == []
    routes = _model_routes(problem, [10**6, 10**6], allowed={0: (0,), 1: (0,)})
    assert sorted(routes[0]) == [0, 1, 2, 3]


def test_the_baseline_model_adds_no_side_constraints():
    """Same vehicle and precedence come from the pickup-and-delivery API alone: per request
    the solver holds no more than the routing model's own two constraints (its disjunctions;
    the textbook ``solver.Add`` side constraints would add three more each)."""
    make_request = make_request_factory()
    make_shift = make_shift_factory()

    def constraints(n: int) -> int:
        problem = make_problem([make_request() for _ in range(n)], [make_shift()])
        inst = Instance.from_problem(problem)
        model = ortools_model.build_model(inst, list(range(n)), [0], [10**6] * n)
        return int(model.routing.solver().Constraints())

    assert constraints(6) - constraints(1) <= 2 * 5


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), requests=st.integers(2, 14), vehicles=st.integers(1, 3))
def test_plain_ortools_plans_are_valid_and_keep_links(seed: int, requests: int, vehicles: int):
    """On random small days (windows, loads, links, impossible trips) ``method="ortools"``
    returns a plan ``validate`` accepts, every request on a shift that could take it alone,
    and each linked pair served both or neither."""
    problem = random_day(seed, requests, vehicles)
    solution = solve(problem, time_limit=0.3, method="ortools")
    assert validate(problem, solution) == []
    inst = Instance.from_problem(problem)
    verdicts = check_all(inst)
    index = {rid: i for i, rid in enumerate(inst.request_ids)}
    shift_index = {sid: k for k, sid in enumerate(inst.vehicle_ids)}
    served = set()
    for route in solution.routes:
        for stop in route.stops:
            assert shift_index[route.shift] in verdicts[index[stop.request]].vehicles
            served.add(stop.request)
    for request in problem.requests:
        if request.linked is not None:
            assert (request.id in served) == (request.linked in served)
