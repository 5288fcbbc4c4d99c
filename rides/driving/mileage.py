"""Kilometres driven per day and month, for the volunteers' reimbursement.

A route counts once it was driven, read from the marks of its stops, with the kilometres of
the route as it was driven (``rides.driving.driven`` defines both): an accepted route nobody
has marked yet counts nothing, and a drop-off skipped after a no-show is not paid for.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from rides.driving.driven import LOADING, driven_metres, driven_routes
from rides.models import DayPlan, Route


def kilometres(metres: int) -> float:
    """Metres as kilometres with one decimal, halves rounded up (as people round money)."""
    return float((Decimal(metres) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class MileageDay:
    """One day of driving: how many routes and how far."""

    date: dt.date
    routes: int
    distance_m: int

    @property
    def km(self) -> float:
        """Kilometres, one decimal."""
        return kilometres(self.distance_m)


@dataclass(frozen=True)
class MileageLog:
    """A driver's (or everyone's, ``driver_id`` None) month, day by day."""

    month: dt.date
    driver_id: int | None
    days: list[MileageDay]

    @property
    def routes(self) -> int:
        """Routes driven in the month."""
        return sum(day.routes for day in self.days)

    @property
    def distance_m(self) -> int:
        """Metres driven in the month."""
        return sum(day.distance_m for day in self.days)

    @property
    def km(self) -> float:
        """Kilometres driven in the month, one decimal (rounded once, from the metres)."""
        return kilometres(self.distance_m)


def month_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    """The first day of the following month."""
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    """The first day of the preceding month."""
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _driven_routes(session: Session, month: dt.date, driver_id: int | None) -> list[Route]:
    start = month_start(month)
    query = driven_routes(start, next_month(start)).order_by(DayPlan.date, Route.id)
    query = query.options(*LOADING)
    if driver_id is not None:
        query = query.where(Route.driver_id == driver_id)
    return list(session.scalars(query))


def _log(month: dt.date, driver_id: int | None, routes: list[Route]) -> MileageLog:
    metres = driven_metres(routes)
    per_day: dict[dt.date, list[Route]] = defaultdict(list)
    for route in routes:
        per_day[route.plan.date].append(route)
    days = [
        MileageDay(day, len(driven), sum(metres[r.id] for r in driven))
        for day, driven in sorted(per_day.items())
    ]
    return MileageLog(month_start(month), driver_id, days)


def mileage_log(session: Session, driver_id: int | None, month: dt.date) -> MileageLog:
    """The month (any day of it) of one driver, or of all drivers when ``driver_id`` is None."""
    return _log(month, driver_id, _driven_routes(session, month, driver_id))


def mileage_by_driver(session: Session, month: dt.date) -> dict[int, MileageLog]:
    """Every driver's log of the month (drivers who drove nothing are absent)."""
    routes: dict[int, list[Route]] = defaultdict(list)
    for route in _driven_routes(session, month, None):
        routes[route.driver_id].append(route)
    return {driver: _log(month, driver, driven) for driver, driven in sorted(routes.items())}


def mileage_csv(log: MileageLog) -> str:
    """The log as CSV: one row per day, then the month's total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["date", "routes", "km"])
    for day in log.days:
        writer.writerow([day.date.isoformat(), day.routes, f"{day.km:.1f}"])
    writer.writerow(["total", log.routes, f"{log.km:.1f}"])
    return out.getvalue()
