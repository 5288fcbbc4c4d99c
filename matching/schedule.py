"""Exact timing of one route: a simple temporal network solved by longest-path relaxation.

Every constraint of a route is a difference of two begin-of-service times (travel and service
between consecutive stops, ride limits from drop-off back to pickup, the maximum duration from
the end back to the start) or a bound on one time (windows). The least solution of the lower-bound
constraints is the earliest schedule; the route is feasible if and only if that schedule meets
every upper bound, which Bellman-Ford-style rounds decide exactly (a positive cycle shows up as a
run that does not settle within as many rounds as the route has stops).
"""

from __future__ import annotations

import itertools

from matching.instance import Instance

#: A route's (stop sequence with depots, leg times, (pickup, drop-off, ride limit) positions),
#: shared between timing passes over the same route.
Prepared = tuple[list[int], list[int], list[tuple[int, int, int]]]


def _sequence(inst: Instance, k: int, stops: list[int]) -> list[int]:
    """Full stop sequence of vehicle k: its start, the request stops, its end."""
    return [inst.start_stop(k), *stops, inst.end_stop(k)]


def _legs(inst: Instance, seq: list[int]) -> list[int]:
    """Service at each stop plus travel to the next one."""
    node = inst.node
    time = inst.time
    service = inst.service
    return [service[a] + time[node[a]][node[b]] for a, b in itertools.pairwise(seq)]


def ride_pairs(inst: Instance, stops: list[int]) -> list[tuple[int, int, int]]:
    """(pickup position, drop-off position, limit) for each request on the route."""
    pos: dict[int, int] = {}
    pairs: list[tuple[int, int, int]] = []
    ride_limit = inst.ride_limit
    for j, s in enumerate(stops, 1):
        if s & 1:  # stops.py encoding: a drop-off, whose pickup is s - 1
            pairs.append((pos[s - 1], j, ride_limit[s]))
        else:
            pos[s] = j
    return pairs


def earliest(
    inst: Instance,
    k: int,
    stops: list[int],
    start_floor: int | None = None,
    prepared: Prepared | None = None,
) -> list[int] | None:
    """Earliest begin-of-service times of vehicle k's route (depots included), or None.

    None means no schedule satisfies windows, capacity-free precedences, ride limits and the
    maximum duration. ``start_floor`` forbids leaving the start before that time; ``prepared``
    is the route's :func:`prepare` when the caller already has it.
    """
    seq, legs, pairs = prepared or prepare(inst, k, stops)
    late = inst.late
    hi = [late[s] for s in seq]
    early = inst.early
    times = [early[s] for s in seq]
    if start_floor is not None and start_floor > times[0]:
        times[0] = start_floor
    max_duration = inst.max_duration[k]
    size = len(seq)
    last = size - 1
    for _ in range(size + 1):
        t = times[0]
        if t > hi[0]:
            return None
        for j in range(1, size):
            t += legs[j - 1]
            if t < times[j]:
                t = times[j]
            if t > hi[j]:
                return None
            times[j] = t
        changed = False
        for p, d, limit in pairs:
            x = times[d] - limit
            if x > times[p]:
                times[p] = x
                changed = True
        x = times[last] - max_duration
        if x > times[0]:
            times[0] = x
            changed = True
        if not changed:
            return times
    return None


def latest(
    inst: Instance, k: int, stops: list[int], prepared: Prepared | None = None
) -> list[int] | None:
    """Latest begin-of-service times of vehicle k's route (depots included), or None.

    ``prepared`` is the route's :func:`prepare` when the caller already has it.
    """
    seq, legs, pairs = prepared or prepare(inst, k, stops)
    early = inst.early
    lo = [early[s] for s in seq]
    late = inst.late
    times = [late[s] for s in seq]
    max_duration = inst.max_duration[k]
    size = len(seq)
    last = size - 1
    for _ in range(size + 1):
        t = times[last]
        if t < lo[last]:
            return None
        for j in range(last - 1, -1, -1):
            t -= legs[j]
            if t > times[j]:
                t = times[j]
            if t < lo[j]:
                return None
            times[j] = t
        changed = False
        for p, d, limit in pairs:
            x = times[p] + limit
            if x < times[d]:
                times[d] = x
                changed = True
        x = times[0] + max_duration
        if x < times[last]:
            times[last] = x
            changed = True
        if not changed:
            return times
    return None


def timetable(inst: Instance, k: int, stops: list[int]) -> list[int] | None:
    """A feasible schedule that serves everyone as early as possible and leaves just in time.

    The earliest schedule keeps riders' pickups early; moving the departure from the start up
    to just before the first stop spares the driver the waiting. Returns None if the route has
    no feasible schedule.
    """
    times = earliest(inst, k, stops)
    if times is None or not stops:
        return times
    first_leg = _legs(inst, [inst.start_stop(k), stops[0]])[0]
    floor = times[1] - first_leg
    if floor <= times[0]:
        return times
    return earliest(inst, k, stops, start_floor=floor) or times


def arrivals(inst: Instance, k: int, stops: list[int], times: list[int]) -> list[int]:
    """Arrival time at each position of the route given its begin-of-service times."""
    seq = _sequence(inst, k, stops)
    legs = _legs(inst, seq)
    result = [times[0]]
    for j in range(1, len(seq)):
        result.append(times[j - 1] + legs[j - 1])
    return result


def prepare(inst: Instance, k: int, stops: list[int]) -> Prepared:
    """(sequence, legs, pairs) of a route, to share between several timing passes."""
    seq = _sequence(inst, k, stops)
    return seq, _legs(inst, seq), ride_pairs(inst, stops)
