"""A coordinator's changes to the published plan, and same-day requests fitted into it.

Every change keeps every promised pickup time where it is (a window of width zero for the
solver) and every other route's stops in their order: ``matching.fits`` finds where a request
can go, ``matching.time_locked`` re-times the routes it touches, and ``matching.validate``
checks them before anything is saved. A change to an offered route is published at once as a
new version (the people affected are told); a change to an accepted route is proposed to its
driver (``route_changes``) and the accepted version stands until they say yes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

import matching
from rides import access, audit, clock, status_texts
from rides.booking import ride_requests
from rides.driving.availability import shifts_on
from rides.errors import Conflict
from rides.models import (
    DayPlan,
    Person,
    RequestStatus,
    RideRequest,
    Route,
    RouteChange,
    RouteStatus,
    Shift,
    Stop,
    StopKind,
    StopStatus,
)
from rides.planning import commitments, day_plans, route_changes, versions
from rides.planning.route_changes import TimedRoute, TimedStop
from rides.planning.solver_input import BuiltProblem, PlanningRules, build_problem, lock_of
from rides.planning.unserved_reasons import TAKEN_OFF
from rides.validation import Checks, check_wall_clock

#: Promised times do not move in a change by hand: zero slack around confirmed pickups.
HELD = PlanningRules(confirmed_slack_s=0)


class ChangeRefused(Conflict):
    """The change breaks a rule of the route (window, seats, ride time): said in plain words."""

    code = "change_refused"


@dataclass(frozen=True)
class FitOption:
    """Where a request can go: which driver, what it costs them, when the rider is picked up."""

    shift_id: int
    driver: Person
    accepted: bool
    pickup_at: dt.datetime
    added_minutes: int
    added_km: float


@dataclass(frozen=True)
class Outcome:
    """What a change did: a new published version, or a proposal waiting for a driver."""

    plan: DayPlan | None = None
    proposal: RouteChange | None = None


def fit_options(session: Session, actor: Person, request_id: int) -> list[FitOption]:
    """Every driver who can take this waiting request without moving anyone's promised time,
    best first (fewest added minutes, then km)."""
    request, plan = _waiting(session, actor, request_id)
    built, shifts = _problem(session, plan, extra=[request])
    return [
        FitOption(
            shift_id=fit.shift,
            driver=shifts[fit.shift].driver,
            accepted=_is_accepted(plan, fit.shift),
            pickup_at=clock.at_seconds(plan.date, fit.pickup),
            added_minutes=round(fit.added_seconds / 60),
            added_km=round(fit.added_metres / 1000, 1),
        )
        for fit in matching.fits(built.problem, request.id)
    ]


def assign(session: Session, actor: Person, request_id: int, shift_id: int) -> Outcome:
    """Put a waiting request on that driver's route, where it costs them least."""
    request, plan = _waiting(session, actor, request_id)
    built, shifts = _problem(session, plan, extra=[request])
    timed = _fit_into(built, plan.date, request, shift_id, shifts)
    return _apply(session, actor, plan, {shift_id: timed}, kind="assign", request=request)


def remove(session: Session, actor: Person, request_id: int) -> Outcome:
    """Take a request off its route; it waits for another driver with the reason 'taken_off'."""
    access.require_coordinator(actor)
    request = ride_requests.get_request(session, actor, request_id)
    plan, route = _route_of(session, request)
    if any(s.status != StopStatus.PLANNED for s in route.stops if s.request_id == request.id):
        raise Conflict("This trip has already started: it stays on the route.", code="started")
    rest = [s for s in route.stops if s.request_id != request.id]
    timed = _unchanged(route) if _declined(route) else _retimed(session, plan, route, rest)
    return _apply(session, actor, plan, {route.shift_id or 0: timed}, kind="remove",
                  request=request, taken_off=True)  # fmt: skip


def move(session: Session, actor: Person, request_id: int, shift_id: int) -> Outcome:
    """Give a request to another driver; from an accepted route, take it off there first."""
    access.require_coordinator(actor)
    request = ride_requests.get_request(session, actor, request_id)
    plan, source = _route_of(session, request)
    if source.shift_id == shift_id:
        raise Conflict("The trip is already on that route.", code="same_route")
    if source.status in commitments.KEPT:
        raise Conflict(
            "{driver} accepted this route: take the trip off it first (they will be asked), "
            "then give it to another driver.",
            driver=source.driver.first_name, code="source_accepted",
        )  # fmt: skip
    rest = [s for s in source.stops if s.request_id != request.id]
    without = _unchanged(source) if _declined(source) else _retimed(session, plan, source, rest)
    built, shifts = _problem(session, plan, extra=[request], free={request.id},
                             replace_route=source)  # fmt: skip
    timed = _fit_into(built, plan.date, request, shift_id, shifts)
    changes = {source.shift_id or 0: without, shift_id: timed}
    return _apply(session, actor, plan, changes, kind="move", request=request)


def retime(session: Session, actor: Person, request_id: int, pickup_at: dt.time) -> Outcome:
    """Move one rider's pickup to another time inside their window; nobody else's moves."""
    access.require_coordinator(actor)
    request = ride_requests.get_request(session, actor, request_id)
    plan, route = _route_of(session, request)
    if any(s.status != StopStatus.PLANNED for s in route.stops if s.request_id == request.id):
        raise Conflict("This trip has already started: its pickup cannot move.", code="started")
    if _declined(route):
        raise Conflict(
            "{driver} declined this route: give the trip to another driver or plan the day "
            "again.",
            driver=route.driver.first_name, code="route_declined",
        )  # fmt: skip
    checks = Checks()
    check_wall_clock(checks, "pickup_at", pickup_at, [plan.date])
    checks.raise_if_any()
    at = clock.local_datetime(plan.date, pickup_at)
    timed = _retimed(session, plan, route, list(route.stops), pin={request.id: at})
    return _apply(session, actor, plan, {route.shift_id or 0: timed}, kind="retime",
                  request=request)  # fmt: skip


# -- building and checking ---------------------------------------------------------------------


def _waiting(session: Session, actor: Person, request_id: int) -> tuple[RideRequest, DayPlan]:
    access.require_coordinator(actor)
    request = ride_requests.get_request(session, actor, request_id)
    if request.status not in (RequestStatus.REQUESTED, RequestStatus.UNSERVED):
        raise Conflict(status_texts.TRIP_IS[request.status], code="not_waiting")
    plan = day_plans.published_plan(session, request.date)
    if plan is None:
        raise Conflict("{day} has no published plan yet: plan the day.", day=request.date,
                       code="no_published_plan")  # fmt: skip
    return request, plan


def _route_of(session: Session, request: RideRequest) -> tuple[DayPlan, Route]:
    plan = day_plans.published_plan(session, request.date)
    route = None
    if plan is not None:
        route = next(
            (r for r in plan.routes if any(s.request_id == request.id for s in r.stops)), None
        )
    if plan is None or route is None:
        raise Conflict("This trip is on no route of the published plan.", code="not_on_a_route")
    return plan, route


def _problem(
    session: Session,
    plan: DayPlan,
    *,
    extra: list[RideRequest],
    free: set[int] | None = None,
    replace_route: Route | None = None,
) -> tuple[BuiltProblem, dict[int, Shift]]:
    """The published day for the solver: every route locked as it is (``replace_route``
    without the ``free`` requests), every promised pickup held, idle shifts open."""
    free = free or set()
    routes = [r for r in plan.routes if r.stops and r.status != RouteStatus.DECLINED]
    requests = {s.request_id: s.request for r in routes for s in r.stops}
    requests.update({r.id: r for r in extra})
    confirmed = {
        s.request_id: s.planned_at
        for r in routes
        for s in r.stops
        if s.kind == StopKind.PICKUP and s.request_id not in free
    }
    locks = []
    for route in routes:
        stops = [s for s in route.stops if s.request_id not in free]
        if stops or route is not replace_route:
            locks.append(lock_of(route.shift_id or 0, stops))
    declined = day_plans.declined_drivers(session, plan.date)
    shifts = {s.id: s for s in shifts_on(session, plan.date) if s.driver_id not in declined}
    for route in routes:
        if route.shift is not None:
            shifts[route.shift.id] = route.shift
    built = build_problem(plan.date, list(requests.values()), list(shifts.values()),
                          locks=locks, confirmed=confirmed, rules=HELD)  # fmt: skip
    return built, shifts


def _retimed(
    session: Session,
    plan: DayPlan,
    route: Route,
    stops: list[Stop],
    *,
    pin: dict[int, dt.datetime] | None = None,
) -> TimedRoute:
    """``route`` with these stops re-timed exactly, promised pickups held, ``pin`` moved to
    their new time; refused with the solver's reason when it cannot be driven."""
    if not stops:
        return TimedRoute(route.shift_id or 0, (), 0, None, None)
    requests = {s.request_id: s.request for s in stops}
    confirmed = {s.request_id: s.planned_at for s in stops if s.kind == StopKind.PICKUP}
    confirmed.update(pin or {})
    shift = route.shift
    assert shift is not None  # routes of a published plan keep their shift
    lock = lock_of(shift.id, stops)
    built = build_problem(plan.date, list(requests.values()), [shift], locks=[lock],
                          confirmed=confirmed, rules=HELD)  # fmt: skip
    if pin:
        built = _pinned(built, plan.date, pin)
    solution = matching.time_locked(built.problem)
    problems = matching.validate(built.problem, solution)
    if solution.unassigned or problems:
        detail = problems[0].message if problems else solution.unassigned[0].detail
        raise ChangeRefused("The route cannot be driven that way: {why}.", why=detail)
    solved = solution.route_of(shift.id)
    assert solved is not None
    return _timed(built, plan.date, solved)


def _pinned(built: BuiltProblem, day: dt.date, pin: dict[int, dt.datetime]) -> BuiltProblem:
    """The problem with each pinned pickup window narrowed to exactly its new time, or a
    refusal naming the rider's window when the time lies outside it."""
    requests = []
    for request in built.problem.requests:
        if request.id in pin:
            at = clock.seconds_since_midnight(pin[request.id], day)
            low, high = request.pickup_window
            if not low <= at <= high:
                # Whole minutes inside the window: a time typed as HH:MM at either end is taken.
                first, last = -(-low // 60) * 60, high // 60 * 60
                raise ChangeRefused(
                    "That time is outside the rider's window ({low} to {high}).",
                    low=clock.at_seconds(day, first).astimezone(clock.LOCAL_TZ).strftime("%H:%M"),
                    high=clock.at_seconds(day, last).astimezone(clock.LOCAL_TZ).strftime("%H:%M"),
                    fields={"pickup_at": "outside the window"},
                )  # fmt: skip
            request = replace(request, pickup_window=(at, at))
        requests.append(request)
    return replace(built, problem=replace(built.problem, requests=tuple(requests)))


def _fit_into(
    built: BuiltProblem, day: dt.date, request: RideRequest, shift_id: int, shifts: dict[int, Shift]
) -> TimedRoute:
    """That driver's route with the request at its cheapest feasible place, or a refusal."""
    fit = next((f for f in matching.fits(built.problem, request.id) if f.shift == shift_id), None)
    if fit is None:
        raise ChangeRefused(
            "{driver}'s route cannot take this trip without moving a promised time, breaking "
            "its window or overfilling the car.",
            driver=_driver_name(shifts, shift_id), fields={"shift_id": "no room"},
        )  # fmt: skip
    return _timed(built, day, fit.route)


def _timed(built: BuiltProblem, day: dt.date, solved: matching.Route) -> TimedRoute:
    stops = tuple(
        TimedStop(
            s.request, StopKind(s.kind), built.places[s.node].id, clock.at_seconds(day, s.start)
        )
        for s in solved.stops
    )
    return TimedRoute(solved.shift, stops, solved.distance,
                      clock.at_seconds(day, solved.start_time),
                      clock.at_seconds(day, solved.end_time))  # fmt: skip


# -- applying ----------------------------------------------------------------------------------


def _apply(
    session: Session,
    actor: Person,
    plan: DayPlan,
    changes: dict[int, TimedRoute],
    *,
    kind: str,
    request: RideRequest,
    taken_off: bool = False,
) -> Outcome:
    """Publish the changes to offered routes now; propose those to accepted routes."""
    proposals = [c for shift, c in changes.items() if _is_accepted(plan, shift)]
    direct = {shift: c for shift, c in changes.items() if not _is_accepted(plan, shift)}
    proposal = None
    for timed in proposals:
        proposal = route_changes.propose(session, actor, plan, timed, kind=kind,
                                         request_id=request.id)  # fmt: skip
    new = None
    if direct:
        routes = {
            shift: _replacement(session, plan, shift, timed, request)
            for shift, timed in direct.items()
        }
        left = {request.id: (TAKEN_OFF, "")} if taken_off or proposals else {}
        draft = versions.derive(session, plan, actor, routes=routes, unserved=left,
                                change=f"{kind}:{request.id}")  # fmt: skip
        new = day_plans.publish_plan(session, draft, actor=actor)
    audit.record(session, actor, kind, "ride_request", request.id,
                 shifts=sorted(changes), proposed=bool(proposals))  # fmt: skip
    return Outcome(new, proposal)


def _replacement(
    session: Session, plan: DayPlan, shift_id: int, timed: TimedRoute, request: RideRequest
) -> Route | None:
    """The new rows of a changed route: offered (again) to its driver, except a route its
    driver declined, which stays declined and only loses the trip (never offered back)."""
    route = next((r for r in plan.routes if r.shift_id == shift_id), None)
    if route is None or not _declined(route):
        return _offered(session.get(Shift, shift_id), timed)
    facts = commitments.RouteFacts.of(route)
    return replace(
        facts, stops=tuple(s for s in facts.stops if s.request_id != request.id)
    ).to_route()


def _declined(route: Route) -> bool:
    return route.status == RouteStatus.DECLINED


def _unchanged(route: Route) -> TimedRoute:
    """A stand-in for a declined route's new timing: it is not re-timed (see _replacement)."""
    return TimedRoute(route.shift_id or 0, (), route.distance_m, route.start_at, route.end_at)


def _offered(shift: Shift | None, timed: TimedRoute) -> Route | None:
    """A changed route's new rows, offered (again) to its driver; None when it is empty."""
    if not timed.stops or shift is None:
        return None
    route = Route(
        driver_id=shift.driver_id, shift_id=shift.id, vehicle_id=shift.vehicle_id,
        status=RouteStatus.OFFERED, start_at=timed.start_at, end_at=timed.end_at,
        distance_m=timed.distance_m,
    )  # fmt: skip
    route.stops = [
        Stop(
            request_id=s.request_id,
            kind=s.kind,
            place_id=s.place_id,
            planned_at=s.planned_at,
            position=position,
        )
        for position, s in enumerate(timed.stops)
    ]
    return route


def _is_accepted(plan: DayPlan, shift_id: int) -> bool:
    route = next((r for r in plan.routes if r.shift_id == shift_id), None)
    return route is not None and commitments.is_kept(route)


def _driver_name(shifts: dict[int, Shift], shift_id: int) -> str:
    shift = shifts.get(shift_id)
    return shift.driver.first_name if shift is not None else "?"
