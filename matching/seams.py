"""The pass across the seams of a day planned by parts: unserved trips offered to any route.

An area's search sees only its own routes, so a trip it could not place may still fit a route
of a neighbouring area; after each round of parts (and once more at the end, on every open
route) ``repair_seams`` offers each unserved trip to the routes that might take it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from matching.assemble import Day
from matching.links import waiting_partner
from matching.search.repair import DirectPlacement, insert_cheapest
from matching.search.route import Plan
from matching.search.state import SearchState


def repair_seams(
    day: Day,
    search: SearchState,
    plan: Plan,
    *,
    everywhere: bool = False,
    deadline: float | None = None,
) -> int:
    """Insert unserved requests into any route of their ranked shifts, cheapest first.

    This is the pass across the seams of the parts: a request its part could not take may fit a
    route of a neighbouring part. Highest priority and fewest options go first; a linked trip
    goes in only together with its partner. ``everywhere`` tries every open route instead of
    the ranked shifts only (a route may pass by a trip whose shifts are far away), until the
    ``deadline``. Returns the number of requests inserted.
    """
    inst = day.inst
    allowed = search.allowed
    pending = sorted(
        plan.unassigned,
        key=lambda i: (-inst.priority[i], len(allowed[i]) if allowed else 0, i),
    )
    inserted = 0
    for i in pending:
        if deadline is not None and time.monotonic() > deadline:
            break
        if search.where[i] >= 0:
            continue
        if not _insert_cheapest(search, plan, i, everywhere):
            continue
        inserted += 1
        j = waiting_partner(search, i)  # search.candidates are the day's
        if j >= 0:
            if _insert_cheapest(search, plan, j, everywhere):
                inserted += 1
            else:
                search.remove_request(plan, i)
                inserted -= 1
    search.settle(plan, day.candidates)
    return inserted


def _insert_cheapest(search: SearchState, plan: Plan, i: int, everywhere: bool = False) -> bool:
    """Insert request i at its cheapest feasible place among its allowed vehicles (or any
    open vehicle ``everywhere``)."""
    if everywhere or search.allowed is None:
        vehicles: Iterable[int] = search.open_vehicles
        test = search.best_insertion_anywhere
    else:
        vehicles = search.allowed[i]
        test = search.best_insertion
    open_vehicles = (k for k in vehicles if k not in search.closed)
    return insert_cheapest(plan, i, open_vehicles, test, DirectPlacement(search).insert)


__all__ = ["repair_seams"]
