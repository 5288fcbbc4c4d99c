"""Linked trips in one place (matching.links): both served or neither, locked ones kept."""

from __future__ import annotations

from matching.links import enforce_links, waiting_partner, with_partners
from matching.stops import dropoff, pickup
from tests.matching.conftest import make_problem
from tests.matching.search.conftest import state_of


def linked_pair(make_request, make_shift):
    """Requests 0 and 1 linked (outward and return), request 2 alone, one vehicle."""
    return make_problem(
        [
            make_request(id=10, linked=11, pickup=1, dropoff=4),
            make_request(id=11, linked=10, pickup=4, dropoff=1),
            make_request(id=12, pickup=2, dropoff=3),
        ],
        [make_shift()],
    )


def test_enforce_links_unserves_a_trip_whose_partner_is_unserved(make_request, make_shift):
    """Served outward trip, unserved return: the outward trip is taken out; others stay."""
    state = state_of(linked_pair(make_request, make_shift))
    plan = state.empty_plan()
    assert state.apply(plan, 0, [pickup(0), pickup(2), dropoff(2), dropoff(0)], None)
    plan.unassigned = {1}
    enforce_links(state, plan, set(), state.candidates)
    assert plan.routes[0].stops == [pickup(2), dropoff(2)]
    assert plan.unassigned == {0, 1}
    assert state.where == [-1, -1, 0]


def test_enforce_links_never_drops_a_locked_trip(make_request, make_shift):
    """A locked (fixed) trip stays on its route even when its partner is unserved (issue 19:
    the whole-day solver used to drop it, the large one did not)."""
    state = state_of(linked_pair(make_request, make_shift))
    plan = state.empty_plan()
    assert state.apply(plan, 0, [pickup(0), dropoff(0)], None)
    enforce_links(state, plan, {0}, state.candidates)
    assert plan.routes[0].stops == [pickup(0), dropoff(0)]
    assert state.where[0] == 0


def test_enforce_links_keeps_pairs_served_together(make_request, make_shift):
    """Both trips of a pair served: nothing changes."""
    state = state_of(linked_pair(make_request, make_shift))
    plan = state.empty_plan()
    stops = [pickup(0), dropoff(0), pickup(1), dropoff(1)]
    assert state.apply(plan, 0, list(stops), None)
    enforce_links(state, plan, set(), state.candidates)
    assert plan.routes[0].stops == stops
    assert plan.unassigned == {2}


def test_waiting_partner_is_the_unserved_candidate_partner(make_request, make_shift):
    """A request's partner waits while it may be served and is not; a lone trip has none."""
    state = state_of(linked_pair(make_request, make_shift))
    plan = state.empty_plan()
    assert waiting_partner(state, 0) == 1 and waiting_partner(state, 2) == -1
    assert state.apply(plan, 0, [pickup(1), dropoff(1)], None)
    state.refresh(plan)
    assert waiting_partner(state, 0) == -1
    state.candidates.discard(0)
    assert waiting_partner(state, 1) == -1


def test_with_partners_takes_linked_trips_together_or_not_at_all():
    """A part gets a linked trip only with its partner from the pool."""
    partner = [1, 0, -1, 4, 3]
    assert with_partners(partner, {0, 2, 3}, {0, 1, 2}) == {0, 1, 2}
