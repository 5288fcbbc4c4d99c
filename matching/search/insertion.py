"""Where a request fits into a route: a cheap screen of positions, then exact timing.

Candidate positions for the pickup and the drop-off are screened with necessary conditions read
from the route's caches (its earliest and latest times and its loads) and tried cheapest first
with an exact timing test that starts from the route's current earliest times, so only the
part of the schedule the insertion delays is recomputed. Both run compiled
(``matching.search.kernels``): they are the innermost loops of both searches.
"""

from __future__ import annotations

import numpy as np

from matching.instance import Instance
from matching.search import kernels
from matching.search.route import Insertion, RouteState

_DIMS: dict[tuple[int, ...], np.ndarray] = {}


def _dims(dims: list[int]) -> np.ndarray:
    """The dimensions as an array, made once per distinct list (there are a handful)."""
    key = tuple(dims)
    found = _DIMS.get(key)
    if found is None:
        found = _DIMS[key] = np.array(key, dtype=np.int64)
    return found


def best_insertion(
    inst: Instance, route: RouteState, i: int, dims: list[int], weight: int, bonus: int
) -> Insertion | None:
    """Cheapest feasible insertion of request i into route: (delta cost, stops, times), or None.

    ``dims`` are the capacity dimensions request i uses; the cost delta is ``weight`` per metre
    less ``bonus`` if the rider shares a language with the driver.
    """
    r = route.arrays
    if r is None:  # a shift that cannot even drive from its start to its end
        return None
    k = route.k
    x = inst.arrays
    p = 2 * i  # stops.py encoding: pickup(i), and p + 1 = dropoff(i)
    delta, a, b, times = kernels.best_insert(
        x.node, x.time, x.dist, x.early, x.late, x.service, x.ride_limit, x.load,
        x.capacity[k], inst.max_duration[k], _dims(dims),
        r.seq, r.nodes, r.early, r.late, r.service, r.loads, r.pairs, p,
    )  # fmt: skip
    if a < 0:
        return None
    delta = int(delta)
    if not route.stops:  # the shift starts driving: its whole way from start to end
        delta += inst.dist[route.nodes[0]][route.nodes[-1]]
    bonus = bonus if bonus and inst.language_match[i][k] else 0
    return Insertion(weight * delta - bonus, route, p, int(a), int(b), times)


def best_insertions(
    inst: Instance, route: RouteState, requests: list[int], weight: int, bonus: int
) -> list[Insertion | None]:
    """``best_insertion`` of each request into one route, answered by one compiled call."""
    r = route.arrays
    if r is None:
        return [None] * len(requests)
    k = route.k
    x = inst.arrays
    pickups = np.array(requests, dtype=np.int64) * 2  # stops.py encoding: pickup(i) = 2 * i
    rows, times = kernels.best_inserts(
        x.node, x.time, x.dist, x.early, x.late, x.service, x.ride_limit, x.load,
        x.capacity[k], inst.max_duration[k],
        r.seq, r.nodes, r.early, r.late, r.service, r.loads, r.pairs, pickups,
    )  # fmt: skip
    drive = inst.dist[route.nodes[0]][route.nodes[-1]] if not route.stops else 0
    match = inst.language_match
    found: list[Insertion | None] = []
    new = tuple.__new__  # Insertion(...) without its Python-level __new__: this loop is hot
    for j, (delta, a, b) in enumerate(rows.tolist()):
        if a < 0:
            found.append(None)
            continue
        i = requests[j]
        cost = weight * (delta + drive) - (bonus if bonus and match[i][k] else 0)
        found.append(new(Insertion, (cost, route, 2 * i, a, b, times[j])))
    return found


def timed_insert(inst: Instance, route: RouteState, p: int, a: int, b: int) -> list[int] | None:
    """Earliest schedule of the route with pickup p after position a and its drop-off after b.

    None if that order has no feasible schedule (or the route's shift cannot be driven).
    """
    r = route.arrays
    if r is None:
        return None
    x = inst.arrays
    times = kernels.timed(
        x.node, x.time, x.early, x.late, x.service, x.ride_limit, inst.max_duration[route.k],
        r.seq, r.early, r.pairs, p, a, b,
    )  # fmt: skip
    return times.tolist() if times.shape[0] else None
