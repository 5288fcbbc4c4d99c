"""A tiny operating day for the invariant's property test: four villages, three drivers,
five riders, a coordinator, and a fixed travel-time matrix so that every step is fast."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

import geo
from rides.models import Person, Place, Shift
from rides.planning.day_plans import PlanSettings
from tests.clocks import ServiceClock
from tests.factories import ATIENZA, JADRAQUE, SIGUENZA, Factory

BAIDES = "19047"
#: The day that is planned and driven (a Wednesday, far from a clock change).
DAY = dt.date(2027, 2, 10)
#: Deterministic and quick: the search stops after a few iterations, not after a time.
SETTINGS = PlanSettings(time_limit=20.0, seed=0, max_iterations=10)
#: Minutes by road between the villages (symmetric); 54 km/h for the distances.
MINUTES = {
    frozenset({SIGUENZA, ATIENZA}): 30,
    frozenset({SIGUENZA, JADRAQUE}): 25,
    frozenset({SIGUENZA, BAIDES}): 12,
    frozenset({ATIENZA, JADRAQUE}): 35,
    frozenset({ATIENZA, BAIDES}): 28,
    frozenset({JADRAQUE, BAIDES}): 18,
}


class FixedMatrix:
    """The travel times of :data:`MINUTES`, looked up by each point's INE code."""

    def matrix(self, points: Sequence[object]) -> geo.TravelMatrix:
        """Seconds and metres between every pair of ``points`` (all of them villages above)."""
        keys: list[Hashable] = [getattr(point, "key") for point in points]  # noqa: B009
        seconds = np.zeros((len(keys), len(keys)), dtype=np.int64)
        for (i, a), (j, b) in itertools.product(enumerate(keys), repeat=2):
            if a != b:
                seconds[i, j] = MINUTES[frozenset({str(a), str(b)})] * 60
        return geo.TravelMatrix(seconds * 15, seconds)


@dataclass
class World:
    """The people and places of the day."""

    coordinator: Person
    drivers: list[Person]
    shifts: list[Shift]
    riders: list[Person]
    places: list[Place]

    def ids(self) -> dict[str, list[int]]:
        """What to find the world by in another session."""
        return {
            "coordinator": [self.coordinator.id],
            "drivers": [p.id for p in self.drivers],
            "shifts": [s.id for s in self.shifts],
            "riders": [p.id for p in self.riders],
            "places": [p.id for p in self.places],
        }

    @classmethod
    def load(cls, session: Session, ids: dict[str, list[int]]) -> World:
        """The world stored once by :func:`build_world`, read in ``session``."""

        def rows(model: type, key: str) -> list:  # type: ignore[type-arg]
            return [session.get(model, i) for i in ids[key]]

        return cls(
            rows(Person, "coordinator")[0], rows(Person, "drivers"), rows(Shift, "shifts"),
            rows(Person, "riders"), rows(Place, "places"),
        )  # fmt: skip


def build_world(session: Session, clock: ServiceClock) -> World:
    """Everyone registered through the real services, the clock at noon the day before."""
    clock.at(DAY - dt.timedelta(days=1), 12)
    make = Factory(session)
    places = [make.place(code) for code in (SIGUENZA, ATIENZA, JADRAQUE, BAIDES)]
    drivers = [make.driver(seats=4), make.driver(seats=4), make.driver(seats=3)]
    hours = ((7, 16), (7, 16), (8, 13))
    shifts = [
        make.shift(driver, date=DAY, start_time=dt.time(start), end_time=dt.time(end),
                   start_place_id=places[0].id)
        for driver, (start, end) in zip(drivers, hours, strict=True)
    ]  # fmt: skip
    riders = [make.newcomer(preferred_language=lang) for lang in ("fr", "ar", "es", "uk", "ro")]
    return World(make.coordinator(), drivers, shifts, riders, places)
