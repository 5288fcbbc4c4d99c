"""The OR-Tools module: routing model round trip and set partitioning of pooled routes."""

from __future__ import annotations

from matching import ortools_model
from matching.instance import Instance
from tests.matching.conftest import make_problem, make_request_factory, make_shift_factory


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
