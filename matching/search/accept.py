"""Acceptance of a trial plan: lexicographic on served priority, simulated annealing on cost.

A plan that leaves less priority unserved is always taken, one that leaves more never; at equal
priority a cheaper plan is taken, and a dearer one with probability exp(-increase / T), the
temperature T cooling geometrically from ``start`` to ``end`` over the run.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class SimulatedAnnealing:
    """Acceptance by simulated annealing on the cost, after the served priority.

    ``draw_on_ties``: whether a plan exactly as good as the current one is accepted through a
    random draw (that always succeeds, as in the LNS) or outright (the granular search): the
    same decision, but the draw moves the random stream, so both stay as tuned and measured.
    """

    start: float
    end: float
    draw_on_ties: bool = True

    def temperature(self, fraction: float) -> float:
        """Temperature after this fraction (0 to 1) of the run."""
        return self.start * (self.end / self.start) ** fraction

    def accept(
        self,
        trial: tuple[int, int],
        current: tuple[int, int],
        temperature: float,
        rng: random.Random,
    ) -> bool:
        """Whether to move from ``current`` to ``trial``, both (missed priority, cost)."""
        missed, cost = trial
        current_missed, current_cost = current
        if missed != current_missed:
            return missed < current_missed
        if cost < current_cost or (cost == current_cost and not self.draw_on_ties):
            return True
        return rng.random() < math.exp((current_cost - cost) / temperature)
