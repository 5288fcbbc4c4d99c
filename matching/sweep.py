"""The sweep for the trips a search left unserved: offers to every route, ejection chains, polish.

The granular search keeps each request among its ranked shifts, and late in a run its ejection
turns rarely serve anything. Given every open route, the same plan often takes a few more
trips: in one run on the 1,000-request day the sweep at the end served 8 more priority in about
a second. ``solve_large`` sweeps once halfway through the search too
(``LargeConfig.mid_sweep_at``), so the rest of the search plans around the trips the sweep
placed, and once more at the end.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from matching.assemble import Day
from matching.seams import repair_seams
from matching.search.eject import Ejector, eject_all
from matching.search.improve import changed_routes, polish_anywhere
from matching.search.route import Plan
from matching.search.state import SearchState


@dataclass(frozen=True)
class Sweep:
    """A polish with every route open (on days small enough: ``polishing``), which frees time
    in the routes; the trips still unserved offered to every open route (``repair_seams``); then
    an ejection chain, else a clearing of room (``fallback``), for each one, and the routes that
    changed polished again; the ejections and the polish again while a round serves more. The
    polish after the ejections frees time too: on the 1,000-request day a second round served 1
    and 4 more trips in two runs of seven, and 2 less unserved priority in a third; it never
    serves less."""

    ejector: Ejector
    fallback: Callable[[Plan, int], bool] | None
    polishing: bool
    #: Deadlines of the first polish, of the ejections and of the later polishes.
    first_polish_until: float
    eject_until: float
    polish_until: float
    #: The ejection pool (``matching.search.pool``), tried once for each trip still unserved
    #: after the rounds, for at most ``pool_seconds``; None: no pool.
    pool: Ejector | None = None
    pool_seconds: float = 0.0

    def run(
        self, day: Day, search: SearchState, plan: Plan, rng: random.Random, rounds: int
    ) -> None:
        """At most ``rounds`` rounds, until a round serves no more or time runs out."""
        if self.polishing:
            polish_anywhere(search, plan, rng, deadline=self.first_polish_until)
        polished = plan.snapshot()
        repair_seams(day, search, plan, everywhere=True, deadline=self.eject_until)
        for n in range(rounds):
            missed = plan.missed
            eject_all(self.ejector, plan, self.eject_until, self.fallback)
            if self.polishing:
                dirty = changed_routes(plan, polished)
                polish_anywhere(search, plan, rng, dirty, deadline=self.polish_until)
                polished = plan.snapshot()
            if (n and plan.missed >= missed) or time.monotonic() > self.eject_until:
                break
        if self.pool is not None:
            until = min(self.eject_until, time.monotonic() + self.pool_seconds)
            eject_all(self.pool, plan, until)


__all__ = ["Sweep"]
