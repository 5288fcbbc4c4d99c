"""The scheduler process: its rules (cut-off, when a day needs planning), jobs, APScheduler set-up.

Jobs are thin: take the day's lease, open one unit of work, call the planning service, commit,
log. They are referenced as text ("rides.scheduler.jobs:plan_next_day") with only plain keyword
arguments, so APScheduler can keep them in the database; what they need at run time (sessions,
rules, SMTP) is the ``Runtime`` the scheduler process installs when it starts.

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
import logging
import os
import pickle
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from apscheduler.jobstores.base import BaseJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from rides import clock
from rides.accounts import privacy
from rides.booking import reminders
from rides.db import unit_of_work
from rides.errors import DomainError
from rides.messaging import delivery
from rides.models import DayPlan, RequestStatus, RideRequest, apscheduler_jobs
from rides.planning import day_plans
from rides.scheduler import leases

log = logging.getLogger(__name__)

#: When the nightly retention job runs (local time): quiet hours.
RETENTION_TIME = dt.time(3, 0)

Status = Literal["published", "drafted", "up_to_date", "lease_held", "rejected"]


@dataclass(frozen=True)
class Runtime:
    """What this process's jobs use at run time; never pickled into the job store."""

    sessions: sessionmaker[Session]
    cutoff: dt.time = dt.time(17)
    time_limit: float = 30.0
    lease_ttl: float | None = None
    delivery: delivery.DeliverySettings = field(default_factory=delivery.DeliverySettings)
    links: reminders.ReminderLinks | None = None
    retention_days: int = privacy.DEFAULT_RETENTION_DAYS
    holder: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")

    def ttl(self, time_limit: float) -> float:
        """A lease long enough for a solve plus publication (a killed holder blocks this long)."""
        return self.lease_ttl if self.lease_ttl is not None else 120.0 + 3 * time_limit


@dataclass(frozen=True)
class Schedule:
    """When the jobs run: configured times, or an interval and a fixed day for tests."""

    planning_time: dt.time = dt.time(18)
    reminder_time: dt.time = dt.time(19)
    replan_every: float = 60.0
    outbox_every: float = 60.0
    interval: float | None = None
    day: dt.date | None = None
    time_limit: float | None = None


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


# -- rules -----------------------------------------------------------------------------------


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


# -- the process -------------------------------------------------------------------------------


class DatabaseJobStore(SQLAlchemyJobStore):  # type: ignore[misc]
    """APScheduler's store on our engine and migrated table: never creates tables, and a
    briefly locked database delays a job instead of killing the scheduler (jobs are rerun-safe)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine=engine, tablename=apscheduler_jobs.name)

    def start(self, scheduler: BaseScheduler, alias: str) -> None:
        """Check the table is there (the migrations own it) instead of creating it."""
        BaseJobStore.start(self, scheduler, alias)
        if not inspect(self.engine).has_table(self.jobs_t.name):
            raise RuntimeError("no apscheduler_jobs table: run 'rural-cars db upgrade'")

    def shutdown(self) -> None:
        """Leave the engine alone: it is the application's, shared with the jobs."""

    def update_job(self, job: Any) -> None:
        """Store the next run; on a locked database the job simply runs again next round."""
        try:
            super().update_job(job)
        except OperationalError as error:
            log.warning("could not store the next run of %s: %s", job.id, error.orig)

    def get_next_run_time(self) -> dt.datetime | None:
        """The store's next run; on a locked database, look again in a few seconds."""
        try:
            next_run: dt.datetime | None = super().get_next_run_time()
        except OperationalError as error:
            log.warning("could not read the next run time: %s", error.orig)
            return clock.now() + dt.timedelta(seconds=5)
        return next_run


@dataclass(frozen=True)
class JobSpec:
    """One job as the scheduler stores it: textual function reference and plain arguments."""

    id: str
    func: str
    trigger: BaseTrigger
    grace: int
    kwargs: dict[str, Any] = field(default_factory=dict)


def job_specs(schedule: Schedule) -> list[JobSpec]:
    """The jobs of the scheduler process for a schedule."""
    day = schedule.day.isoformat() if schedule.day else None
    if schedule.interval:
        plan_trigger: BaseTrigger = _every(schedule.interval)
        plan_grace = max(int(schedule.interval), 1)
    else:
        plan_trigger = _daily(schedule.planning_time)
        plan_grace = _rest_of_day(schedule.planning_time)
    return [
        JobSpec("plan-next-day", f"{__name__}:plan_next_day", plan_trigger, plan_grace,
                {"day": day, "time_limit": schedule.time_limit}),
        JobSpec("replan-flagged", f"{__name__}:replan_flagged",
                _every(schedule.replan_every),
                max(int(schedule.replan_every), 1), {"time_limit": schedule.time_limit}),
        JobSpec("send-outbox", f"{__name__}:send_outbox",
                _every(schedule.outbox_every),
                max(int(schedule.outbox_every), 1)),
        JobSpec("send-reminders", f"{__name__}:send_reminders", _daily(schedule.reminder_time),
                _rest_of_day(schedule.reminder_time)),
        JobSpec("anonymise-old-trips", f"{__name__}:anonymise_old_trips",
                _daily(RETENTION_TIME), _rest_of_day(RETENTION_TIME)),
    ]  # fmt: skip


def build_scheduler(runtime: Runtime, engine: Engine, schedule: Schedule) -> BlockingScheduler:
    """A BlockingScheduler on Madrid time with its jobs in the database, ready to ``start()``."""
    install(runtime)
    scheduler = BlockingScheduler(
        jobstores={"default": DatabaseJobStore(engine)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=clock.LOCAL_TZ,
    )
    for spec in job_specs(schedule):
        extra: dict[str, Any] = {}
        kept = _kept_next_run(engine, spec)
        if kept is not None:
            extra["next_run_time"] = kept
        scheduler.add_job(
            spec.func, spec.trigger, id=spec.id, name=spec.id, kwargs=spec.kwargs,
            replace_existing=True, coalesce=True, misfire_grace_time=spec.grace, **extra,
        )  # fmt: skip
    return scheduler


def run_once(runtime: Runtime, schedule: Schedule) -> None:
    """Run each job once, now, in this process (``scheduler --once``, or from cron)."""
    install(runtime)
    day = schedule.day.isoformat() if schedule.day else None
    plan_next_day(day, schedule.time_limit)
    replan_flagged(schedule.time_limit)
    send_reminders()
    send_outbox()
    anonymise_old_trips()


def _kept_next_run(engine: Engine, spec: JobSpec) -> dt.datetime | None:
    """The stored next run of an unchanged job, so a restart neither skips nor repeats a run.

    ``replace_existing`` would otherwise recompute it from now and lose a run missed while the
    scheduler was down; kept, a missed run fires once on start (coalesced, within its grace).
    """
    query = select(apscheduler_jobs.c.job_state).where(apscheduler_jobs.c.id == spec.id)
    with engine.connect() as connection:
        state = connection.scalar(query)
    if state is None:
        return None
    try:
        # Our own table, written by APScheduler, which unpickles it in the same way.
        stored = pickle.loads(state)  # noqa: S301
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError):
        log.warning("stored job %s is unreadable; it is scheduled afresh", spec.id)
        return None
    if str(stored.get("trigger")) != str(spec.trigger):
        return None
    next_run: dt.datetime | None = stored.get("next_run_time")
    return next_run


def _every(seconds: float) -> IntervalTrigger:
    return IntervalTrigger(seconds=seconds, timezone=clock.LOCAL_TZ)


def _daily(at: dt.time) -> CronTrigger:
    return CronTrigger(hour=at.hour, minute=at.minute, timezone=clock.LOCAL_TZ)


def _rest_of_day(at: dt.time) -> int:
    """Grace for a daily job: a late run the same evening still targets the same tomorrow."""
    return max(60, 24 * 3600 - (at.hour * 3600 + at.minute * 60) - 60)
