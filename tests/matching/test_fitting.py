"""Fitting a request into routes that must not change, and timing those routes as they are."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import LockedRoute, Reason, Request, Shift, validate
from matching.fitting import fits, time_locked
from tests.matching.conftest import make_problem, make_request_factory, make_shift_factory


def test_a_request_joins_a_locked_route_without_moving_its_fixed_pickup(
    make_request: Callable[..., Request], make_shift: Callable[..., Shift]
) -> None:
    """A rider promised 10 min (window of width zero) keeps that pickup; the newcomer to the
    route rides along, and the option says what it adds."""
    promised = make_request(pickup_window=(600, 600))
    late = make_request(pickup=2, dropoff=4, pickup_window=(600, 1200))
    shift = make_shift()
    locked = LockedRoute(shift.id, ((promised.id, "pickup"), (promised.id, "dropoff")))
    problem = make_problem([promised, late], [shift], locked=(locked,))
    [option] = fits(problem, late.id)
    assert option.shift == shift.id
    times = {(s.request, s.kind): s.start for s in option.route.stops}
    assert times[(promised.id, "pickup")] == 600
    assert option.pickup == times[(late.id, "pickup")] >= 600
    assert option.added_metres == 0  # on the way: place 2 lies between 1 and 4
    assert option.added_seconds >= 0


def test_options_come_best_first_and_an_idle_shift_is_one(
    make_request: Callable[..., Request], make_shift: Callable[..., Shift]
) -> None:
    """A busy route far off and an idle shift nearby: the cheaper option comes first."""
    busy = make_shift(start=5, end=5)
    idle = make_shift(start=1, end=1)
    other = make_request(pickup=5, dropoff=4)
    new = make_request(pickup=1, dropoff=2)
    locked = LockedRoute(busy.id, ((other.id, "pickup"), (other.id, "dropoff")))
    problem = make_problem([other, new], [busy, idle], locked=(locked,))
    options = fits(problem, new.id)
    assert [o.shift for o in options] == [idle.id, busy.id]
    assert options[0].added_metres < options[1].added_metres


def test_no_option_breaks_a_window_or_a_seat(
    make_request: Callable[..., Request], make_shift: Callable[..., Shift]
) -> None:
    """A full car, or a pickup that cannot be reached in the rider's window, offers nothing."""
    shift = make_shift(capacity=(1, 0, 0))
    onboard = make_request(pickup=1, dropoff=4, pickup_window=(60, 60))
    squeezed = make_request(pickup=2, dropoff=3, pickup_window=(100, 150))  # while she rides
    locked = LockedRoute(shift.id, ((onboard.id, "pickup"), (onboard.id, "dropoff")))
    assert fits(make_problem([onboard, squeezed], [shift], locked=(locked,)), squeezed.id) == []


def test_time_locked_times_routes_as_they_are_and_reports_a_broken_one(
    make_request: Callable[..., Request], make_shift: Callable[..., Shift]
) -> None:
    """A feasible locked route is timed and validates; an impossible one (drop-off before
    pickup window opens too late) leaves its riders unassigned with the lock's reason."""
    ok, bad = make_request(), make_request(pickup_window=(7000, 7100), dropoff_window=(0, 100))
    first, second = make_shift(), make_shift()
    problem = make_problem(
        [ok, bad],
        [first, second],
        locked=(
            LockedRoute(first.id, ((ok.id, "pickup"), (ok.id, "dropoff"))),
            LockedRoute(second.id, ((bad.id, "pickup"), (bad.id, "dropoff"))),
        ),
    )
    solution = time_locked(problem)
    assert solution.served == {ok.id}
    assert [(u.request, u.reason) for u in solution.unassigned] == [
        (bad.id, Reason.LOCKED_ROUTE_INFEASIBLE)
    ]
    assert validate(problem, solution) == []


def test_fitting_a_request_already_locked_is_a_value_error(
    make_request: Callable[..., Request], make_shift: Callable[..., Shift]
) -> None:
    """Asking where a locked request fits is a caller's mistake, said plainly."""
    request, shift = make_request(), make_shift()
    locked = LockedRoute(shift.id, ((request.id, "pickup"), (request.id, "dropoff")))
    with pytest.raises(ValueError, match="already on a locked route"):
        fits(make_problem([request], [shift], locked=(locked,)), request.id)
    with pytest.raises(ValueError, match="not in the problem"):
        fits(make_problem([request], [shift]), 999)


@settings(max_examples=60, deadline=None)
@given(
    trips=st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 3000)).filter(
            lambda t: t[0] != t[1]
        ),
        min_size=2,
        max_size=6,
    ),
    locked_count=st.integers(0, 4),
)
def test_every_option_validates_with_the_locked_routes_unchanged(
    trips: list[tuple[int, int, int]], locked_count: int
) -> None:
    """Property: lock the first trips on one shift when that route is feasible, fit the last;
    each option, put back as the shift's route beside the other locks, passes the independent
    validator, and the locked stops keep their order and their fixed pickup times."""
    make_request, make_shift = make_request_factory(), make_shift_factory()
    requests = [
        make_request(pickup=a, dropoff=b, pickup_window=(t, t + 600), max_ride_time=900)
        for a, b, t in trips
    ]
    shifts = [make_shift(window=(0, 7200)), make_shift(start=3, end=3, window=(0, 7200))]
    held = requests[: min(locked_count, len(requests) - 1)]
    stops = tuple((r.id, kind) for r in held for kind in ("pickup", "dropoff"))
    locks = (LockedRoute(shifts[0].id, stops),) if held else ()
    problem = make_problem(requests, shifts, locked=locks)
    base = time_locked(problem)
    if held and base.served != {r.id for r in held}:
        return  # the drawn lock itself is infeasible: nothing to fit into
    before = {(s.request, s.kind): s.start for r in base.routes for s in r.stops}
    new = requests[-1]
    for option in fits(problem, new.id):
        sequence = tuple((s.request, s.kind) for s in option.route.stops)
        others = tuple(lock for lock in locks if lock.shift != option.shift)
        placed = make_problem(
            requests, shifts, locked=(*others, LockedRoute(option.shift, sequence))
        )
        timed = time_locked(placed)
        assert validate(placed, timed) == []
        assert new.id in timed.served
        kept = [step for step in sequence if step[0] != new.id]
        if option.shift == shifts[0].id:
            assert tuple(kept) == stops
        for stop in option.route.stops:
            if (stop.request, stop.kind) in before and stop.kind == "pickup":
                request = next(r for r in requests if r.id == stop.request)
                assert request.pickup_window[0] <= stop.start <= request.pickup_window[1]
