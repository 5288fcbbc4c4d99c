"""The booking cut-off and when a day needs planning: the rules the scheduler's jobs apply.

The rule for a day D, with the booking cut-off at D-1 BOOKING_CUTOFF (default 17:00, Madrid):

* The daily job (PLANNING_TIME, default 18:00) plans and publishes D from scratch when D has no
  published plan, or when the published plan predates the cut-off and the cut-off has passed
  (a coordinator published early by hand), or when D is flagged. Otherwise it skips, so a rerun
  after a restart, or a second scheduler, never publishes D a second time.
* D is flagged when a driver declined, a coordinator asked for a re-plan, or a request booked
  *before* the cut-off is still waiting (booked after an early publication). The frequent
  re-plan job publishes flagged days again, keeping accepted routes.
* A request booked *after* the cut-off is late: if D is already published it goes to the
  coordinator's queue (``late_requests``) and does not by itself trigger a re-plan; the
  coordinator pins it or re-plans by hand, and any re-plan of D (after a decline, say) takes it
  in like every open request. Late requests booked before D's first publication are planned by
  the daily job like the others: it plans every open request it finds.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides import clock
from rides.models import DayPlan, RequestStatus, RideRequest
from rides.planning import day_plans


def cutoff_instant(day: dt.date, cutoff: dt.time) -> dt.datetime:
    """When booking for ``day`` closes: the day before at ``cutoff``, Madrid time."""
    return clock.local_datetime(day - dt.timedelta(days=1), cutoff)


def after_cutoff(day: dt.date, now: dt.datetime, cutoff: dt.time) -> bool:
    """Whether a booking made at ``now`` for ``day`` is late (goes to the coordinator's queue)."""
    return now >= cutoff_instant(day, cutoff)


def late_requests(session: Session, day: dt.date, cutoff: dt.time) -> list[RideRequest]:
    """The coordinator's queue: requests booked after the cut-off still waiting for a car."""
    query = (
        select(RideRequest)
        .where(RideRequest.date == day, RideRequest.status == RequestStatus.REQUESTED)
        .where(RideRequest.created_at >= cutoff_instant(day, cutoff))
        .order_by(RideRequest.created_at, RideRequest.id)
    )
    return list(session.scalars(query))


def is_flagged(session: Session, plan: DayPlan, cutoff: dt.time) -> bool:
    """A decline or re-plan request, or an on-time request waiting: publish the day again."""
    if plan.replan_requested_at is not None:
        return True
    waiting = session.scalar(
        select(func.count())
        .select_from(RideRequest)
        .where(RideRequest.date == plan.date, RideRequest.status == RequestStatus.REQUESTED)
        .where(RideRequest.created_at < cutoff_instant(plan.date, cutoff))
    )
    return bool(waiting)


def days_to_replan(session: Session, now: dt.datetime, cutoff: dt.time) -> list[dt.date]:
    """Published days from today on that are flagged (late requests alone do not count)."""
    today = now.astimezone(clock.LOCAL_TZ).date()
    plans = day_plans.published_from(session, today)
    return [plan.date for plan in plans if is_flagged(session, plan, cutoff)]


def needs_planning(session: Session, day: dt.date, now: dt.datetime, cutoff: dt.time) -> bool:
    """The daily job's test: unpublished, flagged, or published before a cut-off now passed."""
    plan = day_plans.published_plan(session, day)
    if plan is None or is_flagged(session, plan, cutoff):
        return True
    published = plan.published_at or plan.created_at
    return after_cutoff(day, now, cutoff) and not after_cutoff(day, published, cutoff)
