"""What drivers do with their routes: accept, decline, and record each stop on the day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from rides import access, audit, clock
from rides.booking import lifecycle
from rides.errors import Conflict, NotFound
from rides.messaging import notifications
from rides.models import (
    DayPlan,
    Person,
    PlanStatus,
    RequestStatus,
    RideRequest,
    Route,
    RouteStatus,
    Stop,
    StopKind,
    StopStatus,
)


def get_route(session: Session, route_id: int, actor: Person) -> Route:
    """A route the actor may see, or NotFound; drivers lose sight of it once its day is over."""
    route = session.get(Route, route_id)
    if route is None or not _still_visible(route, actor):
        raise NotFound("No route with id {id}.", id=route_id, fields={"id": "unknown"})
    return access.check_route(actor, route)


def _still_visible(route: Route, actor: Person) -> bool:
    """Privacy: a driver sees passengers' names and needs only until the day is over."""
    return access.is_coordinator(actor) or route.plan.date >= clock.today()


def get_stop(session: Session, stop_id: int, actor: Person) -> Stop:
    """A stop of a route the actor may see, or NotFound."""
    stop = session.get(Stop, stop_id)
    if stop is None or not _still_visible(stop.route, actor):
        raise NotFound("No stop with id {id}.", id=stop_id, fields={"id": "unknown"})
    access.check_route(actor, stop.route)
    return stop


def routes_of(session: Session, day: dt.date, actor: Person) -> list[Route]:
    """The published routes of a day: a driver's own (until the day is over), or all."""
    query = (
        select(Route)
        .join(DayPlan)
        .where(DayPlan.date == day, DayPlan.status == PlanStatus.PUBLISHED)
        .options(selectinload(Route.stops))
        .order_by(Route.start_at, Route.id)
    )
    if not access.is_coordinator(actor):
        if day < clock.today():
            return []
        query = query.where(Route.driver_id == actor.id)
    return list(session.scalars(query))


def accept_route(session: Session, actor: Person, route_id: int) -> Route:
    """The driver takes the route; only an offered route of the published plan can be taken."""
    return _answer(session, get_route(session, route_id, actor), actor, RouteStatus.ACCEPTED, None)


def decline_route(
    session: Session, actor: Person, route_id: int, reason: str | None = None
) -> Route:
    """The driver cannot drive it: the day is flagged for a re-plan without them."""
    route = get_route(session, route_id, actor)
    route = _answer(session, route, actor, RouteStatus.DECLINED, (reason or "").strip() or None)
    route.plan.replan_requested_at = clock.now()
    session.flush()
    return route


def record_stop(
    session: Session, actor: Person, stop_id: int, outcome: StopStatus, note: str | None = None
) -> Stop:
    """What happened at a stop; a missed pickup makes the trip a no-show, a drop-off done."""
    stop = get_stop(session, stop_id, actor)
    if stop.route.status not in (RouteStatus.ACCEPTED, RouteStatus.COMPLETED):
        raise Conflict("Accept the route before recording its stops.", code="route_not_accepted")
    if outcome == StopStatus.PLANNED:
        raise Conflict("A stop can only be marked done or no-show.", code="invalid_outcome")
    if stop.status != StopStatus.PLANNED:
        raise Conflict(
            "This stop is already marked {s}.", s=stop.status.value, code="already_recorded"
        )
    if outcome == StopStatus.NO_SHOW and stop.kind != StopKind.PICKUP:
        raise Conflict("Only a pickup can be a no-show.", code="invalid_outcome")
    stop.status = outcome
    stop.note = note
    request = stop.request
    if outcome == StopStatus.NO_SHOW:
        lifecycle.move(request, RequestStatus.NO_SHOW, note=note)
        for other in stop.route.stops:
            if other.request_id == request.id and other is not stop:
                other.status = StopStatus.NO_SHOW
    elif stop.kind == StopKind.DROPOFF and request.status == RequestStatus.SCHEDULED:
        lifecycle.move(request, RequestStatus.DONE)
    if all(s.status != StopStatus.PLANNED for s in stop.route.stops):
        stop.route.status = RouteStatus.COMPLETED
    _flush(session)
    audit.record(session, actor, outcome.value, "stop", stop.id, request=request.id, note=note)
    return stop


def drop_request(session: Session, request: RideRequest, actor: Person | None) -> None:
    """Take a cancelled trip out of the published plan without touching anyone else's stops;
    a stop already marked is history and stays (see rides.planning.commitments)."""
    stops = session.scalars(
        select(Stop)
        .join(Route)
        .join(DayPlan)
        .where(
            Stop.request_id == request.id,
            DayPlan.status == PlanStatus.PUBLISHED,
            Stop.status == StopStatus.PLANNED,
        )
    ).all()
    told: set[int] = set()
    for stop in stops:
        route = stop.route
        route.stops.remove(stop)
        audit.record(session, actor, "drop_stop", "route", route.id, request=request.id)
        if route.status in (RouteStatus.ACCEPTED, RouteStatus.COMPLETED) and route.id not in told:
            # The driver counted on this passenger: they hear of it now, not at the stop.
            notifications.passenger_cancelled(session, route, request)
            told.add(route.id)
    session.flush()


def _answer(
    session: Session, route: Route, actor: Person, status: RouteStatus, reason: str | None
) -> Route:
    if route.plan.status != PlanStatus.PUBLISHED:
        raise Conflict("This route belongs to a plan that is no longer current.", code="stale_plan")
    if route.status != RouteStatus.OFFERED:
        raise Conflict("This route is already {s}.", s=route.status.value, code="already_answered")
    route.status = status
    route.responded_at = clock.now()
    _flush(session)
    audit.record(session, actor, status.value, "route", route.id, reason=reason)
    return route


def _flush(session: Session) -> None:
    """Turn a concurrent change of the same route into a clear conflict."""
    try:
        session.flush()
    except StaleDataError as error:
        raise Conflict(
            "Someone else changed this route just now.", code="concurrent_change"
        ) from error
