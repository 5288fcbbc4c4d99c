"""The stop encoding of matching.stops, and that the instance's per-stop lists follow it."""

from __future__ import annotations

from matching.instance import Instance
from matching.stops import (
    dropoff,
    dropoffs,
    end_of,
    is_dropoff,
    is_pickup,
    kind_of,
    pickup,
    pickups,
    renumber,
    request_of,
    request_stops,
    requests_on,
    start_of,
    stop_of,
)
from tests.matching.conftest import make_problem


def test_pickup_and_dropoff_of_a_request_map_back_to_it():
    """Each request has one pickup and one drop-off stop, and both name the request."""
    for i in range(50):
        assert request_of(pickup(i)) == request_of(dropoff(i)) == i
        assert is_pickup(pickup(i)) and not is_dropoff(pickup(i))
        assert is_dropoff(dropoff(i)) and not is_pickup(dropoff(i))
        assert stop_of(i, kind_of(pickup(i))) == pickup(i)
        assert stop_of(i, kind_of(dropoff(i))) == dropoff(i)
    assert len({pickup(i) for i in range(50)} | {dropoff(i) for i in range(50)}) == 100


def test_shift_ends_follow_the_request_stops():
    """Shift k's start and end come after every request stop and never collide."""
    n = 7
    ends = [start_of(n, k) for k in range(3)] + [end_of(n, k) for k in range(3)]
    assert min(ends) == 2 * n and len(set(ends)) == 6
    assert list(range(2 * n))[request_stops(n)] == list(range(2 * n))


def test_renumber_and_requests_on_keep_the_kind_and_the_order():
    """A route renumbered to other request indices keeps its pickups and drop-offs in order."""
    stops = [pickup(3), pickup(1), dropoff(3), dropoff(1)]
    assert requests_on(stops) == [3, 1]
    index = {3: 0, 1: 5}
    assert [renumber(s, index) for s in stops] == [pickup(0), pickup(5), dropoff(0), dropoff(5)]


def test_instance_lists_are_indexed_by_the_encoding(make_request, make_shift):
    """The node, windows and load of a request's stops are its pickup's and drop-off's."""
    requests = [
        make_request(pickup=2, dropoff=5, load=(2, 0, 0)),
        make_request(pickup=3, dropoff=1),
    ]
    inst = Instance.from_problem(make_problem(requests, [make_shift(start=4, end=0)]))
    for i, request in enumerate(requests):
        assert inst.node[pickup(i)] == request.pickup
        assert inst.node[dropoff(i)] == request.dropoff
        assert inst.load[pickup(i)] == request.load
        assert inst.load[dropoff(i)] == tuple(-x for x in request.load)
    assert inst.node[pickups(inst.n)] == [2, 3] and inst.node[dropoffs(inst.n)] == [5, 1]
    assert (inst.node[inst.start_stop(0)], inst.node[inst.end_stop(0)]) == (4, 0)
    assert inst.start_stop(0) == start_of(inst.n, 0)
