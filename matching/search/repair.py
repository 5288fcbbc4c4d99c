"""Repair operators: putting unserved requests back on routes, linked trips together.

* ``regret_insert``: the one regret insertion of both searches. Each round it inserts, at its
  cheapest place, the waiting request that ranks first: highest priority, then (``RegretRule``)
  the greatest regret (k >= 2), the cheapest insertion (k = 1, greedy) or a random draw. For
  regret-k, ``RegretRule.ranking`` may put a request with a single place left first
  (``Ranking.SINGLE_PLACE``) or the regret before the priority (``Ranking.REGRET``).
* ``sequential_insert``: each request once, in a given ``Order``, at its cheapest place (about
  half the work of regret insertion, as in SISR-style recreate).
* ``RegretRepair`` and ``SequentialRepair``: the repair operators of the LNS, named, as objects.

A request whose linked partner is waiting is followed by its partner at the partner's cheapest
place, or taken out again if the partner fits nowhere (``matching.links``).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from matching.links import waiting_partner
from matching.search.route import Insertion, Plan, RouteState
from matching.search.state import SearchState
from matching.stops import dropoff, pickup

#: Cost of an alternative that does not exist, for regret-k with fewer than k routes.
INFEASIBLE = 1 << 62


class Placement(Protocol):
    """How an insertion puts requests on routes and takes them off (the granular search logs
    these edits to undo them)."""

    def vehicles(self, i: int) -> Sequence[int]:
        """Vehicles request i may be inserted into."""
        ...

    def insert(self, plan: Plan, i: int, k: int, found: Insertion) -> bool:
        """Put request i on vehicle k as ``found``; False if that is not feasible."""
        ...

    def remove(self, plan: Plan, i: int) -> bool:
        """Take request i off its route; False if the route would become infeasible."""
        ...


class DirectPlacement:
    """Edits made straight on the plan: any request in any open vehicle (the LNS), or in the
    vehicles ``vehicles(i)`` gives it (the passes of the large solve)."""

    def __init__(
        self, state: SearchState, vehicles: Callable[[int], Sequence[int]] | None = None
    ) -> None:
        """Edit through this state."""
        self.state = state
        self._vehicles = vehicles

    def vehicles(self, i: int) -> Sequence[int]:
        """Every open vehicle, or the ones ``vehicles(i)`` gives."""
        if self._vehicles is not None:
            return self._vehicles(i)
        return self.state.open_vehicles

    def insert(self, plan: Plan, i: int, k: int, found: Insertion) -> bool:
        """Put request i on vehicle k."""
        return self.state.insert_request(plan, i, k, found.stops(), found.times)

    def remove(self, plan: Plan, i: int) -> bool:
        """Take request i off its route."""
        return self.state.remove_request(plan, i)


def insert_cheapest(
    plan: Plan,
    i: int,
    vehicles: Iterable[int],
    test: Callable[[RouteState, int], Insertion | None],
    insert: Callable[[Plan, int, int, Insertion], bool],
) -> bool:
    """Insert request i at its cheapest feasible place among ``vehicles`` (ties: the first)."""
    best: Insertion | None = None
    vehicle = -1
    for k in vehicles:
        found = test(plan.routes[k], i)
        if found is not None and (best is None or found[0] < best[0]):
            best, vehicle = found, k
    if best is None:
        return False
    return insert(plan, i, vehicle, best)


class Ranking(StrEnum):
    """What ranks first among waiting requests in regret-k insertion (k >= 2)."""

    #: The priority, then the regret.
    PRIORITY = "priority"
    #: A request that fits in a single place before any that fits in several, whatever their
    #: priorities; then the priority, then the regret. Priority first, a trip that several
    #: shifts could take fills the only shift of a less important trip, which then rides
    #: nowhere (the search's re-insertions).
    SINGLE_PLACE = "single_place"
    #: The regret; the priority only breaks ties (the large solve's start, whose search then
    #: serves the priority).
    REGRET = "regret"


@dataclass(frozen=True)
class RegretRule:
    """How regret insertion ranks the waiting requests (by priority first, unless
    ``ranking`` says otherwise).

    ``k``: 1 = greedy (the cheapest insertion first), k >= 2 = regret-k (the greatest sum of
    the differences between the cheapest insertion and the next k - 1). ``random_order``: a
    random request instead (k is then unused). ``noise``: every option's cost moves by up to
    this share of the noise scale, the largest cheapest cost seen (``magnitude_scale``: the
    largest magnitude of one, as the granular search counts, where language bonuses make costs
    negative). ``lacking``: what an alternative that does not exist costs, None = infeasible
    (the LNS: a request with fewer than k places goes first), x = the cheapest plus x times the
    noise scale (the granular search). The two searches were tuned with their own variants;
    both are kept so that their seeded runs stay as they were. ``ranking``: see ``Ranking``.
    """

    k: int = 2
    noise: float = 0.0
    random_order: bool = False
    lacking: float | None = None
    magnitude_scale: bool = False
    ranking: Ranking = Ranking.PRIORITY


@dataclass
class _Waiting:
    """What a regret insertion keeps between rounds: the requests to place, each one's
    vehicles and insertions found so far, those that fit nowhere, and the noise scale."""

    pending: list[int]
    vehicles: dict[int, Sequence[int]]
    found: dict[int, dict[int, Insertion | None]]
    failed: set[int] = field(default_factory=set)
    scale: float = 1.0
    #: Per request, its options sorted, kept while none of its vehicles' routes changes (by a
    #: rule without noise: with noise each round draws every option's cost again). Without
    #: it each round re-read every waiting request's options on every vehicle, which made the
    #: regret start cost the square of the day.
    options: dict[int, list[tuple[float, int]]] = field(default_factory=dict)
    #: Per vehicle, the waiting requests that may go there.
    users: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for i in self.pending:
            for k in self.vehicles[i]:
                self.users.setdefault(k, []).append(i)

    def route_changed(self, k: int) -> None:
        """Forget what is known about vehicle k's route."""
        for i in self.users.get(k, ()):
            self.found[i].pop(k, None)
            self.options.pop(i, None)


def regret_insert(
    state: SearchState,
    plan: Plan,
    pending: list[int],
    rule: RegretRule,
    rng: random.Random,
    placement: Placement,
) -> None:
    """Insert the ``pending`` requests, best ranked first, each at its cheapest place, until
    none is left or none fits; a request's waiting partner goes in right after it."""
    waiting = _Waiting(
        pending, {i: placement.vehicles(i) for i in pending}, {i: {} for i in pending}
    )
    found, failed = waiting.found, waiting.failed
    while True:
        choice, k = _best_ranked(state, plan, waiting, rule, rng)
        if choice < 0:
            return
        best = found[choice][k]
        assert best is not None
        if not placement.insert(plan, choice, k, best):
            failed.add(choice)
            continue
        waiting.route_changed(k)
        j = waiting_partner(state, choice)
        if j >= 0:
            vehicles = placement.vehicles(j)
            if insert_cheapest(plan, j, vehicles, state.best_insertion, placement.insert):
                waiting.route_changed(state.where[j])
            else:
                placement.remove(plan, choice)
                failed.add(choice)
                failed.add(j)
                waiting.route_changed(k)


def _best_ranked(
    state: SearchState, plan: Plan, waiting: _Waiting, rule: RegretRule, rng: random.Random
) -> tuple[int, int]:
    """The waiting request that ranks first and its cheapest vehicle, or (-1, -1)."""
    where = state.where
    priority = state.inst.priority
    routes = plan.routes
    best_insertion = state.best_insertion
    noise, magnitude, scale = rule.noise, rule.magnitude_scale, waiting.scale
    choice = -1
    choice_key: tuple[float, ...] = ()
    k_choice = -1
    kept = waiting.options
    _prefetch(state, routes, waiting)
    for i in waiting.pending:
        if where[i] >= 0 or i in waiting.failed:
            continue
        options = kept.get(i)
        if options is None:
            cache = waiting.found[i]
            options = []
            for k in waiting.vehicles[i]:
                if k not in cache:
                    cache[k] = best_insertion(routes[k], i)
                found = cache[k]
                if found is not None:
                    cost = float(found[0])
                    if noise:
                        cost += noise * scale * (2 * rng.random() - 1)
                    options.append((cost, k))
            if not options:
                waiting.failed.add(i)
                continue
            options.sort()
            if not noise:
                kept[i] = options
        cheapest = options[0][0]
        if magnitude:
            scale = max(scale, abs(cheapest))
        elif cheapest > scale:
            scale = cheapest
        key = _rank(rule, priority[i], options, scale, rng)
        if choice < 0 or key > choice_key:
            choice, choice_key, k_choice = i, key, options[0][1]
    waiting.scale = scale
    return choice, k_choice


def _prefetch(state: SearchState, routes: list[RouteState], waiting: _Waiting) -> None:
    """Ask each route once for all the waiting requests it has no answer for yet."""
    where, failed, found, kept = state.where, waiting.failed, waiting.found, waiting.options
    asked: dict[int, list[int]] = {}
    for i in waiting.pending:
        if where[i] >= 0 or i in failed or i in kept:
            continue
        cache = found[i]
        for k in waiting.vehicles[i]:
            if k not in cache:
                asked.setdefault(k, []).append(i)
    for k, requests in asked.items():
        state.prefetch(routes[k], requests)


def _rank(
    rule: RegretRule,
    priority: int,
    options: list[tuple[float, int]],
    scale: float,
    rng: random.Random,
) -> tuple[float, ...]:
    """Rank of a request with these sorted options: the larger, the sooner it goes in."""
    if rule.random_order:
        return (priority, rng.random())
    cheapest = options[0][0]
    if rule.k == 1:
        return (priority, -cheapest)
    value = 0.0
    for r in range(1, rule.k):
        if r < len(options):
            other = options[r][0]
        elif rule.lacking is None:
            other = INFEASIBLE
        else:
            other = cheapest + rule.lacking * scale
        value += other - cheapest
    if rule.ranking is Ranking.REGRET:
        return (value, priority, -cheapest)
    if rule.ranking is Ranking.SINGLE_PLACE:
        return (len(options) == 1, priority, value, -cheapest)
    return (priority, value, -cheapest)


class Order(StrEnum):
    """Order of sequential insertion (always by priority first)."""

    RANDOM = "random"
    #: Earliest pickup window first, then earliest drop-off window.
    EARLY = "early"
    #: Longest direct trip first.
    FAR = "far"


def sequential_insert(
    state: SearchState, plan: Plan, order: Order, noise: float, rng: random.Random
) -> None:
    """Insert unassigned requests one by one in the given order, each at its cheapest place.

    Each request looks at every route once (unchanged routes answer from their memo), so
    this is about half the work of regret insertion (as in SISR-style recreate).
    """
    pending = _in_order(state, [i for i in plan.unassigned if state.where[i] < 0], order, rng)
    placement = DirectPlacement(state)
    scale = 0.0
    for k in state.open_vehicles:
        state.prefetch(plan.routes[k], pending)
    changed = -1
    for i in pending:
        if changed >= 0:  # the rest will all ask the route that just changed
            state.prefetch(plan.routes[changed], [j for j in pending if state.where[j] < 0])
            changed = -1
        if state.where[i] >= 0:
            continue
        chosen: Insertion | None = None
        chosen_cost = 0.0
        vehicle = -1
        for k in state.open_vehicles:
            found = state.best_insertion(plan.routes[k], i)
            if found is None:
                continue
            cost = float(found[0])
            if cost > scale:
                scale = cost
            if noise:
                cost += noise * scale * (2 * rng.random() - 1)
            if chosen is None or cost < chosen_cost:
                chosen, chosen_cost, vehicle = found, cost, k
        if chosen is None:
            continue
        if not state.insert_request(plan, i, vehicle, chosen.stops(), chosen.times):
            continue
        changed = vehicle
        j = waiting_partner(state, i)
        if j >= 0 and not insert_cheapest(
            plan, j, state.open_vehicles, state.best_insertion, placement.insert
        ):
            state.remove_request(plan, i)


def _in_order(
    state: SearchState, pending: list[int], order: Order, rng: random.Random
) -> list[int]:
    """The pending requests sorted for sequential insertion (highest priority first)."""
    inst = state.inst
    priority = inst.priority
    if order is Order.RANDOM:
        rng.shuffle(pending)
        pending.sort(key=lambda i: -priority[i])
    elif order is Order.EARLY:
        early = inst.early
        pending.sort(key=lambda i: (-priority[i], early[pickup(i)], early[dropoff(i)]))
    else:
        node = inst.node
        dist = inst.dist
        pending.sort(key=lambda i: (-priority[i], -dist[node[pickup(i)]][node[dropoff(i)]]))
    return pending


# --------------------------------------------------------------------- LNS repair operators
@dataclass(frozen=True)
class RegretRepair:
    """Regret insertion of every unserved request by a rule."""

    name: str
    rule: RegretRule

    def __call__(self, state: SearchState, plan: Plan, rng: random.Random) -> None:
        """Repair the plan."""
        pending = [i for i in plan.unassigned if state.where[i] < 0]
        regret_insert(state, plan, pending, self.rule, rng, DirectPlacement(state))


@dataclass(frozen=True)
class SequentialRepair:
    """Sequential insertion of every unserved request in an order, with optional noise."""

    name: str
    order: Order
    noise: float = 0.0

    def __call__(self, state: SearchState, plan: Plan, rng: random.Random) -> None:
        """Repair the plan."""
        sequential_insert(state, plan, self.order, self.noise, rng)


Repair = RegretRepair | SequentialRepair


def lns_repairs(
    noise: float, *, sequential: bool = True, random_order: bool = True
) -> list[Repair]:
    """The LNS's repair operators, in the order its adaptive weights index them."""
    repairs: list[Repair] = [
        RegretRepair("greedy", RegretRule(k=1)),
        RegretRepair("regret2", RegretRule(k=2)),
        RegretRepair("regret3", RegretRule(k=3)),
        RegretRepair("greedy-noise", RegretRule(k=1, noise=noise)),
        RegretRepair("regret2-noise", RegretRule(k=2, noise=noise)),
        RegretRepair("random-order", RegretRule(random_order=True)),
        RegretRepair("random-order-noise", RegretRule(random_order=True, noise=0.3)),
        SequentialRepair("sequential-random", Order.RANDOM),
        SequentialRepair("sequential-early", Order.EARLY),
        SequentialRepair("sequential-far", Order.FAR),
        SequentialRepair("sequential-random-noise", Order.RANDOM, 0.2),
    ]
    if not sequential:
        repairs = [r for r in repairs if not isinstance(r, SequentialRepair)]
    if not random_order:
        repairs = [r for r in repairs if not (isinstance(r, RegretRepair) and r.rule.random_order)]
    return repairs
