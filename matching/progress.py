"""Progress of a long solve: who gets told, and the promise that the objective never rises.

A province-sized day takes minutes; a coordinator (or the bench command) wants to see that it
moves. ``Progress`` is the callback type; ``Tracker`` calls it only when the best plan gets
better or the phase changes, so a listener sees a non-increasing objective.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

#: Called with (elapsed seconds, best objective so far, served requests, phase text).
Progress = Callable[[float, int, int, str], None]


@dataclass
class Tracker:
    """Forwards improvements of the best plan to a ``Progress`` callback (or to nobody)."""

    callback: Progress | None
    started: float = field(default_factory=time.monotonic)
    best: int | None = None
    served: int = 0
    phase: str = "setup"

    def elapsed(self) -> float:
        """Seconds since the solve started."""
        return time.monotonic() - self.started

    def enter(self, phase: str) -> None:
        """Announce a new phase (with the best objective so far, if there is one)."""
        self.phase = phase
        if self.callback is not None and self.best is not None:
            self.callback(self.elapsed(), self.best, self.served, phase)

    def offer(self, objective: int, served: int) -> bool:
        """Record a plan's objective; tell the listener if it beats the best. True if it did."""
        if self.best is not None and objective >= self.best:
            return False
        self.best = objective
        self.served = served
        if self.callback is not None:
            self.callback(self.elapsed(), objective, served, self.phase)
        return True
