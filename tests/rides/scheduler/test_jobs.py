"""Scheduler rules and jobs in-process: cut-off, when to plan, leases, atomic publication."""

from __future__ import annotations

import datetime as dt
import pickle
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from rides import clock
from rides.booking.reminders import ReminderLinks
from rides.db import make_sessionmaker
from rides.driving.routes import decline_route
from rides.messaging import notifications
from rides.models import (
    AuditEntry,
    DayPlan,
    OutboxMessage,
    PlanStatus,
    RequestStatus,
    RideRequest,
    apscheduler_jobs,
)
from rides.planning import cutoff
from rides.planning.day_plans import published_plan
from rides.scheduler import jobs, leases, process
from rides.scheduler.jobs import Runtime
from rides.scheduler.process import Schedule
from tests.factories import Factory, tomorrow

#: A cut-off already passed for tomorrow (today 00:00) and one not yet reached (today 23:59).
PASSED, AHEAD = dt.time(0, 0), dt.time(23, 59)


@pytest.fixture
def runtime(engine: Engine) -> Iterator[Runtime]:
    """The jobs' runtime on the test database, with a fast solver; uninstalled afterwards."""
    installed = Runtime(
        make_sessionmaker(engine),
        cutoff=AHEAD,
        time_limit=0.3,
        links=ReminderLinks("test-secret", "https://rural-cars.example.org"),
    )
    jobs.install(installed)
    yield installed
    jobs.install(None)


@pytest.fixture
def day(make: Factory) -> dt.date:
    """Tomorrow with two drivers and three trips, committed for the jobs' own sessions."""
    return make.small_day()


def _versions(session: Session, day: dt.date) -> list[tuple[int, PlanStatus]]:
    session.expire_all()
    plans = session.scalars(select(DayPlan).where(DayPlan.date == day).order_by(DayPlan.version))
    return [(p.version, p.status) for p in plans]


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _decline_a_route(session: Session, day: dt.date) -> None:
    plan = published_plan(session, day)
    assert plan is not None
    route = next(r for r in plan.routes if r.stops)
    decline_route(session, route.driver, route.id)
    session.commit()


# -- rules ---------------------------------------------------------------------------------


def test_cutoff_is_the_evening_before_in_madrid() -> None:
    """Bookings for 2 Dec close on 1 Dec at 17:00 Madrid time (16:00 UTC in winter)."""
    day, at = dt.date(2026, 12, 2), dt.time(17)
    assert cutoff.cutoff_instant(day, at) == dt.datetime(2026, 12, 1, 16, tzinfo=dt.UTC)
    assert not cutoff.after_cutoff(day, dt.datetime(2026, 12, 1, 15, 59, tzinfo=dt.UTC), at)
    assert cutoff.after_cutoff(day, dt.datetime(2026, 12, 1, 16, 0, tzinfo=dt.UTC), at)


def test_cutoff_follows_summer_time() -> None:
    """In summer the same 17:00 cut-off is 15:00 UTC: wall-clock time is what people know."""
    day = dt.date(2026, 7, 2)
    assert cutoff.cutoff_instant(day, dt.time(17)) == dt.datetime(2026, 7, 1, 15, tzinfo=dt.UTC)


def test_an_unpublished_day_needs_planning(session: Session, day: dt.date) -> None:
    """Nothing published yet: the daily job plans, before or after the cut-off."""
    for at in (PASSED, AHEAD):
        assert cutoff.needs_planning(session, day, clock.now(), at)


def test_a_day_published_after_the_cutoff_is_left_alone(
    session: Session, day: dt.date, runtime: Runtime
) -> None:
    """Published after the cut-off and not flagged: a rerun of the daily job skips it."""
    jobs.install(replace(runtime, cutoff=PASSED))
    assert jobs.plan_next_day(day.isoformat()).status == "published"
    assert not cutoff.needs_planning(session, day, clock.now(), PASSED)


def test_an_early_publication_is_redone_once_the_cutoff_passes(
    session: Session, day: dt.date, runtime: Runtime
) -> None:
    """Published by hand before the cut-off: left alone until the cut-off, then planned again."""
    assert jobs.plan_next_day(day.isoformat()).status == "published"
    assert not cutoff.needs_planning(session, day, clock.now(), AHEAD)
    later = cutoff.cutoff_instant(day, AHEAD) + dt.timedelta(hours=1)
    assert cutoff.needs_planning(session, day, later, AHEAD)


def test_a_decline_flags_the_day(session: Session, day: dt.date, runtime: Runtime) -> None:
    """A driver's decline makes the day need planning again, whatever the hour."""
    jobs.plan_next_day(day.isoformat())
    _decline_a_route(session, day)
    assert cutoff.needs_planning(session, day, clock.now(), AHEAD)
    assert cutoff.days_to_replan(session, clock.now(), AHEAD) == [day]


def test_late_request_goes_to_the_queue_not_to_a_replan(
    session: Session, make: Factory, day: dt.date, runtime: Runtime
) -> None:
    """Booked after the cut-off on a published day: queued for the coordinator, no auto re-plan;
    the same booking before the cut-off would flag the day."""
    jobs.install(replace(runtime, cutoff=PASSED))
    jobs.plan_next_day(day.isoformat())
    late = make.request(time=dt.time(13))
    session.commit()
    assert cutoff.late_requests(session, day, PASSED) == [late]
    assert cutoff.days_to_replan(session, clock.now(), PASSED) == []
    assert jobs.replan_flagged() == []
    assert late.status == RequestStatus.REQUESTED
    assert cutoff.late_requests(session, day, AHEAD) == []
    assert cutoff.days_to_replan(session, clock.now(), AHEAD) == [day]


# -- jobs ----------------------------------------------------------------------------------


def test_daily_job_publishes_once_however_often_it_runs(
    session: Session, day: dt.date, runtime: Runtime
) -> None:
    """Three runs (a restart, a second scheduler) publish one version and one audit entry."""
    outcomes = [jobs.plan_next_day(day.isoformat()).status for _ in range(3)]
    assert outcomes == ["published", "up_to_date", "up_to_date"]
    assert _versions(session, day) == [(1, PlanStatus.PUBLISHED)]
    publications = select(func.count()).where(AuditEntry.action == "publish")
    assert session.scalar(publications) == 1
    assert _count(session, OutboxMessage) > 0


def test_daily_job_skips_a_day_whose_lease_is_held(
    session: Session, day: dt.date, runtime: Runtime
) -> None:
    """While another process holds the day's lease the job logs and skips, planning nothing."""
    assert leases.acquire(runtime.sessions, jobs.lease_name(day), "other:1", 60)
    outcome = jobs.plan_next_day(day.isoformat())
    assert outcome.status == "lease_held" and "other:1" in outcome.detail
    assert _versions(session, day) == []


def test_concurrent_jobs_publish_one_version(
    session: Session, day: dt.date, runtime: Runtime
) -> None:
    """Two daily jobs started together (two threads, as two processes would): one publishes."""
    barrier = threading.Barrier(2)
    statuses: list[str] = []

    def run() -> None:
        barrier.wait()
        statuses.append(jobs.plan_next_day(day.isoformat()).status)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) in (["lease_held", "published"], ["published", "up_to_date"])
    assert _versions(session, day) == [(1, PlanStatus.PUBLISHED)]


def test_failure_during_publication_keeps_the_previous_plan(
    session: Session, day: dt.date, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database fails after the new plan's rows are flushed: version 1 stays published,
    no version 2, no new outbox rows, the lease is free; the next run then publishes."""
    jobs.plan_next_day(day.isoformat())
    _decline_a_route(session, day)
    messages = _count(session, OutboxMessage)
    flushed: list[tuple[int, PlanStatus]] = []

    def database_fails(db: Session, plan: DayPlan, changed: object, **_: object) -> None:
        db.flush()
        flushed.append((plan.version, plan.status))
        raise OperationalError("INSERT INTO outbox", {}, Exception("connection lost"))

    monkeypatch.setattr(notifications, "plan_published", database_fails)
    with pytest.raises(OperationalError):
        jobs.plan_next_day(day.isoformat())
    assert flushed == [(2, PlanStatus.PUBLISHED)]
    assert _versions(session, day) == [(1, PlanStatus.PUBLISHED)]
    assert _count(session, OutboxMessage) == messages
    assert leases.holder_of(runtime.sessions, jobs.lease_name(day)) is None
    monkeypatch.undo()
    assert jobs.plan_next_day(day.isoformat()).status == "published"
    assert _versions(session, day) == [(1, PlanStatus.SUPERSEDED), (2, PlanStatus.PUBLISHED)]


def test_replan_job_publishes_flagged_days_only(
    session: Session, day: dt.date, runtime: Runtime
) -> None:
    """After a decline the re-plan job publishes a new version; run again, it has nothing to do."""
    jobs.plan_next_day(day.isoformat())
    assert jobs.replan_flagged() == []
    _decline_a_route(session, day)
    [outcome] = jobs.replan_flagged()
    assert outcome.status == "published" and outcome.plan is not None
    assert outcome.plan.version == 2
    assert jobs.replan_flagged() == []


def test_reminder_and_outbox_jobs(session: Session, day: dt.date, runtime: Runtime) -> None:
    """The evening job writes one reminder per scheduled rider; the outbox job delivers all."""
    jobs.plan_next_day(day.isoformat())
    scheduled = session.scalar(
        select(func.count())
        .select_from(RideRequest)
        .where(RideRequest.date == day, RideRequest.status == RequestStatus.SCHEDULED)
    )
    assert scheduled
    assert jobs.send_reminders(day.isoformat()) == scheduled
    assert jobs.send_reminders(day.isoformat()) == 0
    report = jobs.send_outbox()
    assert report.listing == _count(session, OutboxMessage) and report.email == 0


def test_jobs_refuse_to_run_without_a_runtime() -> None:
    """A job started outside the scheduler process says what is missing."""
    jobs.install(None)
    with pytest.raises(RuntimeError, match="install"):
        jobs.send_outbox()


# -- the job store -------------------------------------------------------------------------


def _start_paused(runtime: Runtime, engine: Engine, schedule: Schedule) -> None:
    """Start a scheduler without running anything, so it writes its jobs, then stop it."""
    scheduler = process.build_scheduler(runtime, engine, schedule)
    thread = threading.Thread(target=scheduler.start, kwargs={"paused": True})
    thread.start()
    for _ in range(100):
        if scheduler.running:
            break
        threading.Event().wait(0.05)
    scheduler.shutdown(wait=False)
    thread.join(timeout=10)


def _stored(engine: Engine) -> dict[str, dict]:
    with engine.connect() as connection:
        rows = connection.execute(select(apscheduler_jobs)).all()
    return {row.id: pickle.loads(row.job_state) for row in rows}


def test_jobs_are_stored_by_textual_reference(engine: Engine, runtime: Runtime) -> None:
    """The six jobs land in apscheduler_jobs with text references and plain arguments."""
    _start_paused(runtime, engine, Schedule(day=tomorrow(), time_limit=5))
    stored = _stored(engine)
    assert {job: state["func"] for job, state in stored.items()} == {
        "plan-next-day": "rides.scheduler.jobs:plan_next_day",
        "replan-flagged": "rides.scheduler.jobs:replan_flagged",
        "run-planning-runs": "rides.scheduler.jobs:run_planning_runs",
        "send-outbox": "rides.scheduler.jobs:send_outbox",
        "send-reminders": "rides.scheduler.jobs:send_reminders",
        "anonymise-old-trips": "rides.scheduler.jobs:anonymise_old_trips",
    }
    assert stored["plan-next-day"]["kwargs"] == {"day": tomorrow().isoformat(), "time_limit": 5}
    assert stored["plan-next-day"]["coalesce"] is True
    assert stored["plan-next-day"]["misfire_grace_time"] >= 3600


def _set_next_run(engine: Engine, job_id: str, when: dt.datetime) -> None:
    """Rewrite a stored job's next run, as if the scheduler had been down when it was due."""
    state = _stored(engine)[job_id]
    state["next_run_time"] = when
    with engine.begin() as connection:
        connection.execute(
            update(apscheduler_jobs)
            .where(apscheduler_jobs.c.id == job_id)
            .values(next_run_time=when.timestamp(), job_state=pickle.dumps(state))
        )


def test_restart_runs_a_missed_daily_run_once(
    session: Session, day: dt.date, engine: Engine, runtime: Runtime
) -> None:
    """Down at 18:00 and restarted later: the stored next run is kept (not recomputed by
    replace_existing), so the missed run fires once on start and the next is tomorrow's;
    a changed PLANNING_TIME reschedules instead of keeping it."""
    _start_paused(runtime, engine, Schedule())
    missed = (clock.now() - dt.timedelta(minutes=30)).astimezone(clock.LOCAL_TZ)
    _set_next_run(engine, "plan-next-day", missed)
    [spec] = [s for s in process.job_specs(Schedule()) if s.id == "plan-next-day"]
    assert process._kept_next_run(engine, spec) == missed
    [moved] = [s for s in process.job_specs(Schedule(planning_time=dt.time(20)))
               if s.id == "plan-next-day"]  # fmt: skip
    assert process._kept_next_run(engine, moved) is None
    scheduler = process.build_scheduler(runtime, engine, Schedule())
    thread = threading.Thread(target=scheduler.start)
    thread.start()
    try:
        for _ in range(200):
            if _versions(session, day):
                break
            threading.Event().wait(0.1)
    finally:
        scheduler.shutdown(wait=True)
        thread.join(timeout=10)
    assert _versions(session, day) == [(1, PlanStatus.PUBLISHED)]
    next_run = _stored(engine)["plan-next-day"]["next_run_time"]
    assert next_run > clock.now() and next_run.astimezone(clock.LOCAL_TZ).time() == dt.time(18)


def test_retention_job_anonymises_old_trips(
    engine: Engine, session: Session, make: Factory
) -> None:
    """The nightly job detaches trips older than the configured retention from their rider."""
    from rides.accounts.privacy import anonymous_rider

    old = make.request()
    old.date = clock.today() - dt.timedelta(days=40)
    session.commit()
    jobs.install(Runtime(sessions=make_sessionmaker(engine), retention_days=30))
    try:
        assert jobs.anonymise_old_trips() == 1
    finally:
        jobs.install(None)
    session.expire_all()
    assert old.rider_id == anonymous_rider(session).id
