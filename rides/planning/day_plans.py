"""Planning a day: read the open requests and shifts, solve, validate, store a draft; publish.

Re-planning keeps what people agreed to: accepted routes are locked (same driver, passengers
and order, confirmed pickups moved by at most a few minutes) and drivers who declined are left
out. Only a plan that passes ``matching.validate`` is ever stored.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

import geo
import matching
from rides import audit, clock, status_texts
from rides.booking import lifecycle
from rides.driving.availability import shifts_on
from rides.errors import Conflict, DomainError, NotFound
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
)
from rides.planning import commitments, pins, versions
from rides.planning.solver_input import PlanningRules, build_problem

log = logging.getLogger(__name__)


class PlanRejected(DomainError):
    """The solver's answer broke a rule; it is not stored (a bug to report, never published)."""

    code = "plan_rejected"


#: Seconds a plan's search takes unless configured (``SOLVER_TIME_LIMIT`` defaults to it).
DEFAULT_TIME_LIMIT = 30.0


@dataclass(frozen=True)
class PlanSettings:
    """How hard to search and with which service rules."""

    time_limit: float = DEFAULT_TIME_LIMIT
    seed: int = 0
    rules: PlanningRules = field(default_factory=PlanningRules)
    provider: geo.TravelTimeProvider | None = None
    #: From this many requests the day is solved by areas on both cores (``solve_large``).
    large_day: int = 1000
    workers: int = 2
    #: Stop the search after this many iterations (None: time only). Tests set it so that a
    #: seeded plan is the same on every run, whatever the machine's speed.
    max_iterations: int | None = None


@dataclass(frozen=True)
class Progress:
    """Where a planning stands, for a page that watches it: the phase ("solving", "saving"),
    the day's requests, and how many the best plan so far serves (None: not known yet)."""

    phase: str
    requests: int
    served: int | None = None


def plan_day(
    session: Session,
    day: dt.date,
    settings: PlanSettings | None = None,
    *,
    actor: Person | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> DayPlan:
    """Solve ``day`` and store the result as the next draft version; raises PlanRejected."""
    settings = settings or PlanSettings()
    current = published_plan(session, day)
    # What drivers accepted or drove is copied into the new version as it is: the solver plans
    # the other shifts and the requests no kept route carries (see commitments).
    kept = commitments.kept_routes(current)
    carried = {request_id for route in kept for request_id in route.request_ids}
    requests = [r for r in _open_requests(session, day) if r.id not in carried]
    declined = declined_drivers(session, day)
    taken = {route.shift_id for route in kept}
    shifts = [
        s for s in shifts_on(session, day) if s.driver_id not in declined and s.id not in taken
    ]
    if not requests and not shifts and not kept:
        raise Conflict(
            "Nothing to plan on {day}: no open request and no shift.",
            day=day, code="nothing_to_plan",
        )  # fmt: skip
    locks = pins.pin_locks(requests, {s.id for s in shifts})
    built = build_problem(
        day, requests, shifts, locks=locks, rules=settings.rules, provider=settings.provider
    )

    def report(phase: str, served: int | None) -> None:
        if progress:
            total = len(requests) + len(carried)
            progress(Progress(phase, total, None if served is None else served + len(carried)))

    report("solving", None)
    solution = _solve(built.problem, settings, report)
    report("saving", len(built.problem.requests) - len(solution.unassigned))
    violations = matching.validate(built.problem, solution)
    if violations:
        log.error("plan for %s rejected: %s", day, violations)
        raise PlanRejected(
            "The plan for {day} broke {n} rule(s) and was not stored: {first}",
            day=day, n=len(violations), first=violations[0].message,
        )  # fmt: skip
    by_id = {s.id: s for s in shifts}
    plan = versions.store_version(session, day, built, solution, kept, by_id, actor)
    commitments.enforce(current, plan)
    audit.record(session, actor, "plan", "day_plan", plan.id, date=day, version=plan.version)
    return plan


def _solve(
    problem: matching.Problem,
    settings: PlanSettings,
    progress: Callable[[str, int | None], None],
) -> matching.Solution:
    """The whole-day search for a usual day; areas on both cores for a province-sized one."""
    if len(problem.requests) < settings.large_day:
        return matching.solve(
            problem, time_limit=settings.time_limit, seed=settings.seed,
            max_iterations=settings.max_iterations,
        )  # fmt: skip

    def report(elapsed: float, objective: int, served: int, phase: str) -> None:
        line = f"{elapsed:6.1f} s  served {served}  objective {objective}  {phase}"
        log.info("planning: %s", line)
        progress("solving", served)

    return matching.solve_large(
        problem, time_limit=settings.time_limit, seed=settings.seed,
        workers=settings.workers, progress=report,
    )  # fmt: skip


def publish_plan(
    session: Session,
    plan: DayPlan,
    *,
    actor: Person | None = None,
    replaced: Iterable[int] = (),
) -> DayPlan:
    """Make a draft the day's plan: offers to drivers, confirmed pickup times to riders.

    ``replaced`` names shifts whose accepted route the draft replaces on purpose (a change the
    driver accepted). All in the caller's transaction: a crash leaves the previous published
    plan in place.
    """
    versions = list(
        session.scalars(select(DayPlan).where(DayPlan.date == plan.date).with_for_update())
    )
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(status_texts.PLAN_IS[plan.status], v=plan.version, code="not_a_draft")
    if max(p.version for p in versions) != plan.version:
        raise Conflict("A newer plan exists for {day}; publish that one.", day=plan.date,
                       code="stale_plan")  # fmt: skip
    current = next((p for p in versions if p.status == PlanStatus.PUBLISHED), None)
    declined = declined_drivers(session, plan.date)
    if any(r.status == RouteStatus.OFFERED and r.driver_id in declined for r in plan.routes):
        # The draft was made before a driver declined: publishing it would offer them again.
        raise Conflict(
            "A driver declined since version {v} was made; plan the day again.",
            v=plan.version, code="declined_since",
        )  # fmt: skip
    # A driver may have accepted or driven since the draft was made: carry that in, or refuse.
    commitments.catch_up(current, plan)
    commitments.enforce(current, plan, replaced=replaced)
    for previous in versions:
        if previous.status == PlanStatus.PUBLISHED:
            previous.status = PlanStatus.SUPERSEDED
    session.flush()
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = clock.now()
    plan.replan_requested_at = None
    changed = _confirm_requests(session, plan)
    session.flush()
    notifications.plan_published(session, plan, changed, previous=current)
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


def declined_drivers(session: Session, day: dt.date) -> set[int]:
    """Drivers who declined a route of ``day`` in any version: left out of it from then on
    (a re-plan drops their declined route, so the published plan alone forgets them)."""
    query = (
        select(Route.driver_id)
        .join(DayPlan)
        .where(DayPlan.date == day, Route.status == RouteStatus.DECLINED)
    )
    return set(session.scalars(query))


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
