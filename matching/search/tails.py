"""Tail exchange (2-opt*): one car hands the rest of its day to another where both are empty.

On a day of many short rides a car's route is a chain of trips between moments with nobody
aboard. Swapping the rest of two cars' days at such moments moves many requests at once,
which a ruin-and-recreate move of a few requests can hardly find, and it needs no ride-limit
bookkeeping across the cut (nobody is aboard there). ``tail_kernel.swaps`` screens every pair
of cut points of two routes in one compiled call: the distance saved, and whether each car can
still reach the first stop of its new tail before that stop's latest time. The search then
builds the two new routes exactly, best saving first.

The time screen reads each route's own earliest and latest times. Where both cars end at the
same place and no shift's duration limit binds, those are exact bounds and no feasible swap is
screened out; otherwise (a tail's latest times depend on where its car ends) the screen may
pass over a swap, but a swap is only ever made when both new routes are timed feasible.
"""

from __future__ import annotations

from matching.search.route import Plan, RouteState
from matching.search.state import SearchState
from matching.search.tail_kernel import swaps


def exchange_tails(state: SearchState, plan: Plan, dirty: set[int]) -> set[int]:
    """Make tail swaps while one saves, each time the best among the pairs with a route in
    ``dirty`` (the routes changed since the plan was last at a local optimum, or all of them)
    or changed by an earlier swap; the vehicles whose routes changed.

    The screened swaps are kept between swaps: a swap changes two routes, so only the pairs
    with one of them are screened again (the others would give the same candidates)."""
    changed: set[int] = set()
    vehicles = [k for k in state.open_vehicles if _swappable(state, plan.routes[k])]
    found = _screen(state, plan, vehicles, set(dirty))
    while found:
        made = _make_first(state, plan, found)
        if made < 0:
            break
        ka, kb = found[made][1], found[made][2]
        changed |= {ka, kb}
        found = [f for f in found[made + 1 :] if not {f[1], f[2]} & {ka, kb}]
        found += _screen(state, plan, vehicles, {ka, kb})
        found.sort()
    return changed


def _swappable(state: SearchState, route: RouteState) -> bool:
    """Whether a route may hand over or take a tail: timed, and no locked request on it."""
    fixed = state.fixed
    return route.arrays is not None and not any(s >> 1 in fixed for s in route.stops)


def _pairs(
    state: SearchState, plan: Plan, vehicles: list[int], dirty: set[int]
) -> list[tuple[int, int]]:
    """The pairs of routes (a, b), a before b in ``vehicles``, with a route in ``dirty``, that
    might swap: where requests may ride only in some shifts (a large day), b must be allowed
    for the last request of a (it is in every tail a can hand over) or a for the last of b."""
    allowed = state.allowed
    order = {k: x for x, k in enumerate(vehicles)}
    last = {k: plan.routes[k].stops[-1] >> 1 for k in vehicles if plan.routes[k].stops}

    def takes(k: int, other: int) -> bool:
        """Whether shift k may take a tail of the other's route."""
        return other in last and k in allowed[last[other]]  # type: ignore[index]

    pairs = {
        (ka, kb) if order[ka] < order[kb] else (kb, ka)
        for ka in dirty
        if ka in order
        for kb in vehicles
        if kb != ka and (allowed is None or takes(kb, ka) or takes(ka, kb))
    }
    return sorted(pairs, key=lambda pair: (order[pair[0]], order[pair[1]]))


def _screen(
    state: SearchState, plan: Plan, vehicles: list[int], dirty: set[int]
) -> list[tuple[int, int, int, int, int]]:
    """(-saving, a, b, i, j) of every tail swap the compiled screen passes among the pairs
    touching ``dirty``, best saving first."""
    x = state.inst.arrays
    found: list[tuple[int, int, int, int, int]] = []
    for ka, kb in _pairs(state, plan, vehicles, dirty):
        a, b = plan.routes[ka].arrays, plan.routes[kb].arrays
        for saving, i, j in swaps(
            a.nodes, a.early, a.service, a.late, a.loads, plan.routes[ka].distance,
            b.nodes, b.early, b.service, b.late, b.loads, plan.routes[kb].distance,
            x.dist, x.time,
        ).tolist():  # fmt: skip
            found.append((-saving, ka, kb, i, j))
    found.sort()
    return found


def _make_first(state: SearchState, plan: Plan, found: list[tuple[int, int, int, int, int]]) -> int:
    """Make the first swap of ``found`` whose riders may ride in their new shift and whose two
    new routes are timed feasible and cheaper; its index, or -1 if none is."""
    allowed = state.allowed
    for index, (_, ka, kb, i, j) in enumerate(found):
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
        return index
    return -1
