"""The scheduler's jobs: thin, each takes the day's lease, opens one unit of work, calls the
planning service, commits, logs.

They are referenced as text ("rides.scheduler.jobs:plan_next_day") with only plain keyword
arguments, so APScheduler can keep them in the database; what they need at run time (sessions,
rules, SMTP) is the ``Runtime`` the scheduler process installs when it starts. When a day needs
planning is decided by ``rides.planning.cutoff``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.orm import Session, sessionmaker

from rides import clock
from rides.accounts import privacy
from rides.booking import reminders
from rides.db import unit_of_work
from rides.errors import DomainError
from rides.messaging import delivery
from rides.models import DayPlan
from rides.planning import day_plans, runs
from rides.planning.cutoff import days_to_replan, is_flagged, needs_planning
from rides.scheduler import leases

log = logging.getLogger(__name__)


Status = Literal["published", "drafted", "up_to_date", "lease_held", "rejected"]


@dataclass(frozen=True)
class Runtime:
    """What this process's jobs use at run time; never pickled into the job store."""

    sessions: sessionmaker[Session]
    cutoff: dt.time = dt.time(17)
    time_limit: float = day_plans.DEFAULT_TIME_LIMIT
    lease_ttl: float | None = None
    delivery: delivery.DeliverySettings = field(default_factory=delivery.DeliverySettings)
    links: reminders.ReminderLinks | None = None
    retention_days: int = privacy.DEFAULT_RETENTION_DAYS
    holder: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")

    def ttl(self, time_limit: float) -> float:
        """A lease long enough for a solve plus publication (a killed holder blocks this long)."""
        return self.lease_ttl if self.lease_ttl is not None else 120.0 + 3 * time_limit


@dataclass(frozen=True)
class PlanOutcome:
    """What one attempt to plan a day did, for the log and the ``plan`` command."""

    day: dt.date
    status: Status
    plan: DayPlan | None = None
    detail: str = ""


_runtime: Runtime | None = None


def install(runtime: Runtime | None) -> None:
    """Set (or clear) the runtime the jobs of this process use; done once at process start."""
    global _runtime
    _runtime = runtime


def installed() -> Runtime:
    """The runtime of this process, or a clear error when no scheduler set one up."""
    if _runtime is None:
        raise RuntimeError("rides.scheduler.jobs jobs need install(Runtime(...)) first")
    return _runtime


def lease_name(day: dt.date) -> str:
    """The lease that keeps two processes (or two jobs) from planning the same day at once."""
    return f"plan:{day.isoformat()}"


def plan_under_lease(
    runtime: Runtime,
    day: dt.date,
    time_limit: float,
    *,
    publish: bool = True,
    wanted: Callable[[Session], bool] | None = None,
) -> PlanOutcome:
    """Plan (and publish) ``day`` in one transaction while holding its lease; never raises
    for a held lease, an up-to-date day or a rejected plan (each is an outcome)."""
    holder = f"{runtime.holder}:{uuid.uuid4().hex[:8]}"
    with leases.held(runtime.sessions, lease_name(day), holder, runtime.ttl(time_limit)) as ok:
        if not ok:
            other = leases.holder_of(runtime.sessions, lease_name(day))
            return PlanOutcome(day, "lease_held", detail=f"held by {other}")
        try:
            with unit_of_work(runtime.sessions) as session:
                if wanted is not None and not wanted(session):
                    return PlanOutcome(day, "up_to_date")
                settings = day_plans.PlanSettings(time_limit=time_limit)
                plan = day_plans.plan_day(session, day, settings)
                if publish:
                    day_plans.publish_plan(session, plan)
        except DomainError as error:
            return PlanOutcome(day, "rejected", detail=error.message)
    return PlanOutcome(day, "published" if publish else "drafted", plan)


# -- jobs --------------------------------------------------------------------------------------


def plan_next_day(day: str | None = None, time_limit: float | None = None) -> PlanOutcome:
    """Daily job: plan and publish tomorrow (or ``day``) unless it is already up to date."""
    runtime = installed()
    target = dt.date.fromisoformat(day) if day else clock.tomorrow()
    outcome = plan_under_lease(
        runtime,
        target,
        time_limit or runtime.time_limit,
        wanted=lambda s: needs_planning(s, target, clock.now(), runtime.cutoff),
    )
    _log(outcome)
    return outcome


def replan_flagged(time_limit: float | None = None) -> list[PlanOutcome]:
    """Frequent job: publish again each flagged day, keeping accepted routes."""
    runtime = installed()
    with unit_of_work(runtime.sessions) as session:
        days = days_to_replan(session, clock.now(), runtime.cutoff)
    outcomes = []
    for day in days:

        def still_flagged(s: Session, day: dt.date = day) -> bool:
            plan = day_plans.published_plan(s, day)
            return plan is not None and is_flagged(s, plan, runtime.cutoff)

        outcome = plan_under_lease(
            runtime, day, time_limit or runtime.time_limit, wanted=still_flagged
        )
        _log(outcome)
        outcomes.append(outcome)
    return outcomes


def run_planning_runs() -> int:
    """Frequent job: plan each day a coordinator asked to "Plan now", under the day's lease.

    A run whose day is being planned elsewhere stays queued for the next round; a run another
    process claimed first is skipped (``execute_run`` claims with one conditional UPDATE).
    """
    runtime = installed()
    executed = 0
    for run_id, day, time_limit in runs.queued_runs(runtime.sessions):
        holder = f"{runtime.holder}:{uuid.uuid4().hex[:8]}"
        with leases.held(runtime.sessions, lease_name(day), holder, runtime.ttl(time_limit)) as ok:
            if not ok:
                log.info("planning run %s for %s: day being planned, next round", run_id, day)
                continue
            status = runs.execute_run(runtime.sessions, run_id)
        if status is not None:
            executed += 1
            log.info("planning run %s for %s: %s", run_id, day, status.value)
    return executed


def send_outbox() -> delivery.DeliveryReport:
    """Frequent job: deliver the pending outbox messages."""
    runtime = installed()
    return delivery.send_pending(runtime.sessions, runtime.delivery)


def send_reminders(day: str | None = None) -> int:
    """Evening job: queue tomorrow's reminders with their confirm/cancel links."""
    runtime = installed()
    if runtime.links is None:
        log.warning("reminders: no SECRET_KEY/PUBLIC_URL configured, none written")
        return 0
    target = dt.date.fromisoformat(day) if day else clock.tomorrow()
    with leases.held(runtime.sessions, f"reminders:{target}", runtime.holder, 300) as ok:
        if not ok:
            log.info("reminders for %s: another process is writing them", target)
            return 0
        with unit_of_work(runtime.sessions) as session:
            written = reminders.queue_reminders(session, target, runtime.links)
    log.info("reminders for %s: %d written", target, written)
    return written


def anonymise_old_trips() -> int:
    """Nightly job: trips past the retention period lose their rider (privacy by design)."""
    runtime = installed()
    with unit_of_work(runtime.sessions) as session:
        count = privacy.anonymise_old_requests(session, retention_days=runtime.retention_days)
    log.info("retention: %d trips older than %d days anonymised", count, runtime.retention_days)
    return count


def _log(outcome: PlanOutcome) -> None:
    if outcome.status == "published" and outcome.plan is not None:
        figures = outcome.plan.figures
        log.info(
            "plan %s: published version %d (%s/%s served)",
            outcome.day, outcome.plan.version, figures.get("served"), figures.get("requests"),
        )  # fmt: skip
    elif outcome.status == "rejected":
        log.error("plan %s: rejected, nothing stored: %s", outcome.day, outcome.detail)
    else:
        log.info("plan %s: skipped (%s) %s", outcome.day, outcome.status, outcome.detail)
