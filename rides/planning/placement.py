"""One request as the coordinator changes it: where it rides now, and where it could go."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rides import access
from rides.booking import note_changes, ride_requests
from rides.models import (
    ChangeStatus,
    DayPlan,
    Person,
    RequestStatus,
    RideRequest,
    Route,
    RouteChange,
    RouteStatus,
    StopKind,
    StopStatus,
)
from rides.planning import commitments, day_plans, plan_edits, route_changes


@dataclass(frozen=True)
class RouteChoice:
    """Another route of the published plan the request could be moved to."""

    shift_id: int
    driver: str
    accepted: bool


@dataclass(frozen=True)
class Placement:
    """Everything the request page shows and offers."""

    request: RideRequest
    plan: DayPlan | None
    route: Route | None
    pickup_at: dt.datetime | None
    started: bool
    waiting: bool
    accepted: bool
    others: list[RouteChoice]
    options: list[plan_edits.FitOption]
    pending: list[RouteChange]
    #: The rider's note for the driver may still change (a way of the trip is to come).
    note_open: bool


def placement(session: Session, actor: Person, request_id: int) -> Placement:
    """Where the request rides in the published plan, and the changes open to it."""
    access.require_coordinator(actor)
    request = ride_requests.get_request(session, actor, request_id)
    plan = day_plans.published_plan(session, request.date)
    routes = [r for r in plan.routes if r.stops] if plan is not None else []
    route = next((r for r in routes if any(s.request_id == request.id for s in r.stops)), None)
    pickup = None
    started = False
    if route is not None:
        own = [s for s in route.stops if s.request_id == request.id]
        pickup = next((s.planned_at for s in own if s.kind == StopKind.PICKUP), None)
        started = any(s.status != StopStatus.PLANNED for s in own)
    waiting = request.status in (RequestStatus.REQUESTED, RequestStatus.UNSERVED)
    others = [
        RouteChoice(r.shift_id, r.driver.first_name, commitments.is_kept(r))
        for r in routes
        if r is not route and r.shift_id is not None and r.status != RouteStatus.DECLINED
    ]
    options = (
        plan_edits.fit_options(session, actor, request.id) if waiting and plan is not None else []
    )
    pending = [
        c
        for c in route_changes.pending_changes(session, actor, request.date)
        if c.request_id == request.id and c.status == ChangeStatus.PENDING
    ]
    return Placement(
        request, plan, route, pickup, started, waiting,
        route is not None and commitments.is_kept(route), others, options, pending,
        note_changes.can_change_note(session, request),
    )  # fmt: skip
