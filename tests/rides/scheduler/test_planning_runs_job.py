"""The scheduler's "Plan now" job: a queued run is executed exactly once, under the day's lease;
and the scheduler a single-process app runs (the demo's) re-plans after a decline."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from rides.db import make_sessionmaker
from rides.driving.routes import decline_route
from rides.models import DayPlan, PlanningRun, PlanStatus, RouteStatus, RunStatus
from rides.planning import runs
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan, published_plan
from rides.scheduler import jobs, leases, process
from rides.scheduler.jobs import Runtime
from tests.factories import Factory


@pytest.fixture
def runtime(engine: Engine) -> Iterator[Runtime]:
    """The jobs' runtime on the test database with a fast solver; uninstalled afterwards."""
    installed = Runtime(make_sessionmaker(engine), cutoff=dt.time(23, 59), time_limit=0.3)
    jobs.install(installed)
    yield installed
    jobs.install(None)


def _queue(session: Session, make: Factory, day: dt.date) -> int:
    run = runs.request_run(session, make.coordinator(), day, 0.3)
    session.commit()
    return run.id


def test_two_workers_at_once_execute_a_queued_run_once(
    runtime: Runtime, session: Session, make: Factory
) -> None:
    """Two scheduler threads run the job together: one plans, the other finds nothing to do."""
    day = make.small_day()
    run_id = _queue(session, make, day)
    counts: list[int] = []
    start = threading.Barrier(2)

    def worker() -> None:
        start.wait()
        counts.append(jobs.run_planning_runs())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(counts) == [0, 1]
    session.expire_all()
    assert session.get(PlanningRun, run_id).status == RunStatus.DONE
    assert [p.version for p in session.scalars(select(DayPlan))] == [1]
    assert jobs.run_planning_runs() == 0


def test_a_run_waits_while_its_day_is_planned_elsewhere(
    runtime: Runtime, session: Session, make: Factory
) -> None:
    """The day's lease is held (the daily plan, a re-plan): the run stays queued, then runs."""
    day = make.small_day()
    run_id = _queue(session, make, day)
    assert leases.acquire(runtime.sessions, jobs.lease_name(day), "other process", 60)

    assert jobs.run_planning_runs() == 0
    session.expire_all()
    assert session.get(PlanningRun, run_id).status == RunStatus.QUEUED

    leases.release(runtime.sessions, jobs.lease_name(day), "other process")
    assert jobs.run_planning_runs() == 1


def test_the_in_app_scheduler_turns_a_decline_into_a_new_offer(
    runtime: Runtime, session: Session, make: Factory
) -> None:
    """The demo's scheduler (a thread of the app's process): a driver declines, and within a
    few seconds version 2 is published and the trips are offered to the other driver."""
    day = make.small_day()
    first = publish_plan(session, plan_day(session, day, PlanSettings(time_limit=0.3)))
    (route,) = [r for r in first.routes if r.stops]
    declined_by = route.driver_id
    decline_route(session, route.driver, route.id)
    session.commit()
    schedule = process.Schedule(runs_every=0.5, replan_every=0.5, outbox_every=0.5)
    scheduler = process.in_app_scheduler(runtime, schedule)
    assert {job.id for job in scheduler.get_jobs()} == set(process.IN_APP_JOBS)
    scheduler.start()
    try:
        deadline = time.monotonic() + 30
        plan = first
        while time.monotonic() < deadline:
            session.expire_all()
            plan = published_plan(session, day) or first
            if plan.version > first.version:
                break
            time.sleep(0.2)
    finally:
        scheduler.shutdown(wait=True)
    assert plan.version == 2 and plan.status == PlanStatus.PUBLISHED
    offers = [r for r in plan.routes if r.stops and r.status == RouteStatus.OFFERED]
    assert offers and all(r.driver_id != declined_by for r in offers)
    assert sum(len(r.stops) for r in offers) == sum(len(r.stops) for r in first.routes)
