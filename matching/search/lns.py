"""Adaptive large-neighbourhood search over request insertions with exact route timing.

Ruin (``destroy``: random, worst, related, route removal) and recreate (``repair``: greedy,
regret, random-order and sequential insertion) in the manner of Ropke & Pisinger, operators
drawn by adaptive weights; a trial that serves every request it may is then polished to a
local optimum of tail swaps (2-opt* where both cars are empty) and single-request moves between
routes (``improve``), looking only at the routes the trial changed, before it is accepted or not
by simulated annealing (``accept``) on the distance cost and lexicographically on the served
priority. At a few checkpoints the routes met so far are recombined by set partitioning
(``set_partitioning``). Every route kept is feasible.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from matching.search import destroy
from matching.search.accept import SimulatedAnnealing
from matching.search.improve import changed_routes, polish
from matching.search.repair import RegretRepair, RegretRule, Repair, lns_repairs
from matching.search.route import Plan
from matching.search.set_partitioning import RoutePool
from matching.search.state import SearchState, SearchStats
from matching.search.stop import RunClock

#: A destroy operator: (state, plan, count, rng) -> the requests to take out.
Removal = Callable[[SearchState, Plan, int, random.Random], list[int]]

#: The LNS's destroy operators, in the order its adaptive weights index them.
REMOVALS: tuple[tuple[str, Removal], ...] = (
    ("random", destroy.random_removal),
    ("worst", destroy.worst_removal),
    ("related", destroy.related_removal),
    ("route", destroy.route_removal),
)

#: Scores of a trial (Ropke & Pisinger): a new best plan, a better accepted one, a worse one.
NEW_BEST, BETTER, ACCEPTED_WORSE = 33.0, 9.0, 13.0


@dataclass(frozen=True)
class LnsConfig:
    """Tuning knobs of the search (defaults chosen by measurement on the Cordeau set)."""

    min_remove: int = 2
    max_remove: int = 40
    max_remove_fraction: float = 0.3
    start_worse: float = 0.02
    cooling: float = 200.0
    restart_after: int = 2000
    partition_at: tuple[float, ...] = (0.5, 0.9)
    #: Seconds of each set-partitioning MIP: this share of the run, at most the cap (unless the
    #: run has an iteration cap: then only the remaining time bounds it, for reproducibility).
    partition_share: float = 0.04
    partition_cap: float = 1.0
    min_high: int = 8
    sequential: bool = True
    random_order: bool = True
    noise: float = 0.1
    #: Polish every trial that serves all it may (``improve.polish``, ``Lns._polish``) before
    #: judging it: on the Cordeau set's largest instances this took the 10 s gap from about
    #: 2 % to under 1 %.
    polish: bool = True


class OperatorWeights:
    """Roulette-wheel choice of operators, weights adapted every 100 iterations to their
    scores per use (reaction factor 0.2, floor 0.05)."""

    def __init__(self, count: int) -> None:
        """Equal weights for ``count`` operators."""
        self.weights = [1.0] * count
        self.scores = [0.0] * count
        self.uses = [0] * count

    def draw(self, rng: random.Random) -> int:
        """Index of an operator drawn by weight, counted as used."""
        x = rng.choices(range(len(self.weights)), self.weights)[0]
        self.uses[x] += 1
        return x

    def reward(self, x: int, score: float) -> None:
        """Credit operator x with the score of the trial it took part in."""
        self.scores[x] += score

    def adapt(self) -> None:
        """Move each used operator's weight towards its mean score, and start counting again."""
        weights, scores, uses = self.weights, self.scores, self.uses
        for x in range(len(weights)):
            if uses[x]:
                weights[x] = max(0.05, 0.8 * weights[x] + 0.2 * scores[x] / uses[x])
            scores[x] = 0.0
            uses[x] = 0


@dataclass
class _Run:
    """The moving parts of one run: plans, clock, cooling, removal sizes, checkpoints."""

    best: Plan
    current: Plan
    clock: RunClock
    annealing: SimulatedAnnealing
    low: int
    high: int
    checkpoints: list[float]
    since_best: int = 0
    #: Whether the current and the best plan are at a local optimum of the polish.
    polished: bool = False
    best_polished: bool = False


class Lns:
    """One adaptive large-neighbourhood search run on a ``SearchState``."""

    def __init__(
        self,
        state: SearchState,
        rng: random.Random,
        config: LnsConfig | None = None,
        pool: RoutePool | None = None,
    ) -> None:
        """Operators and weights; ``pool`` (default: every open vehicle) for set partitioning."""
        self.state = state
        self.rng = rng
        self.config = config or LnsConfig()
        self.pool = pool or RoutePool(state)
        self.removals = REMOVALS
        self.repairs: list[Repair] = lns_repairs(
            self.config.noise, sequential=self.config.sequential,
            random_order=self.config.random_order,
        )  # fmt: skip
        self.removal_weights = OperatorWeights(len(self.removals))
        self.repair_weights = OperatorWeights(len(self.repairs))

    def run(
        self,
        plan: Plan,
        deadline: float,
        max_iterations: int | None = None,
        on_best: Callable[[Plan], None] | None = None,
    ) -> tuple[Plan, SearchStats]:
        """Improve ``plan`` until the deadline (or ``max_iterations``); return the best plan
        found and counters. Unserved requests are first inserted by regret-2."""
        state = self.state
        stats = SearchStats()
        clock = RunClock(deadline, max_iterations)
        state.refresh(plan)
        if plan.unassigned:
            RegretRepair("start", RegretRule(k=2))(state, plan, self.rng)
        run = self._start(plan, clock)
        if run is None:
            return plan.snapshot(), stats
        while self._step(run, stats, on_best):
            pass
        state.refresh(run.best)
        if self.config.polish and not run.best_polished:
            # The best plan of a day where requests wait was never polished: once, at the end,
            # it is (on generated days of 150-300 requests: 0-2 % less distance in < 0.1 s).
            polish(state, run.best, self.rng)
        return run.best, stats

    def _start(self, plan: Plan, clock: RunClock) -> _Run | None:
        """The run's settings from the start plan, or None if no request may move."""
        config = self.config
        n_free = len(self.state.served_removable()) + len(plan.unassigned)
        if n_free == 0:
            return None
        low = min(config.min_remove, n_free)
        high = max(
            low,
            min(config.max_remove, int(config.max_remove_fraction * n_free) + 1),
            min(n_free, config.min_high),
        )
        best = plan.snapshot()
        start = config.start_worse * max(1, abs(best.cost)) / math.log(2)
        checkpoints = list(config.partition_at) if len(self.pool.vehicles) > 1 else []
        annealing = SimulatedAnnealing(start, start / config.cooling)
        return _Run(best, plan.snapshot(), clock, annealing, low, high, checkpoints)

    def _step(self, run: _Run, stats: SearchStats, on_best: Callable[[Plan], None] | None) -> bool:
        """One iteration (a ruin and recreate, or a set partitioning); False when time is up."""
        fraction = run.clock.tick(stats)
        if fraction is None:
            return False
        if run.checkpoints and fraction >= run.checkpoints[0]:
            while run.checkpoints and fraction >= run.checkpoints[0]:
                run.checkpoints.pop(0)
            self._recombine(run, stats, on_best)
            return True
        self._ruin_and_recreate(run, stats, run.annealing.temperature(fraction), on_best)
        if stats.iterations % 100 == 0:
            self.removal_weights.adapt()
            self.repair_weights.adapt()
        if run.since_best > self.config.restart_after:
            run.current = run.best.snapshot()
            run.polished = run.best_polished
            run.since_best = 0
        return True

    def _recombine(
        self, run: _Run, stats: SearchStats, on_best: Callable[[Plan], None] | None
    ) -> None:
        """Set partitioning over the pooled routes; a better plan becomes best and current."""
        config, clock = self.config, run.clock
        budget = 0.5 * (clock.deadline - clock.now)
        if clock.max_iterations is None:
            budget = min(config.partition_share * clock.total, config.partition_cap, budget)
        # With an iteration cap the run must be reproducible: a MIP cut short by its time
        # limit would make the result depend on the machine's speed and load.
        self.state.refresh(run.best)
        merged = self.pool.recombine(run.best, budget)
        if merged is not None:
            run.polished = run.best_polished = self._polish(run, merged, everything=True)
            run.best = merged.snapshot()
            run.current = merged
            stats.improvements += 1
            stats.best_found_seconds = run.clock.elapsed()
            if on_best is not None:
                on_best(run.best)

    def _polish(self, run: _Run, plan: Plan, everything: bool = False) -> bool:
        """Polish a plan that serves every request it may (``improve.polish``); whether it was.

        While requests wait, the iterations go to serving them (served share comes first for
        the riders; a polish never changes who is served, and measured on generated province
        days of 150-400 requests it cost half the iterations for no gain in served share);
        once none waits, the search is about distance and every trial is polished. Only the
        routes changed since the current plan are looked at, if that plan was polished.
        """
        if not self.config.polish or plan.unassigned:
            return False
        dirty = None if everything or not run.polished else changed_routes(plan, run.current)
        polish(self.state, plan, self.rng, dirty)
        return True

    def _ruin_and_recreate(
        self,
        run: _Run,
        stats: SearchStats,
        temperature: float,
        on_best: Callable[[Plan], None] | None,
    ) -> None:
        """Destroy and repair a copy of the current plan, accept it or not, score operators."""
        state, rng = self.state, self.rng
        ri = self.removal_weights.draw(rng)
        ii = self.repair_weights.draw(rng)
        trial = run.current.snapshot()
        state.refresh(trial)
        count = rng.randint(run.low, run.high)
        state.remove_many(trial, self.removals[ri][1](state, trial, count, rng))
        self.repairs[ii](state, trial, rng)
        score = 0.0
        polished = self._polish(run, trial)
        if trial.key() < run.best.key():
            run.best = trial.snapshot()
            run.current = trial
            run.polished = run.best_polished = polished
            stats.improvements += 1
            stats.best_found_seconds = run.clock.elapsed()
            score = NEW_BEST
            # A new best plan is not pooled: the search has always compared it with itself
            # here (kept as it was, so that seeded runs stay the same).
            run.since_best = 0
            if on_best is not None:
                on_best(run.best)
        elif run.annealing.accept(trial.key(), run.current.key(), temperature, rng):
            score = BETTER if trial.cost < run.current.cost else ACCEPTED_WORSE
            if not trial.unassigned:
                self.pool.remember(trial, run.current)
            run.current = trial
            run.polished = polished
        run.since_best += 1
        self.removal_weights.reward(ri, score)
        self.repair_weights.reward(ii, score)
