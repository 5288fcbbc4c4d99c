"""What drivers do with their routes: accept, decline, mark each stop on its day, undo a mark."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, attributes, selectinload
from sqlalchemy.orm.exc import StaleDataError

from rides import access, audit, clock, status_texts
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
from rides.validation import clean_note


def get_route(session: Session, route_id: int, actor: Person) -> Route:
    """A route with its passengers, as the need-to-know rule lets the actor read it
    (``access.reads_passengers``), or NotFound."""
    return access.check_route_passengers(actor, _load_route(session, route_id))


def _own_route(session: Session, route_id: int, actor: Person) -> Route:
    """A route the actor may act on (their own, until the day after), or NotFound; the action
    refuses a route no longer current with a clear conflict, and shows nothing of it."""
    return access.check_route(actor, _load_route(session, route_id))


def _load_route(session: Session, route_id: int) -> Route:
    route = session.get(Route, route_id)
    if route is None:
        raise NotFound("No route with id {id}.", id=route_id, fields={"id": "unknown"})
    return route


def get_stop(session: Session, stop_id: int, actor: Person) -> Stop:
    """A stop of a route the actor may act on, or NotFound."""
    stop = session.get(Stop, stop_id)
    if stop is None:
        raise NotFound("No stop with id {id}.", id=stop_id, fields={"id": "unknown"})
    try:
        access.check_route(actor, stop.route)
    except NotFound:
        raise NotFound("No stop with id {id}.", id=stop_id, fields={"id": "unknown"}) from None
    return stop


def routes_of(
    session: Session, day: dt.date, actor: Person, *, with_declined: bool = False
) -> list[Route]:
    """The published routes of a day: those whose passengers a driver may read (their own,
    not declined, until the day after), or all for a coordinator. ``with_declined`` adds the
    driver's declined routes, for a page that says so without showing their stops."""
    query = (
        select(Route)
        .join(DayPlan)
        .where(DayPlan.date == day, DayPlan.status == PlanStatus.PUBLISHED)
        .options(selectinload(Route.stops))
        .order_by(Route.start_at, Route.id)
    )
    if access.is_coordinator(actor):
        return list(session.scalars(query))
    query = query.where(Route.driver_id == actor.id)
    return [
        r
        for r in session.scalars(query)
        if access.reads_passengers(actor, r)
        or (with_declined and r.status == RouteStatus.DECLINED and access.route_day_open(day))
    ]


def accept_route(session: Session, actor: Person, route_id: int) -> Route:
    """The driver takes the route; only an offered route of the published plan can be taken."""
    return _answer(session, _own_route(session, route_id, actor), actor, RouteStatus.ACCEPTED, None)


def decline_route(
    session: Session, actor: Person, route_id: int, reason: str | None = None
) -> Route:
    """The driver cannot drive it: the day is flagged for a re-plan without them."""
    reason = clean_note("reason", reason)
    route = _own_route(session, route_id, actor)
    route = _answer(session, route, actor, RouteStatus.DECLINED, reason)
    route.plan.replan_requested_at = clock.now()
    session.flush()
    return route


def take_back_refusal(route: Route) -> Conflict | None:
    """Why a decline of ``route`` cannot be taken back now (None when it can): only while the
    plan that offered it is still the published one and the day has not passed. Once a re-plan
    has been published the route may belong to someone else; the coordinator decides then."""
    if route.status != RouteStatus.DECLINED:
        return Conflict("Only a declined route can be taken back.", code="not_declined")
    if route.plan.status != PlanStatus.PUBLISHED:
        return Conflict(
            "The day was planned again after you declined; call the coordinator.",
            code="replanned",
        )
    if route.plan.date < clock.today():
        return Conflict("This day is over.", code="day_over")
    return None


def take_back_decline(session: Session, actor: Person, route_id: int) -> Route:
    """The driver can drive the route after all: it is theirs again, accepted as offered.

    The re-plan the decline asked for may still run; it keeps an accepted route whole
    (rides/planning/commitments.py), so taking back never loses the passengers.
    """
    route = _own_route(session, route_id, actor)
    refusal = take_back_refusal(route)
    if refusal is not None:
        raise refusal
    route.status = RouteStatus.ACCEPTED
    route.responded_at = clock.now()
    _flush(session)
    audit.record(session, actor, "take_back_decline", "route", route.id)
    return route


#: How long a mark can be taken back: a wrong tap in a moving car is put right at once, and
#: anything older is history that reports, mileage and re-plans rely on.
UNDO_WINDOW = dt.timedelta(minutes=10)
#: What a driver marks; a skipped drop-off only follows from its pickup's no-show.
MARKS = (StopStatus.DONE, StopStatus.NO_SHOW)


def marking_refusal(route: Route) -> Conflict | None:
    """Why the stops of ``route`` cannot be marked now (None when they can): only an accepted
    route of the published plan, and only on its own day in Madrid."""
    if route.plan.status != PlanStatus.PUBLISHED:
        return _stale_plan()
    if route.status not in (RouteStatus.ACCEPTED, RouteStatus.COMPLETED):
        return Conflict("Accept the route before recording its stops.", code="route_not_accepted")
    today, day = clock.today(), route.plan.date
    if today < day:
        return Conflict(
            "The stops of this route can be marked on its day, {day}.",
            day=day, code="not_route_day",
        )  # fmt: skip
    if today > day:
        return Conflict(
            "The day of this route is over: its stops can no longer be marked.",
            code="not_route_day",
        )
    return None


def check_mark(stop: Stop, outcome: StopStatus) -> None:
    """Raise Conflict unless ``outcome`` may be recorded at ``stop`` now."""
    refusal = marking_refusal(stop.route)
    if refusal is not None:
        raise refusal
    if outcome not in MARKS:
        raise Conflict("A stop can only be marked done or no-show.", code="invalid_outcome")
    if stop.status != StopStatus.PLANNED:
        raise Conflict(status_texts.STOP_IS[stop.status], code="already_recorded")
    if outcome == StopStatus.NO_SHOW:
        if stop.kind != StopKind.PICKUP:
            raise Conflict("Only a pickup can be a no-show.", code="invalid_outcome")
        if any(other.status == StopStatus.DONE for other in _same_trip(stop)):
            raise Conflict(
                "This trip's drop-off is already marked done: undo that first.",
                code="dropoff_marked",
            )


def record_stop(
    session: Session, actor: Person, stop_id: int, outcome: StopStatus, note: str | None = None
) -> Stop:
    """What happened at a stop, on the route's day: a missed pickup makes the trip a no-show
    and its drop-off not needed (skipped, not absent); a drop-off done makes the trip done."""
    note = clean_note("reason", note)
    stop = get_stop(session, stop_id, actor)
    check_mark(stop, outcome)
    now = clock.now()
    _mark(stop, outcome, actor, now, note)
    request = stop.request
    skipped = []
    if outcome == StopStatus.NO_SHOW:
        lifecycle.move(request, RequestStatus.NO_SHOW, note=note)
        skipped = [s for s in _same_trip(stop) if s.status == StopStatus.PLANNED]
        for other in skipped:
            _mark(other, StopStatus.SKIPPED, actor, now, None)
    elif stop.kind == StopKind.DROPOFF and request.status == RequestStatus.SCHEDULED:
        lifecycle.move(request, RequestStatus.DONE)
    if all(s.status != StopStatus.PLANNED for s in stop.route.stops):
        stop.route.status = RouteStatus.COMPLETED
    _flush(session, stop.route)
    audit.record(session, actor, outcome.value, "stop", stop.id, request=request.id, note=note,
                 skipped=[s.id for s in skipped])  # fmt: skip
    return stop


def passenger_not_here(session: Session, actor: Person, stop_id: int) -> Stop:
    """The driver is at a pickup and the passenger is not: the coordinators are told at once
    (once per stop) so one of them can call the rider, and the driver goes on to the no-show
    question. Only where a no-show could be marked now (``check_mark``: an accepted route of
    the published plan, on its own day, a pickup not yet marked); nothing is marked here."""
    stop = get_stop(session, stop_id, actor)
    check_mark(stop, StopStatus.NO_SHOW)
    notifications.passenger_not_here(session, stop)
    session.flush()
    return stop


def undo_refusal(stop: Stop) -> Conflict | None:
    """Why the mark of ``stop`` cannot be taken back now (None when it can)."""
    if stop.status == StopStatus.SKIPPED:
        return Conflict(
            "This drop-off is not needed because of the no-show: undo the no-show instead.",
            code="not_undoable",
        )
    if stop.status not in MARKS:
        return Conflict("This stop is not marked.", code="not_marked")
    if stop.route.plan.status != PlanStatus.PUBLISHED:
        return _stale_plan()
    if stop.marked_at is None or clock.now() - stop.marked_at > UNDO_WINDOW:
        return Conflict(
            "A mark can be undone for {minutes} minutes only; this one is older.",
            minutes=int(UNDO_WINDOW.total_seconds() // 60), code="undo_expired",
        )  # fmt: skip
    if stop.kind == StopKind.PICKUP and any(
        other.status == StopStatus.DONE for other in _same_trip(stop)
    ):
        return Conflict(
            "This trip's drop-off is already marked done: undo that first.",
            code="dropoff_marked",
        )
    return None


def undoable_until(stop: Stop) -> dt.datetime | None:
    """Until when the stop's mark can be taken back, or None if it cannot (now or ever)."""
    if stop.marked_at is None or undo_refusal(stop) is not None:
        return None
    return stop.marked_at + UNDO_WINDOW


def undo_stop(session: Session, actor: Person, stop_id: int) -> Stop:
    """Take back a mark made less than ten minutes ago: the stop (and a drop-off it skipped)
    is to be marked again, and the trip and route are as before; older marks are history."""
    stop = get_stop(session, stop_id, actor)
    refusal = undo_refusal(stop)
    if refusal is not None:
        raise refusal
    was, marked_at, marked_by, note = stop.status, stop.marked_at, stop.marked_by_id, stop.note
    request = stop.request
    undone = [stop]
    if was == StopStatus.NO_SHOW:
        undone += [s for s in _same_trip(stop) if s.status == StopStatus.SKIPPED]
        lifecycle.undo_outcome(request)
        if note is not None and request.status_note == note:
            request.status_note = None
    elif stop.kind == StopKind.DROPOFF and request.status == RequestStatus.DONE:
        lifecycle.undo_outcome(request)
    for other in undone:
        other.status, other.note, other.marked_at, other.marked_by_id = (
            StopStatus.PLANNED, None, None, None,
        )  # fmt: skip
    if stop.route.status == RouteStatus.COMPLETED:
        stop.route.status = RouteStatus.ACCEPTED
    _flush(session, stop.route)
    audit.record(session, actor, "undo", "stop", stop.id, request=request.id, was=was.value,
                 marked_at=marked_at, marked_by=marked_by, note=note,
                 unskipped=[s.id for s in undone[1:]])  # fmt: skip
    return stop


def _stale_plan() -> Conflict:
    return Conflict("This route belongs to a plan that is no longer current.", code="stale_plan")


def _same_trip(stop: Stop) -> list[Stop]:
    """The route's other stops of the same trip (a pickup's drop-off, a drop-off's pickup)."""
    return [s for s in stop.route.stops if s.request_id == stop.request_id and s is not stop]


def _mark(stop: Stop, status: StopStatus, actor: Person, at: dt.datetime, note: str | None) -> None:
    stop.status, stop.note, stop.marked_at, stop.marked_by_id = status, note, at, actor.id


def drop_request(
    session: Session, request: RideRequest, actor: Person | None, *, named: bool = True
) -> None:
    """Take a cancelled trip out of the published plan, and out of drafts not yet published
    (a draft made before the cancellation would otherwise publish the cancelled passenger on a
    route a driver then accepts), without touching anyone else's stops; a stop already marked
    is history and stays (see rides.planning.commitments). ``named`` false: the driver's
    message does not say who (the rider was erased)."""
    stops = session.scalars(
        select(Stop)
        .join(Route)
        .join(DayPlan)
        .where(
            Stop.request_id == request.id,
            DayPlan.status.in_((PlanStatus.PUBLISHED, PlanStatus.DRAFT)),
            Stop.status == StopStatus.PLANNED,
        )
    ).all()
    told: set[int] = set()
    pickup = next(
        (s.planned_at for s in stops
         if s.kind == StopKind.PICKUP and s.route.plan.status == PlanStatus.PUBLISHED),
        None,
    )  # fmt: skip
    for stop in stops:
        route = stop.route
        route.stops.remove(stop)
        audit.record(session, actor, "drop_stop", "route", route.id, request=request.id)
        if route.plan.status != PlanStatus.PUBLISHED:
            continue  # nobody was offered a draft: nobody to tell
        if route.status in (RouteStatus.ACCEPTED, RouteStatus.COMPLETED) and route.id not in told:
            # The driver counted on this passenger: they hear of it now, not at the stop.
            notifications.passenger_cancelled(session, route, request, pickup, named=named)
            told.add(route.id)
    session.flush()


def _answer(
    session: Session, route: Route, actor: Person, status: RouteStatus, reason: str | None
) -> Route:
    if route.plan.status != PlanStatus.PUBLISHED:
        raise Conflict("This route belongs to a plan that is no longer current.", code="stale_plan")
    if route.status != RouteStatus.OFFERED:
        raise Conflict(status_texts.ROUTE_IS[route.status], code="already_answered")
    route.status = status
    route.responded_at = clock.now()
    _flush(session)
    audit.record(session, actor, status.value, "route", route.id, reason=reason)
    return route


def _flush(session: Session, touched: Route | None = None) -> None:
    """Turn a concurrent change of the same route into a clear conflict; a ``touched`` route's
    version moves even when none of its own columns changed (two phones marking at once)."""
    if touched is not None:
        attributes.flag_modified(touched, "status")
    try:
        session.flush()
    except StaleDataError as error:
        raise Conflict(
            "Someone else changed this route just now.", code="concurrent_change"
        ) from error
