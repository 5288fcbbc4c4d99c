"""Clearing a stretch of a route for an unserved trip that ejection chains could not place.

An ejection chain (``matching.search.eject``) takes one or two trips off a route and re-places
them one at a time. On a busy day the last unserved trips can often ride in one or two shifts
only, and there three or more trips sit in their way: no chain of one or two ejections frees
the time. This move clears it. On one of the trip's least crowded shifts at that time, it takes
off every trip whose ride overlaps the trip's windows (widened by ``RoomConfig.slack``), and the
rest of that route too if the trip still does not fit (the shift's duration limit or a later
trip holds it back), and puts the trip there; the cleared trips go back by regret insertion,
with the ranked-shift screen lifted (``SearchState.allowed``, as in
``improve.polish_anywhere``; ``RoomConfig.anywhere``), and each one still left out gets an
ejection chain of its own in its ranked shifts. The result is kept only if the plan's
lexicographic key (``Plan.key``: unserved priority, then cost) fell; otherwise the plan is
restored exactly as it was.

A linked pair waiting together is placed together (each leg on one of its own shifts), and a
move that would leave one leg of any pair it touched served alone is undone. Locked trips are
never cleared.

Measured on the generated 1,000-request day (one core, 60 s): with a regret start and the
clearing also in the large solve's passes, 864.0 requests served on average over five seeds;
852.7 over three seeds with ejection chains alone (docs/benchmarks-scale.md). Letting the
cleared trips go back into any route took the distance per served request from 33.55 to
33.16 km, serving 862.2 requests instead of 860.2 (six runs before, fifteen after: within
the spread).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from matching.links import waiting_group
from matching.search.eject import Ejector
from matching.search.repair import Placement, Ranking, RegretRule, regret_insert
from matching.search.route import Plan, RouteState
from matching.search.state import SearchState


@dataclass(frozen=True)
class RoomConfig:
    """Knobs of the move."""

    #: Trips whose ride overlaps the unserved trip's windows widened by this many seconds
    #: are cleared from the route.
    slack: int = 3600
    #: The route is drawn among the unserved trip's this many shifts with the fewest trips in
    #: the way.
    shifts: int = 4
    #: The cleared trips may go back into any route, not only their ranked shifts: the
    #: route that passes by a cleared trip at its hour is often not among the shifts ranked
    #: by the detour from the driver's home. (Where the placement's vehicles do not follow
    #: ``SearchState.allowed``, as in the large solve's passes, they stay its vehicles.)
    anywhere: bool = True


#: The cleared trips go back by regret-2 insertion without noise, a trip with a single place
#: left first, as in the search's re-insertions: on the 1,000-request day 0.55 km less per
#: served request (less in eight of ten runs), the same served share and unserved priority
#: within the spread.
_REINSERT = RegretRule(
    k=2, noise=0.0, lacking=10.0, magnitude_scale=True, ranking=Ranking.SINGLE_PLACE
)


@dataclass(frozen=True)
class _Saved:
    """Everything the move may change, to put back if it is not kept (a day's plan is a few
    hundred references and a list of ints: copying it is cheaper than logging each edit of the
    nested ejection chains)."""

    routes: list[RouteState]
    unassigned: set[int]
    cost: int
    missed: int
    where: list[int]

    @classmethod
    def of(cls, state: SearchState, plan: Plan) -> _Saved:
        where = list(state.where)
        return cls(list(plan.routes), set(plan.unassigned), plan.cost, plan.missed, where)

    def restore(self, state: SearchState, plan: Plan) -> None:
        plan.routes[:] = self.routes
        plan.unassigned.clear()
        plan.unassigned.update(self.unassigned)
        plan.cost, plan.missed = self.cost, self.missed
        state.where[:] = self.where


class RoomMaker:
    """The clearing move on a plan of a ``SearchState``: trips are taken off through the
    state, all of a route's at once, and placed through ``placement`` (whose edits must not be
    logged for an undo of its own while this move runs)."""

    def __init__(
        self,
        state: SearchState,
        placement: Placement,
        ejector: Ejector,
        rng: random.Random,
        config: RoomConfig | None = None,
    ) -> None:
        """Clear routes among ``placement.vehicles(i)``; ``ejector`` re-places what is left."""
        self.state = state
        self.inst = state.inst
        self.placement = placement
        self.ejector = ejector
        self.rng = rng
        self.config = config or RoomConfig()
        #: Attempts made and attempts kept.
        self.tried = 0
        self.kept = 0

    def try_serve(self, plan: Plan, u: int) -> bool:
        """Serve unserved request u (with its waiting partner) by clearing room on one of its
        shifts; True if ``plan.key()`` fell, else the plan is exactly as it was."""
        state = self.state
        group = waiting_group(state, u)
        if group is None:
            return False
        self.tried += 1
        before = plan.key()
        saved = _Saved.of(state, plan)
        cleared: list[int] = []
        if all(self._clear_and_place(plan, i, cleared) for i in group):
            self._reinsert(plan, [r for r in cleared if state.where[r] < 0])
            for r in cleared:
                if state.where[r] < 0 and plan.key() >= before:
                    self.ejector.try_serve(plan, r)
            if plan.key() < before and self._links_kept([*group, *cleared]):
                self.kept += 1
                return True
        saved.restore(state, plan)
        return False

    def _reinsert(self, plan: Plan, waiting: list[int]) -> None:
        """Put the cleared trips back by regret insertion: into any route if
        ``RoomConfig.anywhere``, else into their own ranked shifts."""
        state = self.state
        ranked = state.allowed
        if self.config.anywhere:
            state.allowed = None
        try:
            regret_insert(state, plan, waiting, _REINSERT, self.rng, self.placement)
        finally:
            state.allowed = ranked

    def _clear_and_place(self, plan: Plan, i: int, cleared: list[int]) -> bool:
        """Clear the trips around i's ride off one of i's shifts (adding them and their
        partners to ``cleared``) and insert i there; False if that failed."""
        state = self.state
        inst = self.inst
        vehicles = [k for k in self.placement.vehicles(i) if k not in state.closed]
        if not vehicles:
            return False
        lo = inst.early[2 * i] - self.config.slack  # stops.py encoding: 2i pickup, 2i+1 drop-off
        hi = inst.late[2 * i + 1] + self.config.slack
        crowd = sorted((len(self._overlapping(plan.routes[k], lo, hi)), k) for k in vehicles)
        k = self.rng.choice(crowd[: self.config.shifts])[1]
        self._clear(plan, self._overlapping(plan.routes[k], lo, hi), cleared)
        found = state.best_insertion_anywhere(plan.routes[k], i)
        if found is None:  # the rest of the route holds it back: its duration, a later trip...
            self._clear(plan, [s >> 1 for s in plan.routes[k].stops], cleared)
            found = state.best_insertion_anywhere(plan.routes[k], i)
        return found is not None and self.placement.insert(plan, i, k, found)

    def _clear(self, plan: Plan, requests: list[int], cleared: list[int]) -> None:
        """Take these requests and their partners off (not the locked ones), adding them to
        ``cleared``. All at once: without the triangle inequality (road times), taking them
        off one by one can pass through a route that is infeasible."""
        state = self.state
        partner = self.inst.partner
        where = state.where
        chosen = [r for r in requests if r not in state.fixed and where[r] >= 0]
        touched = {x for r in chosen for x in (r, partner[r]) if x >= 0 and where[x] >= 0}
        state.remove_many(plan, chosen)
        cleared.extend(sorted(x for x in touched if where[x] < 0))

    @staticmethod
    def _overlapping(route: RouteState, lo: int, hi: int) -> list[int]:
        """Requests on the route whose ride (earliest times) overlaps [lo, hi]."""
        position, early = route.position, route.early
        return sorted(
            r
            for r in {s >> 1 for s in route.stops}
            if early[position[2 * r]] <= hi and early[position[2 * r + 1]] >= lo
        )

    def _links_kept(self, touched: list[int]) -> bool:
        """Every linked trip touched is served together with its partner or not at all."""
        where = self.state.where
        partner = self.inst.partner
        return all(partner[r] < 0 or (where[r] < 0) == (where[partner[r]] < 0) for r in touched)


__all__ = ["RoomConfig", "RoomMaker"]
