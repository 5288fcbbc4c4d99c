"""Plan now in the background: a coordinator asks, a worker plans, the day page watches.

A search takes the whole time budget (``SOLVER_TIME_LIMIT``), too long to hold a web request
and the coordinator's page. So "Plan now" only queues a ``PlanningRun``; a worker (the
scheduler process, or the scheduler inside ``rural-cars demo``) claims it and plans the day,
writing the phase and the served count on the run's row in short transactions of their own so
the page can read them while the plan's own transaction is still open. The plan and the run's
"done" are committed together; a failure leaves the previous plans as they were and records a
plain reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from rides import access, audit, clock
from rides.db import unit_of_work
from rides.errors import Conflict, DomainError, NotFound
from rides.models import Person, PlanningRun, RunStatus
from rides.planning import day_plans

log = logging.getLogger(__name__)

#: A run still queued or being planned: the day gets no second one meanwhile.
ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)
#: Progress is written at most this often (phase changes always), to keep the writes few.
PROGRESS_EVERY = 0.5
#: Shown when a worker stopped or failed unexpectedly: the details are for the log only.
#: (Made as errors so the translation extraction finds them; pages show them translated.)
UNEXPECTED = DomainError(
    "Planning stopped on an unexpected error; the plans of the day are unchanged."
).message
STOPPED = DomainError(
    "The planning process stopped before it finished; the plans of the day are unchanged."
).message
#: How long the day page keeps showing a finished run's result.
RECENT = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class RunProgress:
    """A run as its page and the API show it."""

    id: int
    date: dt.date
    status: RunStatus
    phase: str
    time_limit: float
    requests: int
    served: int
    seconds_left: int | None
    plan_id: int | None
    version: int | None
    error: str | None
    waiting_long: bool
    recent: bool

    @property
    def active(self) -> bool:
        """Still queued or running: the page keeps refreshing."""
        return self.status in ACTIVE


def stale_after(time_limit: float) -> dt.timedelta:
    """How long a run may stay "running" before its worker is taken for dead (as a lease)."""
    return dt.timedelta(seconds=120.0 + 3 * time_limit)


def request_run(session: Session, actor: Person, day: dt.date, time_limit: float) -> PlanningRun:
    """Queue a planning of ``day`` with the configured budget; refused while one is under way."""
    access.require_coordinator(actor)
    _fail_stale(session, day)
    busy = session.scalar(
        select(PlanningRun).where(PlanningRun.date == day, PlanningRun.status.in_(ACTIVE))
    )
    if busy is not None:
        raise Conflict(
            "The plan of {day} is already being made; its progress is on the day's page.",
            day=day, code="planning_in_progress", fields={"date": "planning in progress"},
        )  # fmt: skip
    run = PlanningRun(date=day, time_limit=time_limit, requested_by_id=actor.id,
                      status=RunStatus.QUEUED, phase="queued", created_at=clock.now())  # fmt: skip
    session.add(run)
    session.flush()
    audit.record(session, actor, "request_plan", "planning_run", run.id, date=day)
    return run


def get_run(session: Session, actor: Person, run_id: int) -> RunProgress:
    """A run and its progress (coordinators only; an unknown id is NotFound)."""
    access.require_coordinator(actor)
    run = session.get(PlanningRun, run_id)
    if run is None:
        raise NotFound("No planning run with id {id}.", id=run_id, fields={"id": "unknown"})
    return progress_of(run, clock.now())


def day_run(session: Session, actor: Person, day: dt.date) -> RunProgress | None:
    """The newest run of ``day``, for the day page (None when the day was never run so)."""
    access.require_coordinator(actor)
    query = select(PlanningRun).where(PlanningRun.date == day).order_by(PlanningRun.id.desc())
    run = session.scalar(query.limit(1))
    return progress_of(run, clock.now()) if run is not None else None


def progress_of(run: PlanningRun, now: dt.datetime) -> RunProgress:
    """What a page shows of ``run`` at ``now``; seconds left count down the search budget."""
    left = None
    if run.status == RunStatus.RUNNING and run.started_at is not None:
        spent = (now - run.started_at).total_seconds()
        left = max(0, round(run.time_limit - spent))
    waited = (now - run.created_at).total_seconds()
    return RunProgress(
        id=run.id, date=run.date, status=run.status, phase=run.phase, time_limit=run.time_limit,
        requests=run.requests_count, served=run.served_count, seconds_left=left,
        plan_id=run.plan_id, version=run.plan.version if run.plan is not None else None,
        error=run.error, waiting_long=run.status == RunStatus.QUEUED and waited > 60,
        recent=run.finished_at is None or now - run.finished_at < RECENT,
    )  # fmt: skip


def queued_runs(factory: sessionmaker[Session]) -> list[tuple[int, dt.date, float]]:
    """The runs waiting for a worker, oldest first: (id, day, time budget)."""
    with unit_of_work(factory) as session:
        query = select(PlanningRun.id, PlanningRun.date, PlanningRun.time_limit)
        rows = session.execute(
            query.where(PlanningRun.status == RunStatus.QUEUED).order_by(PlanningRun.id)
        )
        return [(row.id, row.date, row.time_limit) for row in rows]


def execute_run(
    factory: sessionmaker[Session],
    run_id: int,
    now: Callable[[], dt.datetime] = clock.now,
    settings: day_plans.PlanSettings | None = None,
) -> RunStatus | None:
    """Claim a queued run and plan its day; None when another worker claimed it first.

    The caller holds the day's lease, so no other planning of the day runs meanwhile.
    """
    if not _claim(factory, run_id, now()):
        return None
    try:
        with unit_of_work(factory) as session:
            run = session.get(PlanningRun, run_id)
            assert run is not None  # claimed just now
            base = settings or day_plans.PlanSettings()
            chosen = day_plans.PlanSettings(
                time_limit=run.time_limit, seed=base.seed, rules=base.rules,
                provider=base.provider, large_day=base.large_day, workers=base.workers,
            )  # fmt: skip
            actor = session.get(Person, run.requested_by_id) if run.requested_by_id else None
            plan = day_plans.plan_day(session, run.date, chosen, actor=actor,
                                      progress=_Recorder(factory, run_id, now))  # fmt: skip
            run.status, run.phase, run.finished_at = RunStatus.DONE, "", now()
            run.plan_id = plan.id
            run.requests_count = plan.requests_count
            run.served_count = int(plan.figures.get("served", 0))
    except DomainError as error:
        _finish_failed(factory, run_id, error.message, now())
        return RunStatus.FAILED
    except Exception:
        log.exception("planning run %s failed", run_id)
        _finish_failed(factory, run_id, UNEXPECTED, now())
        return RunStatus.FAILED
    return RunStatus.DONE


def _claim(factory: sessionmaker[Session], run_id: int, at: dt.datetime) -> bool:
    """Queued -> running in one UPDATE whose WHERE decides: one worker wins, on both backends."""
    with unit_of_work(factory) as session:
        result = session.execute(
            update(PlanningRun)
            .where(PlanningRun.id == run_id, PlanningRun.status == RunStatus.QUEUED)
            .values(status=RunStatus.RUNNING, started_at=at, phase="preparing"),
            execution_options={"synchronize_session": False},
        )
        return bool(getattr(result, "rowcount", 0))


class _Recorder:
    """The plan's progress callback: write it on the run's row, in its own short transaction."""

    def __init__(
        self, factory: sessionmaker[Session], run_id: int, now: Callable[[], dt.datetime]
    ) -> None:
        self.factory, self.run_id, self.now = factory, run_id, now
        self.phase, self.at = "preparing", 0.0

    def __call__(self, progress: day_plans.Progress) -> None:
        moment = time.monotonic()
        if progress.phase == self.phase and moment - self.at < PROGRESS_EVERY:
            return
        values: dict[str, object] = {"phase": progress.phase, "requests_count": progress.requests}
        if progress.served is not None:
            values["served_count"] = progress.served
        if progress.phase == "solving" and self.phase != "solving":
            values["started_at"] = self.now()  # the budget counts from the search's start
        self.phase, self.at = progress.phase, moment
        try:
            with unit_of_work(self.factory) as session:
                query = update(PlanningRun).where(PlanningRun.id == self.run_id)
                session.execute(query.values(values))
        except SQLAlchemyError as error:  # progress is a courtesy: never fail the plan for it
            log.warning("planning run %s: progress not recorded: %s", self.run_id, error)


def _finish_failed(
    factory: sessionmaker[Session], run_id: int, reason: str, at: dt.datetime
) -> None:
    with unit_of_work(factory) as session:
        session.execute(
            update(PlanningRun)
            .where(PlanningRun.id == run_id)
            .values(status=RunStatus.FAILED, phase="", error=reason[:300], finished_at=at)
        )


def _fail_stale(session: Session, day: dt.date) -> None:
    """A run whose worker died stays "running": after a lease's time it is failed, so the
    day can be planned again."""
    now = clock.now()
    for run in session.scalars(
        select(PlanningRun).where(PlanningRun.date == day, PlanningRun.status == RunStatus.RUNNING)
    ):
        started = run.started_at or run.created_at
        if now - started > stale_after(run.time_limit):
            run.status, run.phase, run.error, run.finished_at = RunStatus.FAILED, "", STOPPED, now
    session.flush()
