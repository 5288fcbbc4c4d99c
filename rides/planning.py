"""Planning a day: read the open requests and shifts, solve, validate, store a draft; publish.

Re-planning keeps what people agreed to: accepted routes are locked (same driver, passengers
and order, confirmed pickups moved by at most a few minutes) and drivers who declined are left
out. Only a plan that passes ``matching.validate`` is ever stored.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

import geo
import matching
from rides import audit, clock, lifecycle, notifications
from rides.availability import shifts_on
from rides.errors import Conflict, DomainError, NotFound
from rides.models import (
    DayPlan,
    Person,
    PlanStatus,
    RequestStatus,
    RideRequest,
    Route,
    RouteStatus,
    Shift,
    Stop,
    StopKind,
    UnservedRequest,
)
from rides.problem import BuiltProblem, Lock, PlanningRules, build_problem
from rides.problem import StopKind as SolverStopKind

log = logging.getLogger(__name__)


class PlanRejected(DomainError):
    """The solver's answer broke a rule; it is not stored (a bug to report, never published)."""

    code = "plan_rejected"


@dataclass(frozen=True)
class PlanSettings:
    """How hard to search and with which service rules."""

    time_limit: float = 30.0
    seed: int = 0
    rules: PlanningRules = field(default_factory=PlanningRules)
    provider: geo.TravelTimeProvider | None = None
    #: From this many requests the day is solved by areas on both cores (``solve_large``).
    large_day: int = 1000
    workers: int = 2


def plan_day(
    session: Session,
    day: dt.date,
    settings: PlanSettings | None = None,
    *,
    actor: Person | None = None,
    progress: Callable[[str], None] | None = None,
) -> DayPlan:
    """Solve ``day`` and store the result as the next draft version; raises PlanRejected."""
    settings = settings or PlanSettings()
    current = published_plan(session, day)
    requests = _open_requests(session, day)
    declined = _declined_drivers(session, day)
    shifts = [s for s in shifts_on(session, day) if s.driver_id not in declined]
    if not requests and not shifts:
        raise Conflict(
            "Nothing to plan on {day}: no open request and no shift.",
            day=day, code="nothing_to_plan",
        )  # fmt: skip
    locks, confirmed = _locks(current, {r.id for r in requests}, {s.id for s in shifts})
    locks += _pins(requests, {s.id for s in shifts}, {lock.shift_id for lock in locks})
    built = build_problem(
        day, requests, shifts, locks=locks, confirmed=confirmed,
        rules=settings.rules, provider=settings.provider,
    )  # fmt: skip
    if progress:
        progress(f"solving {len(requests)} requests with {len(shifts)} shifts")
    solution = _solve(built.problem, settings, progress)
    violations = matching.validate(built.problem, solution)
    if violations:
        log.error("plan for %s rejected: %s", day, violations)
        raise PlanRejected(
            "The plan for {day} broke {n} rule(s) and was not stored: {first}",
            day=day, n=len(violations), first=violations[0].message,
        )  # fmt: skip
    plan = _store(session, day, built, solution, current, {s.id: s for s in shifts}, actor)
    audit.record(session, actor, "plan", "day_plan", plan.id, date=day, version=plan.version)
    return plan


def _solve(
    problem: matching.Problem, settings: PlanSettings, progress: Callable[[str], None] | None
) -> matching.Solution:
    """The whole-day search for a usual day; areas on both cores for a province-sized one."""
    if len(problem.requests) < settings.large_day:
        return matching.solve(problem, time_limit=settings.time_limit, seed=settings.seed)

    def report(elapsed: float, objective: int, served: int, phase: str) -> None:
        line = f"{elapsed:6.1f} s  served {served}  objective {objective}  {phase}"
        log.info("planning: %s", line)
        if progress:
            progress(line)

    return matching.solve_large(
        problem, time_limit=settings.time_limit, seed=settings.seed,
        workers=settings.workers, progress=report,
    )  # fmt: skip


def publish_plan(session: Session, plan: DayPlan, *, actor: Person | None = None) -> DayPlan:
    """Make a draft the day's plan: offers to drivers, confirmed pickup times to riders.

    All in the caller's transaction: a crash leaves the previous published plan in place.
    """
    versions = list(
        session.scalars(select(DayPlan).where(DayPlan.date == plan.date).with_for_update())
    )
    if plan.status != PlanStatus.DRAFT:
        raise Conflict("Version {v} is {status}, not a draft.", v=plan.version,
                       status=plan.status.value, code="not_a_draft")  # fmt: skip
    if max(p.version for p in versions) != plan.version:
        raise Conflict("A newer plan exists for {day}; publish that one.", day=plan.date,
                       code="stale_plan")  # fmt: skip
    for previous in versions:
        if previous.status == PlanStatus.PUBLISHED:
            previous.status = PlanStatus.SUPERSEDED
    session.flush()
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = clock.now()
    plan.replan_requested_at = None
    changed = _confirm_requests(session, plan)
    session.flush()
    notifications.plan_published(session, plan, changed)
    audit.record(
        session, actor, "publish", "day_plan", plan.id, date=plan.date, version=plan.version
    )
    return plan


def replan_day(
    session: Session,
    day: dt.date,
    settings: PlanSettings | None = None,
    *,
    actor: Person | None = None,
) -> DayPlan:
    """Plan again and publish at once: after a decline, a late request or a coordinator's move."""
    return publish_plan(session, plan_day(session, day, settings, actor=actor), actor=actor)


def published_plan(session: Session, day: dt.date) -> DayPlan | None:
    """The plan riders and drivers currently see for a day."""
    query = select(DayPlan).where(DayPlan.date == day, DayPlan.status == PlanStatus.PUBLISHED)
    return session.scalar(query.options(_plan_loading()))


def latest_plan(session: Session, day: dt.date) -> DayPlan | None:
    """The newest version for a day, draft or published."""
    query = select(DayPlan).where(DayPlan.date == day).order_by(DayPlan.version.desc()).limit(1)
    return session.scalar(query.options(_plan_loading()))


def get_plan(session: Session, plan_id: int) -> DayPlan:
    """The plan with this id, or NotFound."""
    plan = session.scalar(select(DayPlan).where(DayPlan.id == plan_id).options(*_plan_reading()))
    if plan is None:
        raise NotFound("No plan with id {id}.", id=plan_id, fields={"id": "unknown"})
    return plan


def plans_of(session: Session, day: dt.date) -> list[DayPlan]:
    """Every version of a day, newest first."""
    query = select(DayPlan).where(DayPlan.date == day).order_by(DayPlan.version.desc())
    return list(session.scalars(query))


def pin_request(
    session: Session, request: RideRequest, shift_id: int | None, *, actor: Person | None = None
) -> RideRequest:
    """A coordinator's override: this request rides with that shift's driver from now on.

    The published plan is flagged so the next re-plan applies it; None releases the pin.
    """
    if shift_id is not None:
        shift = session.get(Shift, shift_id)
        if shift is None or shift.withdrawn:
            raise NotFound("No shift with id {id}.", id=shift_id, fields={"shift_id": "unknown"})
        if shift.date != request.date:
            raise Conflict(
                "That shift is on {shift_day}, the trip on {day}.",
                shift_day=shift.date, day=request.date, code="wrong_day",
                fields={"shift_id": "another day"},
            )  # fmt: skip
    if request.status in lifecycle.FINAL:
        raise Conflict("A {s} trip cannot be moved.", s=request.status.value, code="final_request")
    request.pinned_shift_id = shift_id
    current = published_plan(session, request.date)
    if current is not None:
        current.replan_requested_at = clock.now()
    session.flush()
    audit.record(session, actor, "pin", "ride_request", request.id, shift=shift_id)
    return request


def published_from(session: Session, today: dt.date) -> list[DayPlan]:
    """The published plans of the days from ``today`` on, by day (routes not loaded)."""
    query = select(DayPlan).where(DayPlan.status == PlanStatus.PUBLISHED, DayPlan.date >= today)
    return list(session.scalars(query.order_by(DayPlan.date)))


def days_needing_replan(session: Session, today: dt.date) -> list[dt.date]:
    """Published days from today on with a decline or a request that arrived after publication."""
    days = []
    for plan in published_from(session, today):
        late = session.scalar(
            select(func.count())
            .select_from(RideRequest)
            .where(RideRequest.date == plan.date, RideRequest.status == RequestStatus.REQUESTED)
        )
        if plan.replan_requested_at is not None or late:
            days.append(plan.date)
    return days


def _plan_loading():  # type: ignore[no-untyped-def]
    return selectinload(DayPlan.routes).selectinload(Route.stops)


def _plan_reading():  # type: ignore[no-untyped-def]
    """Everything a plan is shown with (drivers, stops' places, passengers and their languages)
    in a few queries: a 200-request day took about 470, one per lazy load."""
    rider = selectinload(Stop.request).selectinload(RideRequest.rider)
    return selectinload(DayPlan.routes).options(
        selectinload(Route.driver),
        selectinload(Route.stops).options(
            selectinload(Stop.place), rider.selectinload(Person.spoken)
        ),
    ), selectinload(DayPlan.unserved)


def _open_requests(session: Session, day: dt.date) -> list[RideRequest]:
    query = (
        select(RideRequest)
        .where(RideRequest.date == day, RideRequest.status.in_(list(lifecycle.OPEN)))
        .order_by(RideRequest.id)
        .options(selectinload(RideRequest.rider), selectinload(RideRequest.return_trip))
    )
    return list(session.scalars(query))


def _declined_drivers(session: Session, day: dt.date) -> set[int]:
    query = (
        select(Route.driver_id)
        .join(DayPlan)
        .where(DayPlan.date == day, Route.status == RouteStatus.DECLINED)
    )
    return set(session.scalars(query))


def _locks(
    current: DayPlan | None, open_ids: set[int], shift_ids: set[int]
) -> tuple[list[Lock], dict[int, dt.datetime]]:
    """Accepted routes of the published plan, minus cancelled riders, and their confirmed times."""
    locks: list[Lock] = []
    confirmed: dict[int, dt.datetime] = {}
    if current is None:
        return locks, confirmed
    for route in current.routes:
        if route.status != RouteStatus.ACCEPTED or route.shift_id not in shift_ids:
            continue
        stops = tuple(
            (s.request_id, _kind(s.kind)) for s in route.stops if s.request_id in open_ids
        )
        if not stops:
            continue
        locks.append(Lock(route.shift_id, stops, closed=True))
        for stop in route.stops:
            if stop.kind == StopKind.PICKUP and stop.request_id in open_ids:
                confirmed[stop.request_id] = stop.planned_at
    return locks, confirmed


def _pins(
    requests: Sequence[RideRequest], shift_ids: set[int], locked_shifts: set[int]
) -> list[Lock]:
    """A coordinator's pins: the request rides with that driver, in time order, others may join."""
    by_shift: dict[int, list[RideRequest]] = {}
    for request in requests:
        shift = request.pinned_shift_id
        if shift is not None and shift in shift_ids and shift not in locked_shifts:
            by_shift.setdefault(shift, []).append(request)
    locks = []
    for shift_id, pinned in sorted(by_shift.items()):
        pinned.sort(key=lambda r: (r.time, r.id))
        stops: list[tuple[int, SolverStopKind]] = []
        for r in pinned:
            stops += [(r.id, "pickup"), (r.id, "dropoff")]
        locks.append(Lock(shift_id, tuple(stops), closed=False))
    return locks


def _kind(kind: StopKind) -> SolverStopKind:
    return "pickup" if kind == StopKind.PICKUP else "dropoff"


def _store(
    session: Session,
    day: dt.date,
    built: BuiltProblem,
    solution: matching.Solution,
    current: DayPlan | None,
    shifts: dict[int, Shift],
    actor: Person | None,
) -> DayPlan:
    version = (
        session.scalar(select(func.max(DayPlan.version)).where(DayPlan.date == day)) or 0
    ) + 1
    accepted = _accepted_sequences(current)
    plan = DayPlan(
        date=day,
        version=version,
        created_by_id=actor.id if actor else None,
        requests_count=len(built.problem.requests),
        served_count=len(solution.served),
        distance_m=solution.distance,
        solve_seconds=round(solution.stats.seconds, 3),
        objective=solution.objective,
        figures=_figures(solution, built),
    )
    for solved in solution.routes:
        if not solved.stops:
            continue
        shift = shifts[solved.shift]
        sequence = tuple((s.request, s.kind) for s in solved.stops)
        kept = accepted.get(shift.id)
        route = Route(
            driver_id=shift.driver_id,
            shift_id=shift.id,
            vehicle_id=shift.vehicle_id,
            status=RouteStatus.ACCEPTED if kept and kept[0] == sequence else RouteStatus.OFFERED,
            responded_at=kept[1] if kept and kept[0] == sequence else None,
            start_at=clock.at_seconds(day, solved.start_time),
            end_at=clock.at_seconds(day, solved.end_time),
            distance_m=solved.distance,
        )
        route.stops = [
            Stop(
                request_id=stop.request,
                kind=StopKind(stop.kind),
                place_id=built.places[stop.node].id,
                planned_at=clock.at_seconds(day, stop.start),
                position=position,
            )
            for position, stop in enumerate(solved.stops)
        ]
        plan.routes.append(route)
    plan.unserved = [
        UnservedRequest(request_id=u.request, reason=u.reason.value, detail=u.detail[:300])
        for u in solution.unassigned
    ]
    try:
        # Two plans of one day at once (two clicks, a click and the scheduler) would take the
        # same version number: the second is told, nothing of it is written.
        with session.begin_nested():
            session.add(plan)
            session.flush()
    except IntegrityError as error:
        raise Conflict(
            "Another plan of {day} was being made at the same time; look at the newest one.",
            day=day, code="planning_in_progress",
        ) from error  # fmt: skip
    return plan


def _accepted_sequences(
    current: DayPlan | None,
) -> dict[int, tuple[tuple[tuple[int, str], ...], dt.datetime | None]]:
    if current is None:
        return {}
    return {
        route.shift_id: (
            tuple((s.request_id, s.kind.value) for s in route.stops),
            route.responded_at,
        )
        for route in current.routes
        if route.status == RouteStatus.ACCEPTED and route.shift_id is not None
    }


def _figures(solution: matching.Solution, built: BuiltProblem) -> dict[str, object]:
    reasons: dict[str, int] = {}
    for unassigned in solution.unassigned:
        reasons[unassigned.reason.value] = reasons.get(unassigned.reason.value, 0) + 1
    return {
        "requests": len(built.problem.requests),
        "served": len(solution.served),
        "unserved_by_reason": reasons,
        "drivers_used": sum(1 for r in solution.routes if r.stops),
        "shifts": len(built.problem.shifts),
        "distance_m": solution.distance,
        "solve_seconds": round(solution.stats.seconds, 3),
        "iterations": solution.stats.iterations,
        "first_solution_cost": solution.stats.first_solution_cost,
        "method": solution.stats.method,
    }


def _confirm_requests(session: Session, plan: DayPlan) -> list[RideRequest]:
    """Served requests get their pickup time, the others learn they are unserved; the changed."""
    pickups = {
        stop.request_id: stop.planned_at
        for route in plan.routes
        for stop in route.stops
        if stop.kind == StopKind.PICKUP
    }
    ids = set(pickups) | {u.request_id for u in plan.unserved}
    requests = session.scalars(select(RideRequest).where(RideRequest.id.in_(ids))).all()
    reasons = {u.request_id: u.reason for u in plan.unserved}
    changed = []
    for request in requests:
        if request.status in lifecycle.FINAL:
            continue
        before = (request.status, request.confirmed_pickup_at)
        if request.id in pickups:
            if request.status != RequestStatus.SCHEDULED:
                lifecycle.move(request, RequestStatus.SCHEDULED)
            request.confirmed_pickup_at = pickups[request.id]
            request.status_note = None
        else:
            if request.status != RequestStatus.UNSERVED:
                lifecycle.move(request, RequestStatus.UNSERVED)
            request.confirmed_pickup_at = None
            request.status_note = reasons[request.id]
        if (request.status, request.confirmed_pickup_at) != before:
            changed.append(request)
    return changed
