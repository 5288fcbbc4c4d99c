"""Exact route timing: earliest, latest and the driver-friendly timetable."""

from __future__ import annotations

from matching.instance import Instance
from matching.schedule import earliest, latest, timetable
from tests.matching.conftest import make_problem, make_request_factory, make_shift_factory


def one_request_instance(**overrides) -> Instance:
    """One request 1 -> 4 on the line, one vehicle at place 0."""
    request = make_request_factory()(**overrides)
    return Instance.from_problem(make_problem([request], [make_shift_factory()()]))


def test_earliest_follows_travel_and_windows():
    """Pickup as soon as the car can be there; drop-off after the direct ride."""
    inst = one_request_instance(pickup_window=(0, 3600))
    times = earliest(inst, 0, [0, 1])
    assert times == [0, 60, 240, 480]


def test_ride_limit_delays_pickup_not_dropoff_window():
    """A late drop-off window with a tight ride limit pushes the pickup later."""
    inst = one_request_instance(dropoff_window=(1000, 1100), max_ride_time=200)
    times = earliest(inst, 0, [0, 1])
    assert times is not None
    assert times[2] - times[1] <= 200
    assert times[2] >= 1000


def test_impossible_route_has_no_schedule():
    """A window that closes before the car can arrive gives None."""
    inst = one_request_instance(pickup_window=(0, 30), dropoff_window=(0, 3600))
    assert earliest(inst, 0, [0, 1]) is None
    assert latest(inst, 0, [0, 1]) is None


def test_timetable_leaves_late_to_avoid_waiting():
    """The driver leaves just in time for a late pickup rather than waiting there."""
    inst = one_request_instance(pickup_window=(1800, 1900))
    times = timetable(inst, 0, [0, 1])
    assert times is not None
    assert times[1] == 1800
    assert times[0] == 1800 - 60
