"""Acceptance (matching.search.accept): priority first, then annealing on the cost."""

from __future__ import annotations

import math
import random

import pytest

from matching.search.accept import SimulatedAnnealing
from tests.matching.search.conftest import FixedDraws


def test_serving_more_priority_is_always_accepted_and_less_never():
    """Missed priority decides before any cost, without a random draw."""
    annealing = SimulatedAnnealing(100.0, 1.0)
    rng = FixedDraws(0.0)
    assert annealing.accept((1, 10**9), (2, 0), 1.0, rng)
    assert not annealing.accept((3, 0), (2, 10**9), 1e9, rng)
    assert rng.calls == 0


def test_cheaper_is_accepted_and_dearer_by_chance():
    """A cheaper plan is taken outright; a dearer one when the draw is below exp(-d/T)."""
    annealing = SimulatedAnnealing(100.0, 1.0)
    assert annealing.accept((0, 90), (0, 100), 5.0, FixedDraws(0.99))
    threshold = math.exp(-10 / 5.0)
    assert annealing.accept((0, 110), (0, 100), 5.0, FixedDraws(threshold * 0.99))
    assert not annealing.accept((0, 110), (0, 100), 5.0, FixedDraws(threshold * 1.01))


def test_ties_are_accepted_with_or_without_a_draw():
    """An equally good plan is accepted either way; only the LNS variant draws for it (which
    keeps its seeded runs as they were)."""
    drawing, outright = SimulatedAnnealing(10.0, 1.0), SimulatedAnnealing(10.0, 1.0, False)
    rng = FixedDraws(0.999)
    assert drawing.accept((0, 100), (0, 100), 1.0, rng) and rng.calls == 1
    rng = FixedDraws(0.999)
    assert outright.accept((0, 100), (0, 100), 1.0, rng) and rng.calls == 0


def test_temperature_cools_geometrically_from_start_to_end():
    """T(0) = start, T(1) = end, T(1/2) = their geometric mean."""
    annealing = SimulatedAnnealing(200.0, 2.0)
    assert annealing.temperature(0.0) == 200.0
    assert annealing.temperature(1.0) == pytest.approx(2.0)
    assert annealing.temperature(0.5) == pytest.approx(20.0)


def test_acceptance_rate_of_a_fixed_worsening_matches_exp():
    """Over many draws a worsening of d is accepted about exp(-d/T) of the time."""
    annealing = SimulatedAnnealing(10.0, 1.0)
    rng = random.Random(3)
    accepted = sum(annealing.accept((0, 105), (0, 100), 5.0, rng) for _ in range(20_000))
    assert accepted / 20_000 == pytest.approx(math.exp(-1), abs=0.02)
