"""Local search that polishes the LNS's plans: tail swaps and single-request moves.

A ruin-and-recreate move takes out a few requests and puts them back greedily, so the plan it
makes is seldom a local optimum even for the simplest moves. Two are run to a local optimum on
a trial that serves everyone before it is judged (and on the final plan of a day where
requests wait): handing the rest of a car's day to another car where both are empty
(``tails.exchange_tails``, 2-opt*) and moving one request to its cheapest place in any route
(relocate). The trial differs from the (already polished) current plan in a few routes,
so only moves that touch a changed route (``dirty``) are looked at.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable

from matching.search.destroy import removal_saving
from matching.search.route import Insertion, Plan
from matching.search.state import SearchState
from matching.search.tails import exchange_tails

#: Rounds of (tail swaps, relocations) at most: each round looks only at what the last changed.
MAX_ROUNDS = 10


def polish(
    state: SearchState,
    plan: Plan,
    rng: random.Random,
    dirty: Iterable[int] | None = None,
    deadline: float | None = None,
) -> None:
    """Run tail swaps and relocations until neither saves; ``dirty``: the vehicles whose
    routes changed since the plan was last polished (None: every route). Stops early, with
    every move made so far kept, at the ``deadline``."""
    todo = set(state.open_vehicles if dirty is None else dirty)
    for _ in range(MAX_ROUNDS):
        if not todo or (deadline is not None and time.monotonic() > deadline):
            break
        changed = exchange_tails(state, plan, todo)
        changed |= relocate(state, plan, todo | changed, rng, deadline)
        todo = changed


def polish_anywhere(
    state: SearchState,
    plan: Plan,
    rng: random.Random,
    dirty: Iterable[int] | None = None,
    deadline: float | None = None,
) -> None:
    """``polish``, each request free to move to any open route, not only its ranked shifts.

    A large day ranks each request's shifts by the detour from the driver's home
    (``matching.sparsify``), but in the middle of a working day a car is far from home: the
    route that passes by a trip at its hour is often not among the trip's ranked shifts. On the
    generated 1,000-request day, relocations and tail swaps into any route cut 38.8 km per
    served request to 35.8 km in 1.5 s, where the ranked shifts alone reached 38.5 km.
    """
    ranked, state.allowed = state.allowed, None
    try:
        polish(state, plan, rng, dirty, deadline)
    finally:
        state.allowed = ranked


def changed_routes(plan: Plan, before: Plan) -> set[int]:
    """Vehicles whose route in ``plan`` is not the one of ``before`` (route states are shared
    between snapshots, so an unchanged route is the same object)."""
    pairs = zip(plan.routes, before.routes, strict=True)
    return {k for k, (a, b) in enumerate(pairs) if a is not b}


def relocate(
    state: SearchState,
    plan: Plan,
    dirty: set[int],
    rng: random.Random,
    deadline: float | None = None,
) -> set[int]:
    """Move each request, in random order, to another route where it costs less than it
    saves where it is; the vehicles whose routes changed. A request on an unchanged route is
    only offered the changed routes (its other moves were already refused). A linked request
    may move too: its partner stays served wherever it rides. Moves within a route are not
    looked for: on the Cordeau set they took half the polish's time and found no better plans
    at the same number of iterations."""
    hot = set(dirty)
    movable = state.served_removable()
    for k in hot:
        state.prefetch(plan.routes[k], movable)
    rng.shuffle(movable)
    every = set(state.open_vehicles)
    changed: set[int] = set()
    for n, i in enumerate(movable):
        if deadline is not None and n % 64 == 0 and time.monotonic() > deadline:
            break
        k = state.where[i]
        moved = _relocate_into(state, plan, i, every if k in hot else hot)
        if moved >= 0:
            changed |= {k, moved}
            hot |= {k, moved}
    return changed


def _relocate_into(state: SearchState, plan: Plan, i: int, targets: set[int]) -> int:
    """Move request i into one of ``targets`` if that saves; the vehicle it went to, or -1."""
    k = state.where[i]
    saving = state.weight * removal_saving(state, plan, i)
    if state.bonus and state.inst.language_match[i][k]:
        saving -= state.bonus  # the route loses the bonus of a rider speaking its language
    for v in targets:
        if v != k:
            found = state.best_insertion(plan.routes[v], i)
            if found is not None and found[0] < saving:
                return _relocate(state, plan, i, targets)
    return -1


def _relocate(state: SearchState, plan: Plan, i: int, targets: Iterable[int]) -> int:
    """Move request i to its cheapest place among ``targets`` (and its own route) if that
    saves more than taking it out costs; the vehicle it went to, or -1."""
    k = state.where[i]
    route = plan.routes[k]
    shorter = state.make_route(k, [s for s in route.stops if s >> 1 != i])  # request_of(s)
    if shorter is None:
        return -1
    saving = route.cost - shorter.cost
    best: Insertion | None = state.best_insertion(shorter, i)
    vehicle = k
    for v in targets:
        if v != k:
            found = state.best_insertion(plan.routes[v], i)
            if found is not None and (best is None or found[0] < best[0]):
                best, vehicle = found, v
    if best is None or best[0] >= saving:
        return -1
    plan.cost += shorter.cost - route.cost
    plan.routes[k] = shorter
    if not state.apply(plan, vehicle, best.stops(), best.times):
        plan.cost += route.cost - shorter.cost  # cannot happen: the insertion was timed
        plan.routes[k] = route
        return -1
    state.where[i] = vehicle
    return vehicle
