"""Linked trips (an outward trip and its return): served both or neither, decided in one place.

``Request.linked`` pairs two requests; ``Instance.partner[i]`` is the index of request i's
partner (-1 if it has none). The searches insert a partner right after its request and take
the request out again if the partner finds no place (``waiting_partner``); a part of a large
day takes linked trips together (``with_partners``); and every plan ends with
``enforce_links``, which unserves a request whose partner is unserved. A locked trip (part of an
accepted route or of a coordinator's pin) is never dropped there: its partner was weighed above
every other request (``matching.locks``), so the search serves it whenever it can.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from matching.search.route import Plan
from matching.search.state import SearchState
from matching.stops import request_of


def waiting_partner(state: SearchState, i: int) -> int:
    """Request i's linked partner if it may be served and is not yet, else -1."""
    j = state.inst.partner[i]
    if j >= 0 and state.where[j] < 0 and j in state.candidates:
        return j
    return -1


def waiting_group(state: SearchState, u: int) -> list[int] | None:
    """Unserved request u with its linked partner if that waits too: the trips a move must
    place together. None if u is served, locked or not to be served, or so is its waiting
    partner."""
    if state.where[u] >= 0 or u in state.fixed or u not in state.candidates:
        return None
    partner = state.inst.partner[u]
    if partner < 0 or state.where[partner] >= 0:
        return [u]
    if partner in state.fixed or partner not in state.candidates:
        return None
    return [u, partner]


def with_partners(partner: Sequence[int], requests: Iterable[int], pool: set[int]) -> set[int]:
    """The requests with their linked partners from ``pool``; one whose partner is not in the
    pool is left out (a part of a day serves both or neither)."""
    result = set()
    for i in requests:
        j = partner[i]
        if j < 0:
            result.add(i)
        elif j in pool:
            result.update((i, j))
    return result


def enforce_links(state: SearchState, plan: Plan, fixed: set[int], candidates: set[int]) -> None:
    """Unserve every request whose linked partner is unserved, except locked (``fixed``) ones.

    Removing a request can make a route infeasible without the triangle inequality: that route
    then falls back to its locked stops alone. The plan is settled against ``candidates``.
    """
    partner = state.inst.partner
    changed = True
    while changed:
        changed = False
        state.refresh(plan)
        for i in range(state.inst.n):
            j = partner[i]
            if j < 0 or i in fixed or state.where[i] < 0 or state.where[j] >= 0:
                continue
            if not state.remove_request(plan, i):
                k = state.where[i]
                kept = [s for s in plan.routes[k].stops if request_of(s) in fixed]
                if not state.apply(plan, k, kept, None):
                    continue
                state.settle(plan, candidates)
            changed = True
    state.settle(plan, candidates)
