"""When a search run stops, and how far along it is (what the cooling schedule reads)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from matching.search.state import SearchStats


@dataclass
class RunClock:
    """A run's budget: wall-clock time until ``deadline``, and at most ``max_iterations``.

    The fraction of the run done is the larger of the time and the iteration fractions, so with
    an iteration cap and a deadline that does not bind, the run depends on the seed alone.
    """

    deadline: float
    max_iterations: int | None = None
    started: float = field(default_factory=time.monotonic)
    #: ``time.monotonic()`` at the start of the current iteration.
    now: float = 0.0

    @property
    def total(self) -> float:
        """Seconds the run may take (at least a millisecond)."""
        return max(1e-3, self.deadline - self.started)

    def tick(self, stats: SearchStats) -> float | None:
        """Start an iteration (counted in ``stats``) and return the fraction of the run done
        (0 to 1), or None if the time or the iterations are used up."""
        now = self.now = time.monotonic()
        if now >= self.deadline:
            return None
        if self.max_iterations is not None and stats.iterations >= self.max_iterations:
            return None
        stats.iterations += 1
        fraction = (now - self.started) / self.total
        if self.max_iterations:
            fraction = max(fraction, stats.iterations / self.max_iterations)
        return fraction

    def elapsed(self) -> float:
        """Seconds since the run started."""
        return time.monotonic() - self.started
