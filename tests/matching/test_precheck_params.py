"""The figures behind each unserved reason (``Unassigned.params``), from which the planner's
note is written in the reader's language (issue 17)."""

from __future__ import annotations

import pytest

from matching import Reason, solve
from tests.matching.conftest import make_problem


def _unassigned(problem):
    return {u.request: u for u in solve(problem, time_limit=1.0, max_iterations=20).unassigned}


def test_direct_trip_too_long_gives_its_durations(make_request, make_shift):
    """A ride limit shorter than the trip: the direct time and the limit, in seconds."""
    request = make_request(max_ride_time=100)
    problem = make_problem([request], [make_shift()])
    unserved = _unassigned(problem)[request.id]
    assert unserved.reason == Reason.DIRECT_TRIP_TOO_LONG
    assert unserved.params["ride_limit_s"] == 100
    assert unserved.params["direct_s"] > 100
    assert str(unserved.params["direct_s"]) in unserved.detail  # the same figure as the log's


@pytest.mark.parametrize(
    ("load", "reason", "dimension", "amount"),
    [
        ((1, 0, 1), Reason.NO_WHEELCHAIR_PLACE, "wheelchair_places", 1),
        ((1, 2, 0), Reason.NO_CHILD_SEATS, "child_seats", 2),
        ((5, 0, 0), Reason.NOT_ENOUGH_SEATS, "seats", 5),
    ],
)
def test_a_shortfall_names_the_place_and_amount(
    make_request, make_shift, load, reason, dimension, amount
):
    """A capacity shortfall says which kind of place and how many were needed."""
    request = make_request(load=load)
    unserved = _unassigned(make_problem([request], [make_shift()]))[request.id]
    assert unserved.reason == reason
    assert dict(unserved.params) == {"amount": amount, "dimension": dimension}


def test_no_single_car_lists_every_place_needed(make_request, make_shift):
    """Needs no one car has together: each kind of place needed, by name."""
    request = make_request(load=(2, 1, 1))
    shifts = [make_shift(capacity=(3, 1, 0)), make_shift(capacity=(3, 0, 1))]
    unserved = _unassigned(make_problem([request], shifts))[request.id]
    assert unserved.reason == Reason.NO_VEHICLE_FITS_LOAD
    assert dict(unserved.params) == {"seats": 2, "child_seats": 1, "wheelchair_places": 1}


def test_a_linked_trip_names_its_partner_and_why(make_request, make_shift):
    """The outward trip left out for its return: the return's id and reason."""
    outward = make_request(id=1, linked=2, pickup=1, dropoff=4)
    back = make_request(id=2, linked=1, pickup=4, dropoff=1, load=(1, 0, 1))
    unserved = _unassigned(make_problem([outward, back], [make_shift()]))
    assert dict(unserved[1].params) == {
        "partner": 2,
        "partner_reason": Reason.NO_WHEELCHAIR_PLACE.value,
    }
    assert unserved[1].detail.startswith("its linked trip 2")  # the English detail stays


def test_reasons_without_figures_have_none(make_request, make_shift):
    """A reason that says it all has empty params, and the detail is still written."""
    request = make_request(pickup_window=(9000, 9500), dropoff_window=(9000, 9900))
    unserved = _unassigned(make_problem([request], [make_shift()]))[request.id]
    assert unserved.reason == Reason.NO_SHIFT_COVERS_WINDOW
    assert unserved.params == {} and unserved.detail
