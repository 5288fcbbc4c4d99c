"""An ejection pool for the last unserved trips: long chains steered by how often a trip fails.

The ejection chains of ``eject`` are short (at most three links) and keep a chain only if every
trip it moved found a place within those links. On the busiest days the trips left out can ride
in one to six shifts, held by riders who themselves have few other shifts: serving one more may
need a longer chain than that. This move is the route-minimisation search of Nagata & Bräysy
(2009) turned to serving more with the same cars: the trip to serve goes into a pool; a trip
taken from the pool is inserted where it fits, or else it goes where ejecting the trips whose
failure counters add up least lets it in, and those trips go into the pool. Each failed
insertion raises the trip's counter, so trips that are hard to place are ejected less and less
and the easy ones make room for them. The attempt is kept if the pool empties within its steps
(one trip more served and no trip less), else it is undone exactly from the journal. The trip
to serve may eject up to three trips of a route, the others up to two, any of those in its way
(``eject`` takes two only if they ride one after the other).

``solve_large`` runs it once for every unserved trip after the sweep halfway through the search
(``LargeConfig.pool_share`` of the time), so that the second half polishes the routes it changed.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence

from matching.search.eject import EjectConfig, Ejection, Ejector
from matching.search.route import Plan
from matching.search.state import SearchState


class PoolEjector(Ejector):
    """The pool move on a plan of a ``SearchState``; the counters last as long as the object."""

    def __init__(
        self,
        state: SearchState,
        vehicles: Callable[[int], Sequence[int]],
        rng: random.Random,
        steps: int,
        config: EjectConfig | None = None,
    ) -> None:
        """Edit through ``state``; request i may go to ``vehicles(i)``; an attempt gives up
        after ``steps`` trips taken from the pool; ``rng`` orders trips ejected together."""
        super().__init__(state, vehicles, config)
        self.rng = rng
        self.steps = steps
        self.failures = [1] * self.inst.n

    def try_serve(self, plan: Plan, u: int) -> bool:
        """Serve unserved request u (with its waiting partner) by emptying a pool of ejected
        trips; True if the plan got better, else the plan is exactly as it was."""
        group = self._attempt(u)
        if group is None:
            return False
        before = plan.key()
        pool = list(group)
        keep = set(group)
        for _ in range(self.steps):
            if not pool:
                break
            v = pool.pop()
            if self._insert_direct(plan, v):
                continue
            self.failures[v] += 1
            option = self._least_failing(plan, v, keep, 3 if v in keep else 2)
            out = None if option is None else self._apply(plan, v, option)
            if out is None:  # v fits nowhere: the attempt fails
                pool.append(v)
                break
            self.rng.shuffle(out)
            pool.extend(out)
        if not pool and plan.key() < before and self._links_kept():
            self.kept += 1
            self.journal = []
            return True
        self._rollback(plan, 0)
        return False

    def _least_failing(self, plan: Plan, v: int, keep: set[int], most: int) -> Ejection | None:
        """The ejection of at most ``most`` trips letting v in whose trips (and their
        partners) have failed least, the cheaper on ties."""
        options = self._ejections(plan, v, keep, most)
        if not options:
            return None
        failures = self.failures
        partner = self.inst.partner

        def weight(option: Ejection) -> tuple[int, int]:
            total = 0
            for e in option[2]:
                total += failures[e]
                if partner[e] >= 0:
                    total += failures[partner[e]]
            return total, option[0]

        return min(options, key=weight)

    def _ejection_sets(self, blocking: list[int], most: int) -> list[tuple[int, ...]]:
        """Any ``most`` or fewer of the trips in the way, not only neighbours in time."""
        return [c for size in range(1, most + 1) for c in itertools.combinations(blocking, size)]

    def _apply(self, plan: Plan, v: int, option: Ejection) -> list[int] | None:
        """Put v on the option's route, its ejected trips out, and the partners of ejected
        linked trips off their routes too; return every trip taken out (None: v's new route
        could not be built, nothing changed)."""
        if not self._eject_for(plan, v, option):
            return None
        state = self.state
        out = list(option[2])
        partner = self.inst.partner
        for e in option[2]:
            j = partner[e]
            if j < 0 or state.where[j] < 0:
                continue
            host = plan.routes[state.where[j]]
            reduced = state.make_route(host.k, [s for s in host.stops if s >> 1 != j])
            if reduced is None:  # not expected: taking a trip out keeps a route feasible
                continue
            self._set_route(plan, reduced)
            self._assign(plan, j, -1)
            out.append(j)
        return out


__all__ = ["PoolEjector"]
