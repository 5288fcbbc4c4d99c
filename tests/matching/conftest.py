"""Factories for small matching problems: a line of villages, one minute apart."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from matching import Problem, Request, Shift

#: Places on a line; travelling between neighbours takes one minute and one kilometre.
PLACES = 6


def line_matrices(size: int = PLACES) -> tuple[np.ndarray, np.ndarray]:
    """Durations (s) and distances (m) of places on a line, 60 s and 1 km apart."""
    index = np.arange(size)
    steps = np.abs(index[:, None] - index[None, :])
    return steps * 60, steps * 1000


def make_request_factory() -> Callable[..., Request]:
    """A factory of requests from place 1 to place 4 with wide windows."""
    counter = iter(range(10_000))

    def make(**overrides: Any) -> Request:
        values: dict[str, Any] = {
            "id": next(counter),
            "pickup": 1,
            "dropoff": 4,
            "pickup_window": (0, 3600),
            "dropoff_window": (0, 3600),
            "max_ride_time": 600,
            "load": (1, 0, 0),
        }
        values.update(overrides)
        return Request(**values)

    return make


def make_shift_factory() -> Callable[..., Shift]:
    """A factory of shifts at place 0 with 3 seats, 1 child seat, no wheelchair place."""
    counter = iter(range(10_000))

    def make(**overrides: Any) -> Shift:
        values: dict[str, Any] = {
            "id": next(counter),
            "start": 0,
            "end": 0,
            "window": (0, 7200),
            "capacity": (3, 1, 0),
        }
        values.update(overrides)
        return Shift(**values)

    return make


@pytest.fixture
def make_request() -> Callable[..., Request]:
    """Fixture form of make_request_factory."""
    return make_request_factory()


@pytest.fixture
def make_shift() -> Callable[..., Shift]:
    """Fixture form of make_shift_factory."""
    return make_shift_factory()


def make_problem(requests: list[Request], vehicles: list[Shift], **overrides: Any) -> Problem:
    """A problem on the line of places."""
    durations, distances = line_matrices()
    values: dict[str, Any] = {"durations": durations, "distances": distances}
    values.update(overrides)
    return Problem(tuple(requests), tuple(vehicles), **values)
