"""Tail exchange (2-opt*): one car hands the rest of its day to another where both are empty.

On a day of many short rides a car's route is a chain of trips between moments with nobody
aboard. Swapping the rest of two cars' days at such moments moves many requests at once,
which a ruin-and-recreate move of a few requests can hardly find, and it needs no ride-limit
bookkeeping across the cut (nobody is aboard there). ``swaps`` screens every pair of cut
points of two routes in one compiled call: the distance saved, and whether each car can still
reach the first stop of its new tail before that stop's latest time. The search then builds
the two new routes exactly, best saving first.

The time screen reads each route's own earliest and latest times. Where both cars end at the
same place and no shift's duration limit binds, those are exact bounds and no feasible swap is
screened out; otherwise (a tail's latest times depend on where its car ends) the screen may
pass over a swap, but a swap is only ever made when both new routes are timed feasible.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from matching.search.route import Plan, RouteState
from matching.search.state import SearchState


@njit(cache=True, nogil=True)
def _cuts(loads: np.ndarray, size: int) -> np.ndarray:
    """Positions c (0 to size - 2) after which the car is empty (position 0 is the start)."""
    cuts = np.empty(size - 1, dtype=np.int64)
    count = 0
    for c in range(size - 1):
        empty = True
        for d in range(loads.shape[0]):
            if loads[d, c] != 0:
                empty = False
        if empty:
            cuts[count] = c
            count += 1
    return cuts[:count]


@njit(cache=True, nogil=True)
def _prefix(nodes: np.ndarray, dist: np.ndarray) -> np.ndarray:
    """Distance driven from the start to each position of a route."""
    pre = np.zeros(nodes.shape[0], dtype=np.int64)
    for j in range(1, nodes.shape[0]):
        pre[j] = pre[j - 1] + dist[nodes[j - 1], nodes[j]]
    return pre


@njit(cache=True, nogil=True)
def _joined(na, pa, ea, sa, la, i, nb, pb, lb, j, dist, time) -> int:
    """Distance of a's first i stops then b's stops after its first j, to a's end; -1 if a
    cannot reach the first stop of that tail (or its end) before the latest time there."""
    end = na.shape[0] - 1
    last = nb.shape[0] - 2  # b's last stop
    here = na[i]
    ready = ea[i] + sa[i]
    if j >= last:  # b's tail is empty: a's head drives to a's end
        if ready + time[here, na[end]] > la[end]:
            return -1
        return 0 if i == 0 else pa[i] + dist[here, na[end]]
    if ready + time[here, nb[j + 1]] > lb[j + 1]:
        return -1
    return pa[i] + dist[here, nb[j + 1]] + pb[last] - pb[j + 1] + dist[nb[last], na[end]]


@njit(cache=True, nogil=True)
def swaps(na, ea, sa, la, loada, da, nb, eb, sb, lb, loadb, db, dist, time) -> np.ndarray:
    """(saving, i, j) of every swap of route a's stops after its i-th with route b's after its
    j-th that saves distance and passes the time screen, both cars empty at the cuts."""
    ca = _cuts(loada, na.shape[0])
    cb = _cuts(loadb, nb.shape[0])
    pa = _prefix(na, dist)
    pb = _prefix(nb, dist)
    out = np.empty((ca.shape[0] * cb.shape[0], 3), dtype=np.int64)
    count = 0
    size_a, size_b = na.shape[0] - 2, nb.shape[0] - 2
    for i in ca:
        for j in cb:
            if i == size_a and j == size_b:  # nothing changes hands
                continue
            new_a = _joined(na, pa, ea, sa, la, i, nb, pb, lb, j, dist, time)
            if new_a < 0:
                continue
            new_b = _joined(nb, pb, eb, sb, lb, j, na, pa, la, i, dist, time)
            if new_b < 0:
                continue
            saving = da + db - new_a - new_b
            if saving > 0:
                out[count, 0] = saving
                out[count, 1] = i
                out[count, 2] = j
                count += 1
    return out[:count]


def exchange_tails(state: SearchState, plan: Plan, dirty: set[int]) -> set[int]:
    """Make tail swaps while one saves, each time the best of the pairs with a route in
    ``dirty`` (the routes changed since the plan was last at a local optimum, or all of them);
    the vehicles whose routes changed."""
    changed: set[int] = set()
    open_routes = [k for k in state.open_vehicles if _swappable(state, plan.routes[k])]
    todo = set(dirty)
    while todo:
        move = _best_swap(state, plan, open_routes, todo)
        if move is None:
            break
        todo |= set(move)
        changed |= set(move)
    return changed


def _swappable(state: SearchState, route: RouteState) -> bool:
    """Whether a route may hand over or take a tail: timed, and no locked request on it."""
    fixed = state.fixed
    return route.arrays is not None and not any(s >> 1 in fixed for s in route.stops)


def _best_swap(
    state: SearchState, plan: Plan, vehicles: list[int], dirty: set[int]
) -> tuple[int, int] | None:
    """Make the feasible tail swap that saves most among pairs touching ``dirty``; its two
    vehicles, or None if none saves."""
    x = state.inst.arrays
    found: list[tuple[int, int, int, int, int]] = []
    for ia, ka in enumerate(vehicles):
        a = plan.routes[ka].arrays
        for kb in vehicles[ia + 1 :]:
            if ka not in dirty and kb not in dirty:
                continue
            b = plan.routes[kb].arrays
            for saving, i, j in swaps(
                a.nodes, a.early, a.service, a.late, a.loads, plan.routes[ka].distance,
                b.nodes, b.early, b.service, b.late, b.loads, plan.routes[kb].distance,
                x.dist, x.time,
            ).tolist():  # fmt: skip
                found.append((-saving, ka, kb, i, j))
    found.sort()
    allowed = state.allowed
    for _, ka, kb, i, j in found:
        ra, rb = plan.routes[ka], plan.routes[kb]
        tail_a, tail_b = ra.stops[i:], rb.stops[j:]
        if allowed is not None and not (
            all(ka in allowed[s >> 1] for s in tail_b)
            and all(kb in allowed[s >> 1] for s in tail_a)
        ):
            continue
        new_a = state.make_route(ka, ra.stops[:i] + tail_b)
        if new_a is None:
            continue
        new_b = state.make_route(kb, rb.stops[:j] + tail_a)
        if new_b is None or new_a.cost + new_b.cost >= ra.cost + rb.cost:
            continue
        plan.cost += new_a.cost + new_b.cost - ra.cost - rb.cost
        plan.routes[ka], plan.routes[kb] = new_a, new_b
        for s in tail_b:
            state.where[s >> 1] = ka
        for s in tail_a:
            state.where[s >> 1] = kb
        return ka, kb
    return None
