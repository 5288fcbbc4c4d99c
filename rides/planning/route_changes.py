"""Changes to a route its driver accepted: proposed, shown as what changed, applied on yes.

Nothing about an accepted route moves behind its driver's back (see ``commitments``): a
coordinator's change or a same-day insertion that touches it becomes a ``RouteChange``. The
accepted version stands until the driver accepts the change, which then publishes a new
version of the day with that route replaced (and tells the riders whose time moved).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rides import access, audit, clock, status_texts
from rides.errors import Conflict, NotFound
from rides.messaging import notifications
from rides.models import (
    ChangeStatus,
    DayPlan,
    Person,
    Route,
    RouteChange,
    RouteStatus,
    Stop,
    StopKind,
)
from rides.planning import commitments, day_plans, versions
from rides.planning.unserved_reasons import TAKEN_OFF
from rides.validation import clean_note


@dataclass(frozen=True)
class TimedStop:
    """One stop of a re-timed route."""

    request_id: int
    kind: StopKind
    place_id: int
    planned_at: dt.datetime


@dataclass(frozen=True)
class TimedRoute:
    """A route re-timed and checked by ``matching``: what a change would make of it."""

    shift_id: int
    stops: tuple[TimedStop, ...]
    distance_m: int
    start_at: dt.datetime | None
    end_at: dt.datetime | None

    def sequence(self) -> list[tuple[int, str]]:
        """Who is picked up and dropped off, in order."""
        return [(s.request_id, s.kind.value) for s in self.stops]


def propose(
    session: Session,
    actor: Person,
    plan: DayPlan,
    timed: TimedRoute,
    *,
    kind: str,
    request_id: int | None = None,
) -> RouteChange:
    """Offer the driver of an accepted route this new version of it; a pending proposal of the
    same route is superseded (the driver answers the newest only)."""
    route = _accepted_route(plan, timed.shift_id)
    for older in _pending(session, plan.date, timed.shift_id):
        older.status = ChangeStatus.SUPERSEDED
    change = RouteChange(
        date=plan.date, shift_id=timed.shift_id, driver_id=route.driver_id,
        request_id=request_id, kind=kind, base=_sequence(route),
        stops=[
            {"request_id": s.request_id, "kind": s.kind.value, "place_id": s.place_id,
             "planned_at": s.planned_at.isoformat()}
            for s in timed.stops
        ],
        distance_m=timed.distance_m, start_at=timed.start_at, end_at=timed.end_at,
        summary=_what_changed(route, timed), created_by_id=actor.id,
    )  # fmt: skip
    session.add(change)
    session.flush()
    notifications.route_change_proposed(session, change)
    audit.record(
        session, actor, "propose", "route_change", change.id, kind=kind, shift=timed.shift_id
    )
    return change


def pending_changes(session: Session, actor: Person, day: dt.date) -> list[RouteChange]:
    """The proposals waiting for the actor's answer on a day (every driver's for a coordinator)."""
    query = select(RouteChange).where(
        RouteChange.date == day, RouteChange.status == ChangeStatus.PENDING
    )
    if not access.is_coordinator(actor):
        query = query.where(RouteChange.driver_id == actor.id)
    return list(session.scalars(query.order_by(RouteChange.id)))


def get_change(session: Session, actor: Person, change_id: int) -> RouteChange:
    """A proposal the actor may see: their own as driver; coordinators any."""
    change = session.get(RouteChange, change_id)
    if change is None or not (access.is_coordinator(actor) or change.driver_id == actor.id):
        raise NotFound("No route change with id {id}.", id=change_id, fields={"id": "unknown"})
    return change


def accept_change(session: Session, actor: Person, change_id: int) -> DayPlan:
    """The driver says yes: the day's next version has their route as proposed, published."""
    change = _answerable(session, actor, change_id)
    current = day_plans.published_plan(session, change.date)
    route = _current_route(current, change)
    assert current is not None  # _current_route found the route in it
    replacement = _route_of(change, route)
    left = dict.fromkeys(change.summary.get("removed", []), (TAKEN_OFF, ""))
    draft = versions.derive(
        session, current, actor, routes={change.shift_id: replacement}, unserved=left,
        change=f"route_change:{change.id}",
    )  # fmt: skip
    plan = day_plans.publish_plan(session, draft, actor=actor, replaced=[change.shift_id])
    change.status, change.answered_at = ChangeStatus.ACCEPTED, clock.now()
    session.flush()
    audit.record(session, actor, "accept", "route_change", change.id, version=plan.version)
    return plan


def decline_change(
    session: Session, actor: Person, change_id: int, reason: str | None = None
) -> RouteChange:
    """The driver says no: the accepted route stays as it is; the coordinator is told."""
    reason = clean_note("reason", reason)
    change = _answerable(session, actor, change_id)
    change.status, change.answered_at = ChangeStatus.DECLINED, clock.now()
    session.flush()
    notifications.route_change_declined(session, change, reason)
    audit.record(session, actor, "decline", "route_change", change.id, reason=reason)
    return change


def _answerable(session: Session, actor: Person, change_id: int) -> RouteChange:
    change = get_change(session, actor, change_id)
    if change.driver_id != actor.id:
        raise Conflict("Only the driver of the route answers this change.", code="not_your_change")
    if change.status != ChangeStatus.PENDING:
        raise Conflict(status_texts.CHANGE_IS[change.status], code="already_answered")
    return change


def _current_route(current: DayPlan | None, change: RouteChange) -> Route:
    """The accepted route the change was made for, still as it was; else the change is stale."""
    route = None
    if current is not None:
        route = next((r for r in current.routes if r.shift_id == change.shift_id), None)
    if route is None or route.status not in commitments.KEPT or _sequence(route) != change.base:
        change.status = ChangeStatus.SUPERSEDED
        raise Conflict(
            "Your route changed since this was proposed; the coordinator will send a new one.",
            code="stale_change",
        )
    return route


def _route_of(change: RouteChange, accepted: Route) -> Route:
    """The accepted route as the change makes it: accepted now; marked stops as they were."""
    marked = {
        (s.request_id, s.kind.value): s for s in accepted.stops if s.status in commitments.MARKED
    }
    route = Route(
        driver_id=accepted.driver_id, shift_id=accepted.shift_id, vehicle_id=accepted.vehicle_id,
        status=RouteStatus.ACCEPTED, responded_at=clock.now(), start_at=change.start_at,
        end_at=change.end_at, distance_m=change.distance_m,
    )  # fmt: skip
    for position, stop in enumerate(change.stops):
        done = marked.get((stop["request_id"], stop["kind"]))
        if done is not None:
            route.stops.append(commitments.StopFacts.of(done).to_stop(position))
            continue
        route.stops.append(
            Stop(
                request_id=stop["request_id"],
                kind=StopKind(stop["kind"]),
                place_id=stop["place_id"],
                position=position,
                planned_at=dt.datetime.fromisoformat(stop["planned_at"]),
            )
        )
    return route


def _accepted_route(plan: DayPlan, shift_id: int) -> Route:
    route = next((r for r in plan.routes if r.shift_id == shift_id), None)
    if route is None or route.status not in commitments.KEPT:
        raise Conflict("That route is not accepted; change it directly.", code="not_accepted")
    return route


def _pending(session: Session, day: dt.date, shift_id: int) -> list[RouteChange]:
    query = select(RouteChange).where(
        RouteChange.date == day,
        RouteChange.shift_id == shift_id,
        RouteChange.status == ChangeStatus.PENDING,
    )
    return list(session.scalars(query))


def _sequence(route: Route) -> list[list[object]]:
    return [[s.request_id, s.kind.value] for s in route.stops]


def _what_changed(route: Route, timed: TimedRoute) -> dict[str, object]:
    """Passengers added and removed, and pickups or drop-offs whose time moves."""
    before = {(s.request_id, s.kind.value): s.planned_at for s in route.stops}
    after = {(s.request_id, s.kind.value): s.planned_at for s in timed.stops}
    riders_before = {rid for rid, _ in before}
    riders_after = {rid for rid, _ in after}
    moved = [
        {"request_id": rid, "kind": kind, "from": before[(rid, kind)].isoformat(),
         "to": at.isoformat()}
        for (rid, kind), at in after.items()
        if (rid, kind) in before and before[(rid, kind)] != at
    ]  # fmt: skip
    return {
        "added": sorted(riders_after - riders_before),
        "removed": sorted(riders_before - riders_after),
        "moved": moved,
    }
