"""A coordinator's pins: "keep this request with that driver" for every later re-plan.

A pin is an open lock: the request rides with that shift's driver, in time order with the other
pinned requests, and the planner may add others around them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

import matching
from rides import access, audit, clock, status_texts
from rides.booking import lifecycle, ride_requests
from rides.errors import Conflict, NotFound
from rides.models import DayPlan, Person, PlanStatus, RideRequest, Shift
from rides.planning.solver_input import Lock


def pin_request(
    session: Session, actor: Person, request_id: int, shift_id: int | None
) -> RideRequest:
    """A coordinator's override: this request rides with that shift's driver from now on.

    The published plan is flagged so the next re-plan applies it; None releases the pin.
    """
    access.require_coordinator(actor)
    request = ride_requests.get_request(session, actor, request_id)
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
        raise Conflict(status_texts.TRIP_IS[request.status], code="final_request")
    request.pinned_shift_id = shift_id
    current = _published(session, request.date)
    if current is not None:
        current.replan_requested_at = clock.now()
    session.flush()
    audit.record(session, actor, "pin", "ride_request", request.id, shift=shift_id)
    return request


def pin_locks(requests: Sequence[RideRequest], shift_ids: set[int]) -> list[Lock]:
    """A coordinator's pins: the request rides with that driver, in time order, others may join."""
    by_shift: dict[int, list[RideRequest]] = {}
    for request in requests:
        shift = request.pinned_shift_id
        if shift is not None and shift in shift_ids:
            by_shift.setdefault(shift, []).append(request)
    locks = []
    for shift_id, pinned in sorted(by_shift.items()):
        pinned.sort(key=lambda r: (r.time, r.id))
        stops: list[tuple[int, matching.problem.StopKind]] = []
        for r in pinned:
            stops += [(r.id, "pickup"), (r.id, "dropoff")]
        locks.append(Lock(shift_id, tuple(stops), closed=False))
    return locks


def _published(session: Session, day: dt.date) -> DayPlan | None:
    query = select(DayPlan).where(DayPlan.date == day, DayPlan.status == PlanStatus.PUBLISHED)
    return session.scalar(query)
