"""On-time performance: how close the car came to the pickup time the rider was promised.

Definitions (so a share means the same to everyone who reads it):
- the **promised** time is the pickup time the rider was confirmed
  (``RideRequest.confirmed_pickup_at``, set when a plan is published and only moved with a
  message), the time they were told to be ready;
- the **picked-up** time is when the driver marked the pickup done (``Stop.marked_at``, the
  service's clock at the tap);
- a pickup counts when it was marked done on a taken route of a published plan and has a
  promised time. A no-show is left out (its mark is when the driver stopped waiting, not when
  the car came), and so are pickups not marked yet or made by hand without a promise;
- **within N minutes** means the picked-up time is at most N minutes from the promised one,
  early or late: an early car leaves a rider who is not ready yet, a late one a rider who
  misses the doctor. The shares are of the pickups counted;
- the **latest pickups** are the ones marked furthest after the promised time (late ones only).

Days are the plans' days; villages are the pickup's municipality; areas are ``geo``'s areas of
the province (the comarcas), from the pickup place's coordinates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import geo
from rides.models import Place, Route, Stop, StopKind, StopStatus

#: The windows reported, in minutes either side of the promised time.
WINDOWS_MIN = (5, 10, 15)
#: How many of the latest pickups the report lists.
LATEST_LISTED = 10


@dataclass
class OnTime:
    """How many pickups were counted and how many came within each window."""

    pickups: int = 0
    within_5: int = 0
    within_10: int = 0
    within_15: int = 0

    def share(self, minutes: int) -> float | None:
        """The share (0 to 1) of pickups within ``minutes``; None when none was counted."""
        if not self.pickups:
            return None
        return getattr(self, f"within_{minutes}") / self.pickups

    def add(self, off_min: float) -> None:
        """Count a pickup marked ``off_min`` minutes from its promised time (either way)."""
        self.pickups += 1
        for minutes in WINDOWS_MIN:
            if abs(off_min) <= minutes:
                setattr(self, f"within_{minutes}", getattr(self, f"within_{minutes}") + 1)

    def as_dict(self) -> dict[str, Any]:
        """Counts and shares (rounded to three decimals), JSON-ready."""
        shares = {f"share_{m}": _rounded(self.share(m)) for m in WINDOWS_MIN}
        counts = {f"within_{m}": getattr(self, f"within_{m}") for m in WINDOWS_MIN}
        return {"pickups": self.pickups, **counts, **shares}


@dataclass(frozen=True)
class LatePickup:
    """A pickup marked after its promised time: when, where, by whom and how late."""

    date: dt.date
    village: str
    area: str
    driver: str
    promised_at: dt.datetime
    marked_at: dt.datetime
    late_min: float

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (instants in ISO 8601 with their offset)."""
        return {
            "date": self.date.isoformat(),
            "village": self.village,
            "area": self.area,
            "driver": self.driver,
            "promised_at": self.promised_at.isoformat(),
            "marked_at": self.marked_at.isoformat(),
            "late_min": self.late_min,
        }


@dataclass
class OnTimeReport:
    """On-time performance of a period: overall, per day, per area, per village, the latest."""

    total: OnTime = field(default_factory=OnTime)
    days: dict[dt.date, OnTime] = field(default_factory=dict)
    areas: dict[str, OnTime] = field(default_factory=dict)
    villages: dict[str, OnTime] = field(default_factory=dict)
    latest: list[LatePickup] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: days by ISO date, areas in the province's order."""
        return {
            "windows_min": list(WINDOWS_MIN),
            "total": self.total.as_dict(),
            "days": {day.isoformat(): f.as_dict() for day, f in sorted(self.days.items())},
            "areas": {name: f.as_dict() for name, f in self.areas.items()},
            "villages": {name: f.as_dict() for name, f in sorted(self.villages.items())},
            "latest": [late.as_dict() for late in self.latest],
        }


def on_time_report(routes: Iterable[Route], latest: int = LATEST_LISTED) -> OnTimeReport:
    """Count the marked pickups of ``routes`` against the times their riders were promised.

    Args:
        routes: taken routes of published plans, with their plan, driver, stops, the stops'
            requests and places (and the places' municipalities) loaded.
        latest: how many of the latest pickups to list.

    Returns:
        The figures overall, per day, per area and per village, and the latest pickups.
    """
    report = OnTimeReport()
    areas: dict[int, str] = {}
    late: list[LatePickup] = []
    for route, stop, promised, marked in _marked_pickups(routes):
        off_min = (marked - promised).total_seconds() / 60
        day, village, place = route.plan.date, _village(stop.place), stop.place
        if place.id not in areas:
            areas[place.id] = geo.area_of(place.latitude, place.longitude)
        area = areas[place.id]
        for figures in (
            report.total,
            report.days.setdefault(day, OnTime()),
            report.areas.setdefault(area, OnTime()),
            report.villages.setdefault(village, OnTime()),
        ):
            figures.add(off_min)
        if off_min > 0:
            driver = route.driver.first_name
            late.append(LatePickup(day, village, area, driver, promised, marked, round(off_min, 1)))
    report.areas = {name: report.areas[name] for name in geo.AREAS if name in report.areas}
    report.latest = _latest(late, latest)
    return report


def _marked_pickups(
    routes: Iterable[Route],
) -> Iterator[tuple[Route, Stop, dt.datetime, dt.datetime]]:
    """Pickups marked done that had a promised time: route, stop, promised and marked times."""
    for route in routes:
        for stop in route.stops:
            if stop.kind != StopKind.PICKUP or stop.status != StopStatus.DONE:
                continue
            promised, marked = stop.request.confirmed_pickup_at, stop.marked_at
            if promised is not None and marked is not None:
                yield route, stop, promised, marked


def _latest(late: Sequence[LatePickup], count: int) -> list[LatePickup]:
    """The ``count`` latest pickups, latest first (ties: the earlier day first)."""
    return sorted(late, key=lambda p: (-p.late_min, p.date, p.village))[:count]


def _rounded(share: float | None) -> float | None:
    return None if share is None else round(share, 3)


def _village(place: Place) -> str:
    return place.municipality.name if place.municipality is not None else place.name
