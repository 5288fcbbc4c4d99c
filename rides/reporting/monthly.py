"""What the service did, for coordinators and funders: per month, and per village.

Definitions (so a figure means the same to everyone who reads it):
- requested: every trip asked for on a day of the month, whatever became of it;
- served: trips a published plan gave a car (scheduled, done, or no-show: the car came);
- unserved: trips a published plan could not serve, counted by reason;
- passengers carried: adults and children of trips scheduled or done;
- km driven: the routes driven (a stop marked done or no-show), each as it was driven, from
  the marks (``rides.driving.driven``); an accepted route not driven yet counts nothing;
- wait: minutes between the time asked for and the planned time at the end that mattered
  (drop-off for "arrive by", pickup for "leave after"), averaged over served trips.
Villages are the municipality the trip starts from. On-time performance (pickups against the
time the rider was promised) is defined in ``rides.reporting.on_time``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rides import clock
from rides.driving.driven import LOADING, driven_metres, driven_stops, is_driven, taken_routes
from rides.driving.mileage import next_month
from rides.models import (
    Place,
    Purpose,
    RequestStatus,
    RideRequest,
    Route,
    Stop,
    StopKind,
    TimeKind,
)
from rides.reporting.on_time import WINDOWS_MIN, OnTime, OnTimeReport, on_time_report

SERVED = frozenset({RequestStatus.SCHEDULED, RequestStatus.DONE, RequestStatus.NO_SHOW})
CARRIED = frozenset({RequestStatus.SCHEDULED, RequestStatus.DONE})


@dataclass
class Figures:
    """The figures of one month, for the whole province or one village."""

    requested: int = 0
    served: int = 0
    unserved: int = 0
    unserved_by_reason: dict[str, int] = field(default_factory=dict)
    passengers: int = 0
    km: float = 0.0
    #: Whether any driven route went there: without one, 0 km means "not yet driven", not 0.
    driven: bool = False
    km_per_passenger: float | None = None
    by_purpose: dict[str, float] = field(default_factory=dict)
    average_wait_min: float | None = None
    cancelled: int = 0
    no_shows: int = 0


@dataclass
class MonthReport:
    """A month's figures, overall and per village (keyed by village name)."""

    month: str
    total: Figures
    villages: dict[str, Figures]
    #: Routes driven in the month (none yet: the km say nothing, the page says so).
    routes_driven: int = 0
    #: Pickups against the times promised: per day, area, village, and the latest ones.
    on_time: OnTimeReport = field(default_factory=OnTimeReport)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "month": self.month,
            "routes_driven": self.routes_driven,
            "total": asdict(self.total),
            "villages": {name: asdict(f) for name, f in sorted(self.villages.items())},
            "on_time": self.on_time.as_dict(),
        }


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of a ``YYYY-MM`` month; ValueError on anything else."""
    first = dt.datetime.strptime(month, "%Y-%m").date().replace(day=1)
    return first, next_month(first) - dt.timedelta(days=1)


def month_report(session: Session, month: str) -> MonthReport:
    """Every figure of a month, overall and per origin village."""
    first, last = month_bounds(month)
    requests = session.scalars(
        select(RideRequest)
        .where(RideRequest.date >= first, RideRequest.date <= last)
        .options(selectinload(RideRequest.origin).selectinload(Place.municipality))
    ).all()
    routes = _taken_routes(session, first, last)
    planned = _planned_times(routes)
    driven = [route for route in routes if is_driven(route)]
    metres = driven_metres(driven)
    total = _figures(requests, planned, sum(metres.values()), driven=bool(driven))
    villages: dict[str, list[RideRequest]] = {}
    for request in requests:
        villages.setdefault(_village(request.origin), []).append(request)
    km_by_village = _km_by_village(driven, metres)
    per_village = {
        name: _figures(trips, planned, km_by_village.get(name, 0), driven=name in km_by_village)
        for name, trips in villages.items()
    }
    return MonthReport(
        month, total, per_village, routes_driven=len(driven), on_time=on_time_report(routes)
    )


def report_csv(report: MonthReport) -> str:
    """One row per village plus a total row, for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    purposes = [p.value for p in Purpose]
    writer.writerow(
        ["month", "village", "requested", "served", "unserved", "passengers", "km",
         "km_per_passenger", "average_wait_min", "cancelled", "no_shows",
         *[f"share_{p}" for p in purposes], "unserved_by_reason",
         "pickups_marked", *[f"on_time_{m}_min" for m in WINDOWS_MIN]]
    )  # fmt: skip
    rows = [*sorted(report.villages.items()), ("TOTAL", report.total)]
    for name, f in rows:
        reasons = ";".join(f"{k}={v}" for k, v in sorted(f.unserved_by_reason.items()))
        on_time = (
            report.on_time.total if name == "TOTAL" else report.on_time.villages.get(name, OnTime())
        )
        writer.writerow(
            [report.month, name, f.requested, f.served, f.unserved, f.passengers, f"{f.km:.1f}",
             _fmt(f.km_per_passenger), _fmt(f.average_wait_min), f.cancelled, f.no_shows,
             *[f"{f.by_purpose.get(p, 0.0):.3f}" for p in purposes], reasons,
             on_time.pickups, *[_share(on_time.share(m)) for m in WINDOWS_MIN]]
        )  # fmt: skip
    return out.getvalue()


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _village(place: Place) -> str:
    return place.municipality.name if place.municipality is not None else place.name


def _taken_routes(session: Session, first: dt.date, last: dt.date) -> list[Route]:
    """Accepted routes of the month: their planned times give the waits, the driven ones km,
    the marked pickups with their requests and drivers the on-time figures."""
    query = taken_routes(first, last + dt.timedelta(days=1)).options(
        *LOADING,
        selectinload(Route.stops).selectinload(Stop.request),
        selectinload(Route.stops).selectinload(Stop.place).selectinload(Place.municipality),
        selectinload(Route.driver),
        selectinload(Route.plan),
    )
    return list(session.scalars(query))


def _planned_times(routes: list[Route]) -> dict[tuple[int, StopKind], dt.datetime]:
    return {(s.request_id, s.kind): s.planned_at for r in routes for s in r.stops}


def _km_by_village(routes: list[Route], metres: dict[int, int]) -> dict[str, int]:
    """A driven route's distance is shared among the villages of the pickups the car went to."""
    shares: dict[str, int] = {}
    for route in routes:
        pickups = [s for s in driven_stops(route) if s.kind == StopKind.PICKUP]
        for stop in pickups:
            name = _village(stop.place)
            shares[name] = shares.get(name, 0) + metres[route.id] // max(len(pickups), 1)
    return shares


def _figures(
    requests: Sequence[RideRequest],
    planned: dict[tuple[int, StopKind], dt.datetime],
    distance_m: int,
    driven: bool,
) -> Figures:
    served = [r for r in requests if r.status in SERVED]
    carried = sum(r.adults + r.children for r in requests if r.status in CARRIED)
    reasons = Counter(
        r.status_note or "unknown" for r in requests if r.status == RequestStatus.UNSERVED
    )
    purposes = Counter(r.purpose.value for r in requests)
    waits = [w for r in served if (w := _wait_minutes(r, planned)) is not None]
    km = distance_m / 1000
    return Figures(
        requested=len(requests),
        served=len(served),
        unserved=sum(reasons.values()),
        unserved_by_reason=dict(sorted(reasons.items())),
        passengers=carried,
        km=round(km, 1),
        driven=driven,
        km_per_passenger=round(km / carried, 2) if carried and driven else None,
        by_purpose={p: round(n / len(requests), 3) for p, n in sorted(purposes.items())},
        average_wait_min=round(sum(waits) / len(waits), 1) if waits else None,
        cancelled=sum(1 for r in requests if r.status == RequestStatus.CANCELLED),
        no_shows=sum(1 for r in requests if r.status == RequestStatus.NO_SHOW),
    )


def _wait_minutes(
    request: RideRequest, planned: dict[tuple[int, StopKind], dt.datetime]
) -> float | None:
    """How far the plan is from the asked time, at the end of the trip the rider cares about."""
    asked = clock.local_datetime(request.date, request.time)
    if request.time_kind == TimeKind.ARRIVE_BY:
        at = planned.get((request.id, StopKind.DROPOFF))
        return None if at is None else (asked - at).total_seconds() / 60
    at = planned.get((request.id, StopKind.PICKUP))
    return None if at is None else (at - asked).total_seconds() / 60
