"""The day at a glance for coordinators: who drives whom, when and where, and who is left out.

Read-only: everything a coordinator's day page shows (the map's GeoJSON is in ``day_map``),
gathered in a few queries and returned as plain frozen dataclasses (times already in local
wall-clock time, timeline positions as whole percentages of the day's window), so templates
only lay them out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rides import clock
from rides.booking.no_show_returns import ReturnToCheck, returns_to_check
from rides.driving.availability import shifts_on
from rides.models import (
    DayPlan,
    Person,
    Place,
    PlanStatus,
    RequestStatus,
    RideRequest,
    Route,
    Shift,
    Stop,
    StopKind,
)
from rides.places.directory import place_label
from rides.planning import day_plans
from rides.planning.cutoff import cutoff_instant
from rides.planning.unserved_notes import UnservedNote
from rides.planning.unserved_reasons import reason_sentence
from rides.planning.versions import unserved_params

#: The timeline always shows at least these hours, widened to fit every shift.
DEFAULT_HOURS = (7, 19)


@dataclass(frozen=True)
class Timeline:
    """The hours a day's timeline spans; positions are whole percentages of it."""

    start_hour: int
    end_hour: int

    def percent(self, moment: dt.time) -> int:
        """Where a local time falls on the timeline, 0-100."""
        minutes = moment.hour * 60 + moment.minute - self.start_hour * 60
        span = (self.end_hour - self.start_hour) * 60
        return max(0, min(100, round(100 * minutes / span)))

    @property
    def hours(self) -> list[tuple[int, int]]:
        """Each full hour with its position, for the ticks."""
        return [(h, self.percent(dt.time(h))) for h in range(self.start_hour, self.end_hour)]


@dataclass(frozen=True)
class RequestLine:
    """A trip as the coordinator reads it, with why it waits or was left out."""

    request_id: int
    rider: str
    origin: str
    destination: str
    time_kind: str
    time: dt.time
    seats: int
    children: int
    #: Child seats the trip needs (a common reason no car fits: coordinators must see them).
    child_seats: int
    wheelchair: bool
    purpose: str
    status: str
    pinned_shift_id: int | None = None
    pinned_to: str | None = None
    #: The car of the shift it is kept with (its driver may have two).
    pinned_car: str | None = None
    reason: str | None = None
    sentence: str | None = None
    detail: str | None = None
    #: The planner's note, written in the reader's language where it is shown.
    note: UnservedNote | None = None
    late: bool = False
    #: The rider's note for the driver ("I have a pram").
    driver_note: str | None = None


@dataclass(frozen=True)
class StopLine:
    """One stop of a route: when, where, who gets in or out."""

    request_id: int
    kind: str
    time: dt.time
    place: str
    rider: str
    seats: int
    wheelchair: bool
    children: int
    child_seats: int
    at: int
    pinned: bool
    note: str | None = None


@dataclass(frozen=True)
class DriverRow:
    """One driver of the day: their shift, car, route status and stops."""

    driver_id: int
    driver: str
    shift_id: int | None
    shift_start: dt.time | None
    shift_end: dt.time | None
    shift_from: int
    shift_to: int
    start_place: str
    vehicle: str
    seats: int
    child_seats: int
    wheelchair_places: int
    route_id: int | None
    status: str | None
    distance_km: float
    stops: tuple[StopLine, ...]


@dataclass(frozen=True)
class PlanFigures:
    """The shown plan version and what it achieved."""

    plan_id: int
    version: int
    status: str
    requests: int
    served: int
    distance_km: float
    solve_seconds: float
    created_at: dt.datetime
    #: Which travel times planned it, e.g. "matrix file /srv/m.npz (osrm at ...)"; "" if unknown.
    travel_times: str = ""


@dataclass(frozen=True)
class ShiftChoice:
    """A shift a request can be kept with ("keep with this driver"): who, with which car,
    when and from where. The car tells apart two shifts of a driver with two cars; the page
    writes the seats in the reader's language."""

    shift_id: int
    driver: str
    vehicle: str
    seats: int
    start: dt.time
    end: dt.time
    place: str


@dataclass(frozen=True)
class DayView:
    """Everything the coordinator's day page shows."""

    day: dt.date
    plan: PlanFigures | None
    published_version: int | None
    versions: int
    timeline: Timeline
    rows: tuple[DriverRow, ...]
    unserved: tuple[RequestLine, ...]
    waiting: tuple[RequestLine, ...]
    flagged_days: tuple[dt.date, ...]
    shifts: tuple[ShiftChoice, ...]
    #: Return trips after a no-show on the way out: keep them or cancel them?
    returns: tuple[ReturnToCheck, ...] = ()

    @property
    def can_publish(self) -> bool:
        """Whether the shown version is a draft (the newest version always is shown)."""
        return self.plan is not None and self.plan.status == PlanStatus.DRAFT.value


def day_view(session: Session, day: dt.date, cutoff: dt.time) -> DayView:
    """The day page's data: the newest plan version, its routes by driver, the unserved
    requests with a sentence saying what to do, and the queue of requests still waiting."""
    plan = day_plans.latest_plan(session, day)
    published = day_plans.published_plan(session, day)
    requests = _day_requests(session, day)
    shifts = shifts_on(session, day)
    shift_by_id = {s.id: s for s in shifts}
    routes = list(plan.routes) if plan else []
    timeline = _timeline(shifts, routes)
    return DayView(
        day=day,
        plan=_figures(plan) if plan else None,
        published_version=published.version if published else None,
        versions=len(day_plans.plans_of(session, day)),
        timeline=timeline,
        rows=tuple(_rows(shifts, routes, timeline)),
        unserved=tuple(_unserved(plan, requests, shift_by_id)),
        waiting=tuple(_waiting(requests.values(), shift_by_id, cutoff_instant(day, cutoff))),
        flagged_days=tuple(day_plans.days_needing_replan(session, clock.today())),
        shifts=tuple(_choice(s) for s in shifts),
        returns=tuple(returns_to_check(session, day)),
    )


def _day_requests(session: Session, day: dt.date) -> dict[int, RideRequest]:
    """The day's requests with riders and places, loaded once (stops then find them cached)."""
    query = (
        select(RideRequest)
        .where(RideRequest.date == day)
        .options(
            selectinload(RideRequest.rider),
            selectinload(RideRequest.origin).selectinload(Place.municipality),
            selectinload(RideRequest.destination).selectinload(Place.municipality),
        )
        .order_by(RideRequest.time, RideRequest.id)
    )
    return {r.id: r for r in session.scalars(query)}


def _figures(plan: DayPlan) -> PlanFigures:
    return PlanFigures(
        plan_id=plan.id,
        version=plan.version,
        status=plan.status.value,
        requests=plan.requests_count,
        served=plan.served_count,
        distance_km=round(plan.distance_m / 1000, 1),
        solve_seconds=round(plan.solve_seconds, 1),
        created_at=plan.created_at,
        travel_times=str((plan.figures or {}).get("travel_times", {}).get("description", "")),
    )


def _local(moment: dt.datetime) -> dt.time:
    return moment.astimezone(clock.LOCAL_TZ).time().replace(second=0, microsecond=0)


def _timeline(shifts: Sequence[Shift], routes: Sequence[Route]) -> Timeline:
    start, end = DEFAULT_HOURS
    for shift in shifts:
        start = min(start, shift.start_time.hour)
        end = max(end, shift.end_time.hour + (1 if shift.end_time.minute else 0))
    for route in routes:
        for stop in route.stops:
            local = _local(stop.planned_at)
            start = min(start, local.hour)
            end = max(end, local.hour + 1)
    return Timeline(max(0, start), min(24, max(end, start + 1)))


def _rows(shifts: Sequence[Shift], routes: Sequence[Route], timeline: Timeline) -> list[DriverRow]:
    """One row per shift of the day, plus routes whose shift is gone; by start time."""
    by_shift = {r.shift_id: r for r in routes if r.shift_id is not None}
    rows = [_row(s.driver, s, by_shift.get(s.id), timeline) for s in shifts]
    known = {s.id for s in shifts}
    rows += [_row(r.driver, r.shift, r, timeline) for r in routes if r.shift_id not in known]
    return sorted(rows, key=lambda r: (r.shift_start or dt.time(23, 59), r.driver))


def _row(driver: Person, shift: Shift | None, route: Route | None, timeline: Timeline) -> DriverRow:
    vehicle = (route.vehicle if route and route.vehicle else None) or (
        shift.vehicle if shift else None
    )
    stops = tuple(_stop(stop, shift, timeline) for stop in route.stops) if route else ()
    return DriverRow(
        driver_id=driver.id,
        driver=driver.display_name,
        shift_id=shift.id if shift else None,
        shift_start=shift.start_time if shift else None,
        shift_end=shift.end_time if shift else None,
        shift_from=timeline.percent(shift.start_time) if shift else 0,
        shift_to=timeline.percent(shift.end_time) if shift else 0,
        start_place=place_label(shift.start_place) if shift else "",
        vehicle=vehicle.label if vehicle else "",
        seats=vehicle.seats if vehicle else 0,
        child_seats=vehicle.child_seats if vehicle else 0,
        wheelchair_places=vehicle.wheelchair_places if vehicle else 0,
        route_id=route.id if route else None,
        status=route.status.value if route else None,
        distance_km=round(route.distance_m / 1000, 1) if route else 0.0,
        stops=stops,
    )


def _stop(stop: Stop, shift: Shift | None, timeline: Timeline) -> StopLine:
    request = stop.request
    local = _local(stop.planned_at)
    return StopLine(
        request_id=request.id,
        kind=stop.kind.value,
        time=local,
        place=place_label(stop.place),
        rider=request.rider.display_name,
        seats=request.seats,
        wheelchair=request.wheelchair,
        children=request.children,
        child_seats=request.child_seats,
        at=timeline.percent(local),
        pinned=shift is not None
        and request.pinned_shift_id == shift.id
        and stop.kind == StopKind.PICKUP,
        note=request.driver_note,
    )


def _line(request: RideRequest, shifts: dict[int, Shift], **extra: Any) -> RequestLine:
    pinned = shifts.get(request.pinned_shift_id) if request.pinned_shift_id else None
    return RequestLine(
        request_id=request.id,
        rider=request.rider.display_name,
        origin=place_label(request.origin),
        destination=place_label(request.destination),
        time_kind=request.time_kind.value,
        time=request.time,
        seats=request.seats,
        children=request.children,
        child_seats=request.child_seats,
        wheelchair=request.wheelchair,
        purpose=request.purpose.value,
        status=request.status.value,
        pinned_shift_id=request.pinned_shift_id,
        pinned_to=pinned.driver.display_name if pinned else None,
        pinned_car=pinned.vehicle.label if pinned else None,
        driver_note=request.driver_note,
        **extra,
    )


def _unserved(
    plan: DayPlan | None, requests: dict[int, RideRequest], shifts: dict[int, Shift]
) -> list[RequestLine]:
    """The shown plan's unserved requests that are still open, with what to do."""
    if plan is None:
        return []
    lines = []
    for unserved in plan.unserved:
        request = requests.get(unserved.request_id)
        if request is None or request.status in (RequestStatus.CANCELLED, RequestStatus.DONE):
            continue
        sentence = reason_sentence(unserved.reason)
        detail = unserved.detail or None
        params = unserved_params(plan, unserved.request_id, unserved.reason)
        note = UnservedNote(unserved.reason, params) if detail else None
        extra = {"reason": unserved.reason, "sentence": sentence, "detail": detail, "note": note}
        lines.append(_line(request, shifts, **extra))
    return sorted(lines, key=lambda line: (line.time, line.request_id))


def _waiting(
    requests: Iterable[RideRequest], shifts: dict[int, Shift], cutoff: dt.datetime
) -> list[RequestLine]:
    """Requests no published plan has answered yet; those booked after the cut-off are late."""
    return [
        _line(r, shifts, late=r.created_at >= cutoff)
        for r in requests
        if r.status == RequestStatus.REQUESTED
    ]


def _choice(shift: Shift) -> ShiftChoice:
    return ShiftChoice(
        shift_id=shift.id,
        driver=shift.driver.display_name,
        vehicle=shift.vehicle.label,
        seats=shift.vehicle.seats,
        start=shift.start_time,
        end=shift.end_time,
        place=place_label(shift.start_place),
    )
