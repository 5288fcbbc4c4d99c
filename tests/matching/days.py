"""Generated days for the solver tests: random places, windows, loads, links and priorities."""

from __future__ import annotations

import dataclasses
import random

import numpy as np

from matching import Problem, Request, Shift


def random_day(seed: int, requests: int, vehicles: int, places: int = 12) -> Problem:
    """A day on random places of a 60 km square: windows, loads, links, some impossible trips."""
    rng = random.Random(seed)
    points = np.asarray([(rng.uniform(0, 60), rng.uniform(0, 60)) for _ in range(places)])
    km = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    distances = np.rint(km * 1200).astype(np.int64)  # roads wind: 1.2 x straight
    durations = np.rint(km * 1200 / 13).astype(np.int64)  # about 47 km/h
    day: list[Request] = []
    for i in range(requests):
        pickup, dropoff = rng.sample(range(places), 2)
        direct = int(durations[pickup, dropoff])
        begin = rng.randrange(7 * 3600, 17 * 3600, 300)
        limit = int(direct * 1.5) + 600
        day.append(
            Request(
                id=i,
                pickup=pickup,
                dropoff=dropoff,
                pickup_window=(begin, begin + 1800),
                dropoff_window=(begin + direct, begin + 1800 + limit + 120),
                max_ride_time=limit,
                load=(rng.choice((1, 1, 1, 2, 5)), rng.choice((0, 0, 1)), 0),
                pickup_service=120,
                dropoff_service=60,
                priority=rng.choice((1, 1, 2, 3)),
            )
        )
    for i in range(0, requests - 1, 3):  # every third request is linked to the next
        day[i] = _linked(day[i], day[i + 1].id)
        day[i + 1] = _linked(day[i + 1], day[i].id)
    fleet = []
    for k in range(vehicles):
        home = rng.randrange(places)
        start = rng.choice((7 * 3600, 8 * 3600, 13 * 3600))
        fleet.append(
            Shift(
                id=100 + k,
                start=home,
                end=home,
                window=(start, start + 7 * 3600),
                capacity=(rng.choice((3, 4)), rng.choice((0, 1)), 0),
            )
        )
    return Problem(tuple(day), tuple(fleet), durations, distances)


def _linked(request: Request, other: int) -> Request:
    """The request with its linked partner set."""
    fields = {name: getattr(request, name) for name in request.__dataclass_fields__}
    fields["linked"] = other
    return Request(**fields)


def with_languages(problem: Problem, seed: int) -> Problem:
    """The day with languages drawn for riders and drivers (so the language bonus counts)."""
    rng = random.Random(seed)
    spoken = ("es", "ar", "ro", "uk")

    def draw() -> frozenset[str]:
        return frozenset(rng.sample(spoken, rng.randint(0, 2)))

    return Problem(
        tuple(dataclasses.replace(r, languages=draw()) for r in problem.requests),
        tuple(dataclasses.replace(v, languages=draw()) for v in problem.shifts),
        problem.durations,
        problem.distances,
        problem.locked,
        problem.weights,
    )
