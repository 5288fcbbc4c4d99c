"""A solver's answer stored as the next version of a day: routes, timed stops, the unserved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import matching
from rides import clock
from rides.errors import Conflict
from rides.models import (
    DayPlan,
    Person,
    Route,
    RouteStatus,
    Shift,
    Stop,
    StopKind,
    UnservedRequest,
)
from rides.planning.commitments import RouteFacts
from rides.planning.solver_input import BuiltProblem


def store_version(
    session: Session,
    day: dt.date,
    built: BuiltProblem,
    solution: matching.Solution,
    kept: Sequence[RouteFacts],
    shifts: dict[int, Shift],
    actor: Person | None,
) -> DayPlan:
    """Add the solution, with the routes that are kept as they are, as the day's next version
    (a draft); Conflict if another plan of the day is being stored at the same time."""
    version = (
        session.scalar(select(func.max(DayPlan.version)).where(DayPlan.date == day)) or 0
    ) + 1
    carried = sum(len(route.request_ids) for route in kept)
    plan = DayPlan(
        date=day,
        version=version,
        created_by_id=actor.id if actor else None,
        requests_count=len(built.problem.requests) + carried,
        served_count=len(solution.served) + carried,
        distance_m=solution.distance + sum(route.distance_m for route in kept),
        solve_seconds=round(solution.stats.seconds, 3),
        objective=solution.objective,
        figures=_figures(solution, built),
    )
    for solved in solution.routes:
        if solved.stops:
            plan.routes.append(_route(day, built, solved, shifts[solved.shift]))
    plan.routes.extend(route.to_route() for route in kept)
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


#: The figures behind each unserved request's reason, by request id, kept with the plan's
#: figures (a JSON column) so the planner's note can be written in any language; versions made
#: by hand copy them with the rest of the figures.
UNSERVED_PARAMS = "unserved_params"


def unserved_params(plan: DayPlan, request_id: int, reason: str) -> dict[str, int | str]:
    """The stored figures behind a request's reason in ``plan`` (empty: none kept, or kept for
    another reason in an earlier version)."""
    kept = (plan.figures or {}).get(UNSERVED_PARAMS, {}).get(str(request_id))
    return dict(kept["params"]) if kept and kept.get("reason") == reason else {}


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
        "travel_times": built.travel_times,
        UNSERVED_PARAMS: {
            str(u.request): {"reason": u.reason.value, "params": dict(u.params)}
            for u in solution.unassigned
            if u.params
        },
    }


def _route(
    day: dt.date,
    built: BuiltProblem,
    solved: matching.Route,
    shift: Shift,
) -> Route:
    """One solved route as rows, offered to its driver."""
    route = Route(
        driver_id=shift.driver_id,
        shift_id=shift.id,
        vehicle_id=shift.vehicle_id,
        status=RouteStatus.OFFERED,
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
    return route


def derive(
    session: Session,
    current: DayPlan,
    actor: Person | None,
    *,
    routes: dict[int, Route | None],
    unserved: dict[int, tuple[str, str]] | None = None,
    change: str,
) -> DayPlan:
    """The next version made by hand from the published one: every route copied as it is but
    those of the shifts in ``routes`` (replaced, or taken away when None); ``unserved`` gives
    requests that now wait, with reason and detail. A draft, for ``publish_plan``."""
    version = (
        session.scalar(select(func.max(DayPlan.version)).where(DayPlan.date == current.date)) or 0
    ) + 1
    plan = DayPlan(
        date=current.date,
        version=version,
        created_by_id=actor.id if actor else None,
        figures={**current.figures, "derived_from": current.version, "change": change},
        solve_seconds=0.0,
        objective=None,
    )
    for route in current.routes:
        if route.shift_id in routes:
            replacement = routes[route.shift_id]
            if replacement is not None:
                plan.routes.append(replacement)
        else:
            plan.routes.append(RouteFacts.of(route).to_route())
    known = {route.shift_id for route in current.routes}
    plan.routes.extend(r for shift, r in routes.items() if shift not in known and r is not None)
    served = {stop.request_id for route in plan.routes for stop in route.stops}
    waiting = {u.request_id: (u.reason, u.detail) for u in current.unserved}
    waiting.update(unserved or {})
    plan.unserved = [
        UnservedRequest(request_id=rid, reason=reason, detail=detail[:300])
        for rid, (reason, detail) in sorted(waiting.items())
        if rid not in served
    ]
    plan.served_count = len(served)
    plan.requests_count = len(served) + len(plan.unserved)
    plan.distance_m = sum(route.distance_m for route in plan.routes)
    session.add(plan)
    session.flush()
    return plan
