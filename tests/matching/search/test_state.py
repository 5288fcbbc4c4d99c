"""The search state (matching.search.state): plan edits keep the request map and totals."""

from __future__ import annotations

from matching.stops import dropoff, pickup
from tests.matching.conftest import make_problem
from tests.matching.search.conftest import state_of


def two_riders(make_request, make_shift, **vehicle):
    """Two requests on the line, two vehicles."""
    return make_problem(
        [make_request(pickup=1, dropoff=4, priority=2), make_request(pickup=2, dropoff=3)],
        [make_shift(**vehicle), make_shift(**vehicle)],
    )


def test_insert_and_remove_keep_where_cost_and_missed(make_request, make_shift):
    """Inserting and removing a request updates its vehicle, the cost and the missed priority."""
    state = state_of(two_riders(make_request, make_shift))
    plan = state.empty_plan()
    assert plan.key() == (3, 0)
    found = state.best_insertion(plan.routes[1], 0)
    assert found is not None
    assert state.insert_request(plan, 0, 1, found.stops(), found.times)
    assert state.where == [1, -1] and plan.unassigned == {1} and plan.key() == (1, 8000)
    assert state.remove_request(plan, 0)
    assert state.where == [-1, -1] and plan.unassigned == {0, 1} and plan.key() == (3, 0)


def test_infeasible_edit_changes_nothing(make_request, make_shift):
    """A stop list with no feasible schedule is refused and the plan stays as it was."""
    state = state_of(two_riders(make_request, make_shift, window=(0, 100)))
    plan = state.empty_plan()
    before = (list(plan.routes), set(plan.unassigned), plan.key())
    assert not state.apply(plan, 0, [pickup(0), dropoff(0)], None)
    assert (list(plan.routes), set(plan.unassigned), plan.key()) == before


def test_remove_many_takes_linked_partners_but_not_fixed_requests(make_request, make_shift):
    """Removing a trip removes its linked partner; a fixed request stays."""
    problem = make_problem(
        [
            make_request(id=0, linked=1, pickup=1, dropoff=4),
            make_request(id=1, linked=0, pickup=4, dropoff=1, pickup_window=(1000, 3600)),
            make_request(id=2, pickup=2, dropoff=3),
        ],
        [make_shift()],
    )
    state = state_of(problem, fixed={2})
    plan = state.empty_plan()
    stops = [pickup(0), pickup(2), dropoff(2), dropoff(0), pickup(1), dropoff(1)]
    assert state.apply(plan, 0, stops, None)
    state.settle(plan, state.candidates)
    state.remove_many(plan, [0, 2])
    assert plan.routes[0].stops == [pickup(2), dropoff(2)]
    assert plan.unassigned == {0, 1} and state.where == [-1, -1, 0]
    assert state.served_removable() == []


def test_allowed_vehicles_limit_insertion_but_not_the_sweep(make_request, make_shift):
    """With ``allowed`` a request is only offered its own vehicles; the unrestricted test
    still finds a place elsewhere (the final sweep of a large day uses it)."""
    problem = two_riders(make_request, make_shift)
    state = state_of(problem, allowed=[frozenset({0}), frozenset({0, 1})])
    plan = state.empty_plan()
    assert state.best_insertion(plan.routes[1], 0) is None
    assert state.best_insertion(plan.routes[0], 0) is not None
    assert state.best_insertion_anywhere(plan.routes[1], 0) is not None


def test_best_insertion_is_memoised_on_the_route(make_request, make_shift):
    """An unchanged route answers a repeated question from its memo (the same object)."""
    state = state_of(two_riders(make_request, make_shift))
    plan = state.empty_plan()
    first = state.best_insertion(plan.routes[0], 1)
    assert first is not None and plan.routes[0].memo[1] is first
    assert state.best_insertion(plan.routes[0], 1) is first


def test_closed_vehicles_and_fixed_requests_are_not_removable(make_request, make_shift):
    """Requests on a closed route or locked in place may not move."""
    state = state_of(two_riders(make_request, make_shift), fixed={0}, closed={1})
    plan = state.empty_plan()
    assert state.open_vehicles == [0]
    assert state.apply(plan, 0, [pickup(0), dropoff(0)], None)
    assert state.apply(plan, 1, [pickup(1), dropoff(1)], None)
    state.settle(plan, state.candidates)
    assert not state.removable(0) and not state.removable(1)
    assert state.served_removable() == []
