"""The run clock (matching.search.stop): when a run stops and how far along it is."""

from __future__ import annotations

import time

from matching.search.state import SearchStats
from matching.search.stop import RunClock


def test_iteration_cap_stops_the_run_and_drives_the_fraction():
    """With a far deadline the fraction is the share of iterations done; the cap stops it."""
    clock = RunClock(time.monotonic() + 3600, max_iterations=4)
    stats = SearchStats()
    fractions = []
    while (fraction := clock.tick(stats)) is not None:
        fractions.append(fraction)
    assert fractions == [0.25, 0.5, 0.75, 1.0]
    assert stats.iterations == 4


def test_deadline_stops_the_run():
    """A deadline in the past: no iteration at all."""
    clock = RunClock(time.monotonic() - 1.0)
    stats = SearchStats()
    assert clock.tick(stats) is None
    assert stats.iterations == 0


def test_without_a_cap_the_fraction_is_the_share_of_time():
    """Only the clock counts when there is no iteration cap."""
    clock = RunClock(time.monotonic() + 1000.0)
    fraction = clock.tick(SearchStats())
    assert fraction is not None and 0.0 <= fraction < 0.01
