"""The scheduler process: APScheduler with its job store in the database, one job per task.

``build_scheduler`` keeps each job's next run across restarts (a run missed while the process
was down fires once on start); ``run_once`` runs every job now, for cron or a test.
"""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import threading
from dataclasses import dataclass, field
from typing import Any

from apscheduler.jobstores.base import BaseJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import OperationalError

import matching
from rides import clock
from rides.models import apscheduler_jobs
from rides.scheduler.jobs import (
    Runtime,
    anonymise_old_trips,
    install,
    plan_next_day,
    replan_flagged,
    run_planning_runs,
    send_outbox,
    send_reminders,
)

log = logging.getLogger(__name__)

#: Where the job functions live, as APScheduler's stored references name them.
JOBS = "rides.scheduler.jobs"

#: When the nightly retention job runs (local time): quiet hours.
RETENTION_TIME = dt.time(3, 0)


@dataclass(frozen=True)
class Schedule:
    """When the jobs run: configured times, or an interval and a fixed day for tests."""

    planning_time: dt.time = dt.time(18)
    reminder_time: dt.time = dt.time(19)
    replan_every: float = 60.0
    outbox_every: float = 60.0
    runs_every: float = 2.0
    interval: float | None = None
    day: dt.date | None = None
    time_limit: float | None = None


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
        JobSpec("plan-next-day", f"{JOBS}:plan_next_day", plan_trigger, plan_grace,
                {"day": day, "time_limit": schedule.time_limit}),
        JobSpec("replan-flagged", f"{JOBS}:replan_flagged",
                _every(schedule.replan_every),
                max(int(schedule.replan_every), 1), {"time_limit": schedule.time_limit}),
        JobSpec("run-planning-runs", f"{JOBS}:run_planning_runs",
                _every(schedule.runs_every), max(int(schedule.runs_every), 1)),
        JobSpec("send-outbox", f"{JOBS}:send_outbox",
                _every(schedule.outbox_every),
                max(int(schedule.outbox_every), 1)),
        JobSpec("send-reminders", f"{JOBS}:send_reminders", _daily(schedule.reminder_time),
                _rest_of_day(schedule.reminder_time)),
        JobSpec("anonymise-old-trips", f"{JOBS}:anonymise_old_trips",
                _daily(RETENTION_TIME), _rest_of_day(RETENTION_TIME)),
    ]  # fmt: skip


def _warm_up_solver() -> None:
    """Compile the solver's kernels in a thread now, not inside the first plan's time budget."""
    threading.Thread(target=matching.warm_up, name="solver-warm-up", daemon=True).start()


def build_scheduler(runtime: Runtime, engine: Engine, schedule: Schedule) -> BlockingScheduler:
    """A BlockingScheduler on Madrid time with its jobs in the database, ready to ``start()``."""
    install(runtime)
    _warm_up_solver()
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


#: The jobs ``rural-cars demo`` runs in its own process: those that follow what people do on
#: the pages (a "Plan now", a driver's decline, the messages that result).
IN_APP_JOBS = ("run-planning-runs", "replan-flagged", "send-outbox")


def in_app_scheduler(
    runtime: Runtime, schedule: Schedule, only: tuple[str, ...] = IN_APP_JOBS
) -> BackgroundScheduler:
    """Some jobs in a thread of this process, their times kept in memory: for a single-process
    app (the demo) with no ``rural-cars scheduler`` beside it. Call ``start()``/``shutdown()``."""
    install(runtime)
    _warm_up_solver()
    scheduler = BackgroundScheduler(
        job_defaults={"coalesce": True, "max_instances": 1}, timezone=clock.LOCAL_TZ
    )
    for spec in job_specs(schedule):
        if spec.id in only:
            scheduler.add_job(spec.func, spec.trigger, id=spec.id, name=spec.id,
                              kwargs=spec.kwargs, misfire_grace_time=spec.grace)  # fmt: skip
    return scheduler


def run_once(runtime: Runtime, schedule: Schedule) -> None:
    """Run each job once, now, in this process (``scheduler --once``, or from cron)."""
    install(runtime)
    day = schedule.day.isoformat() if schedule.day else None
    plan_next_day(day, schedule.time_limit)
    replan_flagged(schedule.time_limit)
    run_planning_runs()
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
