"""A granular large-neighbourhood search whose moves cost the same on any size of day.

The LNS (``matching.search.lns``) retries every unserved request on every route in every
iteration: right for a few dozen requests, a few moves a second on a thousand. Here each move
stays local: it takes out a handful of related trips (``destroy.LocalRemovals``: neighbours in
place and time, runs of consecutive stops on the routes of a trip's neighbours, a route, the
costliest detours, or random ones), and re-inserts them plus the unserved trips related to them
by the shared regret insertion (``repair.regret_insert``), each into its own ranked shifts only
(``SearchState.allowed``) and the route it came from. A rejected move is undone from a log
instead of copying the plan, so a move costs the same at 200 or 5,000 requests. Acceptance
(``accept``) is lexicographic on the served priority, then simulated annealing on the distance
cost.

A request's ranked shifts are ranked by the detour from the driver's home, but a car spends
its day far from home: so a request may also ride in the shifts of its nearest related trips
(renewed every few hundred moves), and every thousand moves the plan is polished with every
request free to move to any route (``improve.polish_anywhere``). On the generated 1,000-request
day the two took the distance per served request from 38.0 to 33.6 km in the same 60 s.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from matching.instance import Instance
from matching.search.accept import SimulatedAnnealing
from matching.search.destroy import LocalRemovals
from matching.search.eject import EjectConfig, Ejector
from matching.search.improve import changed_routes, polish_anywhere
from matching.search.repair import Ranking, RegretRule, regret_insert
from matching.search.room import RoomConfig, RoomMaker
from matching.search.route import Insertion, Plan, RouteState
from matching.search.state import SearchState, SearchStats
from matching.search.stop import RunClock
from matching.stops import dropoffs, pickups


@dataclass(frozen=True)
class GranularConfig:
    """Knobs of the granular search."""

    neighbours: int = 40
    #: Share of the moves whose removal takes runs of consecutive stops on the routes of a
    #: trip's neighbours (``LocalRemovals.strings``; taken from the moves that removed related
    #: trips), each run at most ``string_stops`` stops long. On the 1,000-request day (24
    #: paired runs of 60 s) a fifth drove 0.20 km less per served request (less in 16 seeds)
    #: and served 0.3 more (more in 11 seeds, fewer in 5).
    strings: float = 0.2
    string_stops: int = 8
    min_remove: int = 3
    max_remove: int = 20
    related_unserved: int = 12
    random_unserved: int = 3
    start_worse: float = 0.01
    cooling: float = 100.0
    seconds_to_metres: float = 10.0
    #: An ejection chain (``matching.search.eject``) for one unserved trip after every this
    #: many moves (0: never).
    eject_every: int = 5
    #: After an ejection turn that serves nothing, the next one comes twice as many moves
    #: later, at most this many times ``eject_every`` (1: always every ``eject_every``); a turn
    #: that serves brings it back to ``eject_every``. On the 1,000-request day the turns served
    #: nothing after the first 20 s of a 60 s run, yet took a third of the search's time.
    eject_backoff: int = 16
    eject: EjectConfig = field(default_factory=EjectConfig)
    #: When an ejection chain fails, clear room for the trip on one of its shifts instead
    #: (``matching.search.room``).
    clear_room: bool = True
    room: RoomConfig = field(default_factory=RoomConfig)
    #: After a failed clearing, a trip waits this many ejection turns before the next one, twice
    #: as many after each further failure (0: no wait). Late in a run the same few trips fail
    #: again and again, and clearing took half of the run's time.
    room_backoff: int = 3
    #: Every this many moves the plan is polished with every request free to move to any
    #: route (``improve.polish_anywhere``; 0: never).
    polish_every: int = 1000
    #: A request may also ride in the shifts of this many of its related trips
    #: (``neighbours``), the set renewed every ``related_every`` moves: cars that pass by at
    #: its hour, which the ranking by detour from home misses.
    related_shifts: int = 10
    related_every: int = 200


def neighbour_lists(
    inst: Instance, requests: list[int], count: int, seconds_to_metres: float
) -> list[list[int]]:
    """Per request index, the ``count`` most related requests (from ``requests``), closest first.

    Related = pickups close and drop-offs close by road, and their windows close in time.
    """
    lists: list[list[int]] = [[] for _ in range(inst.n)]
    if len(requests) < 2:
        return lists
    members = np.asarray(requests)
    dist = np.asarray(inst.problem.distances, dtype=np.float64)
    node = np.asarray(inst.node)
    early = np.asarray(inst.early, dtype=np.float64)
    pick, drop = node[pickups(inst.n)][members], node[dropoffs(inst.n)][members]
    t_pick, t_drop = early[pickups(inst.n)][members], early[dropoffs(inst.n)][members]
    keep = min(count, len(requests) - 1)
    scale = seconds_to_metres
    for begin in range(0, len(requests), 512):
        rows = slice(begin, begin + 512)
        score = (
            dist[pick[rows]][:, pick]
            + dist[drop[rows]][:, drop]
            + scale * (np.abs(t_pick[rows, None] - t_pick) + np.abs(t_drop[rows, None] - t_drop))
        )
        for r in range(score.shape[0]):
            score[r, begin + r] = np.inf
        nearest = np.argpartition(score, keep - 1, axis=1)[:, :keep]
        for r in range(score.shape[0]):
            order = nearest[r][np.argsort(score[r, nearest[r]], kind="stable")]
            lists[int(members[begin + r])] = members[order].tolist()
    return lists


@dataclass
class _Undo:
    """What a trial move changed, to put back if it is rejected."""

    routes: dict[int, RouteState] = field(default_factory=dict)
    where: dict[int, int] = field(default_factory=dict)
    cost: int = 0
    missed: int = 0


class GranularSearch:
    """Local ruin-and-recreate moves on a plan of a ``SearchState`` (its ``allowed`` set)."""

    def __init__(
        self,
        state: SearchState,
        rng: random.Random,
        config: GranularConfig | None = None,
    ) -> None:
        """Index the neighbours of every request that may be served."""
        self.state = state
        self.inst = state.inst
        self.rng = rng
        self.config = config or GranularConfig()
        self.requests = sorted(state.candidates)
        self.neighbours = neighbour_lists(
            self.inst, self.requests, self.config.neighbours, self.config.seconds_to_metres
        )
        self.removals = LocalRemovals(
            self.requests, self.neighbours, self.config.strings, self.config.string_stops
        )
        self.last_vehicle = [-1] * self.inst.n
        self.undo: _Undo | None = None
        self.broken = False
        self.ejector = Ejector(state, self.vehicles, self.config.eject)
        self.room = RoomMaker(state, self, self.ejector, rng, self.config.room)
        #: Per unserved request, the routes of its vehicles at its last failed ejection: it
        #: is tried again only once one of them has changed.
        self.eject_failed: dict[int, list[RouteState]] = {}
        self.eject_cursor = 0
        #: Per unserved request, (ejection turn from which it may clear room again, failures).
        self.room_wait: dict[int, tuple[int, int]] = {}
        self.eject_turns = 0

    # ------------------------------------------------------------------ logged edits
    def vehicles(self, i: int) -> list[int]:
        """Vehicles request i may be inserted into: its ranked shifts and its last route."""
        state = self.state
        allowed = state.allowed[i] if state.allowed is not None else state.open_vehicles
        result = [k for k in allowed if k not in state.closed]
        last = self.last_vehicle[i]
        if last >= 0 and last not in allowed and last not in state.closed:
            result.append(last)
        return result

    def insert(self, plan: Plan, i: int, k: int, found: Insertion) -> bool:
        """Put request i on vehicle k as found by ``best_insertion``, logging the change."""
        self._touch(plan, k)
        if self.undo is not None:
            self.undo.where.setdefault(i, -1)
        return self.state.insert_request(plan, i, k, found.stops(), found.times)

    def remove(self, plan: Plan, i: int) -> bool:
        """Take request i (and its linked partner) off their routes, logging the change."""
        state = self.state
        partner = self.inst.partner[i]
        group = [i] if partner < 0 else [i, partner]
        if any(r in state.fixed for r in group if state.where[r] >= 0):
            return False
        for r in group:
            k = state.where[r]
            if k < 0:
                continue
            self._touch(plan, k)
            if self.undo is not None:
                self.undo.where.setdefault(r, k)
            if not state.remove_request(plan, r):
                self.broken = True  # half a linked pair would stay: the move is undone
                return False
            self.last_vehicle[r] = k
        return True

    def _touch(self, plan: Plan, k: int) -> None:
        """Remember vehicle k's route before its first change in this move."""
        if self.undo is not None and k not in self.undo.routes:
            self.undo.routes[k] = plan.routes[k]

    def _revert(self, plan: Plan, undo: _Undo) -> None:
        """Undo a move."""
        for k, route in undo.routes.items():
            plan.routes[k] = route
        where = self.state.where
        for i, k in undo.where.items():
            where[i] = k
            if k < 0:
                plan.unassigned.add(i)
            else:
                plan.unassigned.discard(i)
        plan.cost = undo.cost
        plan.missed = undo.missed

    # ------------------------------------------------------------------ ruin and recreate
    def _ruin(self, plan: Plan, count: int) -> list[int]:
        """Remove about ``count`` requests chosen by a local removal; return them."""
        removed = []
        for i in self.removals.choose(self.state, plan, count, self.rng):
            if self.state.where[i] >= 0 and self.remove(plan, i):
                removed.append(i)
                partner = self.inst.partner[i]
                if partner >= 0:
                    removed.append(partner)
        return removed

    def _recreate(self, plan: Plan, removed: list[int]) -> None:
        """Regret-2 (else greedy) insertion, with a little noise, of the removed and related
        unserved trips; a trip with a single place left goes first (1,000-request day: 0.9
        more served, 2.6 less unserved priority, eight runs)."""
        state = self.state
        rng = self.rng
        config = self.config
        todo = {i for i in removed if state.where[i] < 0}
        related = []
        for i in removed:
            for j in self.neighbours[i][: config.related_unserved]:
                if j in plan.unassigned and j not in todo:
                    related.append(j)
        rng.shuffle(related)
        todo.update(related[: config.related_unserved])
        if plan.unassigned:
            pool = tuple(plan.unassigned)
            todo.update(rng.choice(pool) for _ in range(config.random_unserved))
        todo = {i for i in todo if state.where[i] < 0 and i in state.candidates}
        noise = 0.0 if rng.random() < 0.5 else 0.1
        regret = 2 if rng.random() < 0.6 else 1
        rule = RegretRule(
            k=regret, noise=noise, lacking=10.0, magnitude_scale=True, ranking=Ranking.SINGLE_PLACE
        )
        regret_insert(state, plan, list(todo), rule, rng, self)

    # ------------------------------------------------------------------ driver
    def run(
        self,
        plan: Plan,
        deadline: float,
        max_iterations: int | None = None,
        on_best: Callable[[Plan], None] | None = None,
    ) -> tuple[Plan, SearchStats]:
        """Improve ``plan`` in place until the deadline; return the best plan and counters."""
        state = self.state
        state.refresh(plan)
        stats = SearchStats()
        clock = RunClock(deadline, max_iterations)
        best = plan.snapshot()
        if not self.requests:
            return best, stats
        config = self.config
        used = max(1, sum(1 for r in plan.routes if r.stops))
        start = max(1.0, config.start_worse * abs(plan.cost) / used)
        annealing = SimulatedAnnealing(start, start / config.cooling, draw_on_ties=False)
        for i in range(self.inst.n):
            if state.where[i] >= 0:
                self.last_vehicle[i] = state.where[i]
        every, polish_every = config.eject_every, config.polish_every
        ranked = list(state.allowed) if state.allowed is not None else None
        polished: Plan | None = None
        gap = due = every  # moves between ejection turns now, and the next turn's move
        while (fraction := clock.tick(stats)) is not None:
            n = stats.iterations
            if ranked is not None and config.related_shifts and n % config.related_every == 1:
                self._widen(ranked)
            if polish_every and n % polish_every == 0:
                dirty = None if polished is None else changed_routes(plan, polished)
                polish_anywhere(state, plan, self.rng, dirty)
                polished, moved = plan.snapshot(), True
            elif every and n % every == 0 and n >= due:
                moved = self._eject(plan)
                gap = every if moved else min(2 * gap, every * config.eject_backoff)
                due = n + gap
            else:
                moved = self._move(plan, annealing.temperature(fraction), annealing)
            if moved and plan.key() < best.key():
                best = plan.snapshot()
                stats.improvements += 1
                stats.best_found_seconds = clock.elapsed()
                if on_best is not None:
                    on_best(best)
        if ranked is not None:
            state.allowed = ranked
        state.refresh(best)
        return best, stats

    def _widen(self, ranked: list[frozenset[int]]) -> None:
        """Let each request ride in its ranked shifts and in those of its nearest related
        trips now (a fresh list: the caller's ``ranked`` is put back when the run ends)."""
        where = self.state.where
        count = self.config.related_shifts
        allowed = list(ranked)
        for i in self.requests:
            near = {where[j] for j in self.neighbours[i][:count] if where[j] >= 0}
            if not near <= allowed[i]:
                allowed[i] = allowed[i] | near
        self.state.allowed = allowed

    def _eject(self, plan: Plan) -> bool:
        """An ejection chain for the next unserved trip (in index order, round robin) whose
        vehicles' routes changed since its last failed attempt; True if the plan improved."""
        waiting = sorted(plan.unassigned)
        if not waiting:
            return False
        failed = self.eject_failed
        routes = plan.routes
        state_where = self.state.where
        for n in range(len(waiting)):
            u = waiting[(self.eject_cursor + n) % len(waiting)]
            partner = self.inst.partner[u]
            if 0 <= partner < u and state_where[partner] < 0:
                continue  # tried with its partner
            vehicles = self.vehicles(u)
            if partner >= 0:
                vehicles = [*vehicles, *self.vehicles(partner)]
            seen = failed.get(u)
            if (
                seen is not None
                and len(seen) == len(vehicles)
                and all(routes[k] is r for k, r in zip(vehicles, seen, strict=True))
            ):
                continue
            self.eject_cursor = (self.eject_cursor + n + 1) % len(waiting)
            if self.ejector.try_serve(plan, u) or self._clear_room(plan, u):
                failed.pop(u, None)
                return True
            failed[u] = [routes[k] for k in vehicles]
            return False
        return False

    def _clear_room(self, plan: Plan, u: int) -> bool:
        """Clear room for u unless it is still waiting after failed clearings; True if that
        improved the plan."""
        self.eject_turns += 1
        due, failures = self.room_wait.get(u, (0, 0))
        if not self.config.clear_room or self.eject_turns < due:
            return False
        if self.room.try_serve(plan, u):
            self.room_wait.pop(u, None)
            return True
        if self.config.room_backoff:
            wait = self.config.room_backoff << failures
            self.room_wait[u] = (self.eject_turns + wait, failures + 1)
        return False

    def _move(self, plan: Plan, temperature: float, annealing: SimulatedAnnealing) -> bool:
        """One ruin and recreate, kept if accepted (True) or undone from the log (False)."""
        undo = self.undo = _Undo(cost=plan.cost, missed=plan.missed)
        self.broken = False
        count = self.rng.randint(self.config.min_remove, self.config.max_remove)
        removed = self._ruin(plan, count)
        self._recreate(plan, removed)
        self.undo = None
        if not self.broken and annealing.accept(
            plan.key(), (undo.missed, undo.cost), temperature, self.rng
        ):
            return True
        self._revert(plan, undo)
        return False
