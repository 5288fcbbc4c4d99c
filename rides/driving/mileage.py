"""Kilometres driven per day and month, for the volunteers' reimbursement.

A route counts when it belongs to the day's published plan and its driver accepted it (or
completed it): offered and declined routes were never driven. Kilometres are the planned
route distance (``Route.distance_m``), the figure the association reimburses.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from rides.models import DayPlan, PlanStatus, Route, RouteStatus

#: Route statuses that count as driven.
DRIVEN = (RouteStatus.ACCEPTED, RouteStatus.COMPLETED)


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


def driven_routes(since: dt.date, before: dt.date | None = None) -> Select[tuple[Route]]:
    """Routes of published plans from ``since`` (up to ``before``, excluded) that their driver
    accepted or drove: what mileage, the monthly reports and the drivers' calendars count."""
    query = (
        select(Route)
        .join(DayPlan)
        .where(
            DayPlan.status == PlanStatus.PUBLISHED,
            DayPlan.date >= since,
            Route.status.in_(DRIVEN),
        )
    )
    return query if before is None else query.where(DayPlan.date < before)


def _driven_routes(session: Session, month: dt.date, driver_id: int | None) -> list[Route]:
    start = month_start(month)
    query = driven_routes(start, next_month(start)).order_by(DayPlan.date, Route.id)
    if driver_id is not None:
        query = query.where(Route.driver_id == driver_id)
    return list(session.scalars(query))


def _log(month: dt.date, driver_id: int | None, routes: list[Route]) -> MileageLog:
    per_day: dict[dt.date, list[Route]] = defaultdict(list)
    for route in routes:
        per_day[route.plan.date].append(route)
    days = [
        MileageDay(day, len(driven), sum(r.distance_m for r in driven))
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
