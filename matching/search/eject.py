"""Ejection chains for the last unserved trips: make room for one by moving others.

Ruin-and-recreate moves serve a trip when some route has room for it once its neighbours are
re-inserted; the last unserved trips of a busy day often fit only where another trip already
sits. An ejection takes one or two served trips off a route, puts the unserved trip there, and
re-inserts the ejected ones elsewhere: straight away, or by ejecting one more trip, which
may eject one more in turn (a chain of up to three links, ``EjectConfig.depth``). The result
is kept only if it is better in the plan's lexicographic objective (``Plan.key``: less unserved
priority, then less cost), so an ejection either serves more, or serves a trip of higher
priority instead, or serves as much for less distance; anything else is undone exactly from a
journal.

A linked pair (outbound and return) is served together or not at all: an unserved trip whose
partner waits too is placed with it, and an ejected linked trip must find a place again (an
attempt that leaves a lone leg is undone). Locked trips are never ejected.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matching.links import waiting_group
from matching.search import insertion
from matching.search.route import Insertion, Plan, RouteState
from matching.search.state import SearchState

#: Journal entry: ("route", vehicle, previous route) or ("where", request, previous vehicle).
_Entry = tuple[str, int, RouteState | int]
#: An ejection found: (cost increase, vehicle, ejected requests, insertion into what is left).
Ejection = tuple[int, int, tuple[int, ...], Insertion]


@dataclass(frozen=True)
class EjectConfig:
    """Knobs of the ejection move."""

    #: Length of an ejection chain: 1 = ejected trips must fit elsewhere directly, 2 = an ejected
    #: trip may itself eject one more, 3 = and that one another. On the 1,000-request day (24
    #: paired runs of 60 s) three links served 1.0 more requests than two (more in 13 seeds,
    #: fewer in 2) and drove 0.12 km less per served request, for 3 % fewer moves.
    depth: int = 3
    #: Trips taken off one route at the first link of a chain (1 or 2).
    max_ejected: int = 2
    #: Only trips whose ride overlaps the unserved trip's windows widened by this many seconds
    #: are ejected (others rarely stand in its way).
    slack: int = 3600
    #: Cheapest ejections tried per trip placed at the first link, then at deeper links. On
    #: the 1,000-request day (24 paired runs of 60 s) eight deeper tries instead of four
    #: served 0.9 more requests (more in 13 seeds, fewer in 7) and drove 0.15 km less per
    #: served request.
    tries: int = 12
    deeper_tries: int = 8


class Ejector:
    """Ejection moves on a plan of a ``SearchState``; each attempt keeps or undoes its edits."""

    def __init__(
        self,
        state: SearchState,
        vehicles: Callable[[int], Sequence[int]],
        config: EjectConfig | None = None,
    ) -> None:
        """Edit through ``state``; request i may go to ``vehicles(i)`` (its ranked shifts)."""
        self.state = state
        self.inst = state.inst
        self.vehicles = vehicles
        self.config = config or EjectConfig()
        self.journal: list[_Entry] = []
        #: Attempts made and attempts kept (for the search's counters and the tests).
        self.tried = 0
        self.kept = 0

    # ------------------------------------------------------------------ journaled edits
    def _set_route(self, plan: Plan, route: RouteState) -> None:
        self.journal.append(("route", route.k, plan.routes[route.k]))
        plan.cost += route.cost - plan.routes[route.k].cost
        plan.routes[route.k] = route

    def _assign(self, plan: Plan, i: int, k: int) -> None:
        where = self.state.where
        self.journal.append(("where", i, where[i]))
        self._place(plan, i, k)

    def _place(self, plan: Plan, i: int, k: int) -> None:
        where = self.state.where
        priority = self.inst.priority[i]
        if where[i] < 0 <= k:
            plan.unassigned.discard(i)
            plan.missed -= priority
        elif k < 0 <= where[i]:
            plan.unassigned.add(i)
            plan.missed += priority
        where[i] = k

    def _rollback(self, plan: Plan, mark: int) -> None:
        journal = self.journal
        while len(journal) > mark:
            kind, key, old = journal.pop()
            if kind == "route":
                assert isinstance(old, RouteState)
                plan.cost += old.cost - plan.routes[key].cost
                plan.routes[key] = old
            else:
                assert isinstance(old, int)
                self._place(plan, key, old)

    # ------------------------------------------------------------------ the move
    def try_serve(self, plan: Plan, u: int) -> bool:
        """Try to serve unserved request u (with its linked partner, if that waits too) by
        ejection chains; True if the plan got better (``Plan.key`` fell), else the plan is
        left exactly as it was."""
        group = self._attempt(u)
        if group is None:
            return False
        before = plan.key()
        chain = set(group)
        # a linked pair is tried in both orders: the leg placed first takes the room it likes
        for order in (group, group[::-1])[: len(group)]:
            if (
                all(self._serve(plan, i, self.config.depth, chain, first=True) for i in order)
                and plan.key() < before
                and self._links_kept()
            ):
                self.kept += 1
                self.journal = []
                return True
            self._rollback(plan, 0)
        return False

    def _attempt(self, u: int) -> list[int] | None:
        """The trips an attempt to serve u must place (None: nothing to try), counted as an
        attempt with an empty journal."""
        group = waiting_group(self.state, u)
        if group is not None:
            self.tried += 1
            self.journal = []
        return group

    def _links_kept(self) -> bool:
        """Every linked trip the journal touched is served together with its partner."""
        where = self.state.where
        partner = self.inst.partner
        for kind, i, _ in self.journal:
            if kind == "where" and partner[i] >= 0 and (where[i] < 0) != (where[partner[i]] < 0):
                return False
        return True

    def _no_lone_leg(self, ejected: tuple[int, ...]) -> bool:
        """Each ejected linked trip found a place again (an unlinked one may stay out)."""
        where = self.state.where
        partner = self.inst.partner
        return all(partner[e] < 0 or where[e] >= 0 for e in ejected)

    def _movable(self, i: int) -> bool:
        """Not locked: a trip this move may eject (a linked one must find a place again)."""
        return i not in self.state.fixed

    def _serve(self, plan: Plan, i: int, depth: int, chain: set[int], first: bool) -> bool:
        """Put unserved request i on a route, ejecting others if needed (and re-placing them,
        with chains ``depth`` deep); False (edits rolled back) if that fails. At the first link
        an ejected trip that fits nowhere may stay out: ``try_serve`` then judges by the key."""
        if self._insert_direct(plan, i):
            return True
        if depth <= 0:
            return False
        options = self._ejections(plan, i, chain, 2 if first else 1)
        limit = self.config.tries if first else self.config.deeper_tries
        best_swap = -1
        best_key = plan.key()
        mark = len(self.journal)
        for n, option in enumerate(options[:limit]):
            if self._apply_ejection(plan, i, option, depth, chain):
                return True
            if first and plan.key() < best_key and self._no_lone_leg(option[2]):
                # i served, an ejected trip of lower priority (or at less cost) left out
                best_key, best_swap = plan.key(), n
            self._rollback(plan, mark)
        if best_swap >= 0:  # redo it: the same edits on the same plan give the same result
            self._apply_ejection(plan, i, options[best_swap], depth, chain)
            return True
        return False

    def _apply_ejection(
        self,
        plan: Plan,
        i: int,
        option: Ejection,
        depth: int,
        chain: set[int],
    ) -> bool:
        """Put i on the option's route, its ejected trips out; True if they all found places
        again (with chains one link shorter). The edits stay in the journal either way."""
        if not self._eject_for(plan, i, option):
            return False
        ejected = option[2]
        longer = chain | set(ejected)
        return all(self._serve(plan, e, depth - 1, longer, first=False) for e in ejected)

    def _eject_for(self, plan: Plan, i: int, option: Ejection) -> bool:
        """Put i on the option's route and its ejected trips out, in the journal; False (and
        nothing changed) if the new route cannot be built."""
        _, k, ejected, found = option
        route = self.state.make_route(k, found.stops(), found.times)
        if route is None:  # not expected: the insertion was timed exactly
            return False
        self._set_route(plan, route)
        for e in ejected:
            self._assign(plan, e, -1)
        self._assign(plan, i, k)
        return True

    def _insert_direct(self, plan: Plan, i: int) -> bool:
        """Insert request i at its cheapest place among its vehicles, if any."""
        state = self.state
        best: Insertion | None = None
        vehicle = -1
        closed = state.closed
        for k in self.vehicles(i):
            if k in closed:
                continue
            found = state.best_insertion_anywhere(plan.routes[k], i)
            if found is not None and (best is None or found[0] < best[0]):
                best, vehicle = found, k
        if best is None:
            return False
        route = state.make_route(vehicle, best.stops(), best.times)
        if route is None:
            return False
        self._set_route(plan, route)
        self._assign(plan, i, vehicle)
        return True

    def _ejections(self, plan: Plan, i: int, chain: set[int], most: int) -> list[Ejection]:
        """(cost increase, vehicle, ejected requests, insertion) for each route of i's vehicles
        where taking out a set of ``_ejection_sets`` of the trips whose ride overlaps i's
        windows lets i in, fewest trips then cheapest first. The new routes are built only when
        tried."""
        state = self.state
        inst = self.inst
        slack = self.config.slack
        lo = inst.early[2 * i] - slack  # stops.py encoding: 2i pickup, 2i + 1 drop-off
        hi = inst.late[2 * i + 1] + slack
        dims = state.dims[i]
        options: list[Ejection] = []
        for k in self.vehicles(i):
            if k in state.closed:
                continue
            route = plan.routes[k]
            if not route.stops:
                continue
            position = route.position
            early = route.early
            blocking = [
                (early[position[2 * r]], r)
                for r in {s >> 1 for s in route.stops}
                if r not in chain
                and self._movable(r)
                and early[position[2 * r]] <= hi
                and early[position[2 * r + 1]] >= lo
            ]
            blocking.sort()
            for ejected in self._ejection_sets([r for _, r in blocking], most):
                reduced = state.make_route(k, [s for s in route.stops if s >> 1 not in ejected])
                if reduced is None:
                    continue
                found = insertion.best_insertion(inst, reduced, i, dims, state.weight, state.bonus)
                if found is None:
                    continue
                options.append((reduced.cost + found[0] - route.cost, k, ejected, found))
        options.sort(key=lambda o: (len(o[2]), o[0], o[1], o[2]))
        return options

    def _ejection_sets(self, blocking: list[int], most: int) -> list[tuple[int, ...]]:
        """Trips to take off a route together, from its trips in i's way in pickup order: each
        alone, and with ``most`` >= 2 each two riding one after the other."""
        sets: list[tuple[int, ...]] = [(r,) for r in blocking]
        if most >= 2:
            sets += list(itertools.pairwise(blocking))
        return sets


def eject_all(
    ejector: Ejector,
    plan: Plan,
    deadline: float,
    fallback: Callable[[Plan, int], bool] | None = None,
) -> int:
    """One ejection attempt for every unserved trip in index order (a linked pair once), and
    ``fallback(plan, u)`` where it fails, until ``deadline`` (``time.monotonic``); returns the
    number of attempts kept."""
    state = ejector.state
    partner = state.inst.partner
    kept = 0
    for u in sorted(plan.unassigned):
        if time.monotonic() > deadline:
            break
        j = partner[u]
        if state.where[u] >= 0 or (0 <= j < u and state.where[j] < 0):
            continue
        if ejector.try_serve(plan, u) or (fallback is not None and fallback(plan, u)):
            kept += 1
    return kept


__all__ = ["EjectConfig", "Ejector", "eject_all"]
