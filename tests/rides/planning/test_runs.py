"""Plan now in the background: queue a run, execute it while others read its progress, results
and refusals, on each database."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from rides.db import make_sessionmaker
from rides.errors import Conflict, NotFound, PermissionDenied
from rides.models import DayPlan, PlanningRun, PlanStatus, RunStatus
from rides.planning import runs
from tests.clocks import ServiceClock
from tests.factories import Factory, tomorrow


def _fresh(session: Session, run_id: int) -> PlanningRun:
    session.expire_all()
    run = session.get(PlanningRun, run_id)
    assert run is not None
    return run


def test_a_queued_run_plans_the_day_and_records_the_result(
    engine: Engine, session: Session, make: Factory
) -> None:
    """Queued -> done: version 1 is a draft, the run names it with its served counts."""
    day = make.small_day()
    carmen = make.coordinator()
    run = runs.request_run(session, carmen, day, 0.5)
    session.commit()
    assert (run.status, run.phase, run.time_limit) == (RunStatus.QUEUED, "queued", 0.5)

    status = runs.execute_run(make_sessionmaker(engine), run.id)

    assert status == RunStatus.DONE
    done = _fresh(session, run.id)
    plan = session.scalars(select(DayPlan).where(DayPlan.date == day)).one()
    assert (plan.version, plan.status) == (1, PlanStatus.DRAFT)
    assert (done.status, done.plan_id, done.phase) == (RunStatus.DONE, plan.id, "")
    assert (done.requests_count, done.served_count) == (3, plan.figures["served"]) == (3, 3)
    seen = runs.get_run(session, carmen, run.id)
    assert (seen.version, seen.active, seen.recent, seen.error) == (1, False, True, None)


def test_progress_is_readable_while_the_plan_is_made(
    engine: Engine, session: Session, make: Factory
) -> None:
    """Another session sees the run running, in the solving phase with seconds left, before
    the plan's own transaction commits."""
    day = make.small_day()
    carmen = make.coordinator()
    run = runs.request_run(session, carmen, day, 2.0)
    session.commit()
    worker = threading.Thread(target=runs.execute_run, args=(make_sessionmaker(engine), run.id))
    worker.start()
    seen: list[runs.RunProgress] = []
    try:
        while worker.is_alive():
            session.expire_all()
            progress = runs.get_run(session, carmen, run.id)
            seen.append(progress)
            session.rollback()
            worker.join(0.1)
    finally:
        worker.join(30)
    solving = [p for p in seen if p.status == RunStatus.RUNNING and p.phase == "solving"]
    assert solving, [(p.status, p.phase) for p in seen]
    assert all(p.requests == 3 and p.seconds_left is not None for p in solving)
    assert solving[0].seconds_left <= 2
    assert _fresh(session, run.id).status == RunStatus.DONE


def test_a_second_run_of_the_same_day_is_refused_while_one_is_under_way(
    session: Session, make: Factory
) -> None:
    """Queued or running, the day gets no second run; another day does; once done, again."""
    carmen = make.coordinator()
    first = runs.request_run(session, carmen, tomorrow(), 1.0)
    with pytest.raises(Conflict) as refused:
        runs.request_run(session, carmen, tomorrow(), 1.0)
    assert refused.value.code == "planning_in_progress"
    first.status = RunStatus.RUNNING
    first.started_at = first.created_at
    with pytest.raises(Conflict):
        runs.request_run(session, carmen, tomorrow(), 1.0)
    runs.request_run(session, carmen, tomorrow() + dt.timedelta(days=1), 1.0)
    first.status = RunStatus.DONE
    assert runs.request_run(session, carmen, tomorrow(), 1.0).status == RunStatus.QUEUED


def test_only_coordinators_ask_for_and_read_runs(session: Session, make: Factory) -> None:
    """A driver is refused both; an unknown run is NotFound."""
    run = runs.request_run(session, make.coordinator(), tomorrow(), 1.0)
    driver = make.driver()
    with pytest.raises(PermissionDenied):
        runs.request_run(session, driver, tomorrow() + dt.timedelta(days=1), 1.0)
    with pytest.raises(PermissionDenied):
        runs.get_run(session, driver, run.id)
    with pytest.raises(NotFound):
        runs.get_run(session, make.coordinator(), run.id + 1000)


def test_a_failed_run_records_a_plain_reason_and_keeps_the_plans(
    engine: Engine, session: Session, make: Factory
) -> None:
    """Nothing to plan: the run fails with the service's sentence; no plan is stored."""
    carmen = make.coordinator()
    run = runs.request_run(session, carmen, tomorrow(), 0.5)
    session.commit()

    assert runs.execute_run(make_sessionmaker(engine), run.id) == RunStatus.FAILED

    session.expire_all()
    failed = runs.get_run(session, carmen, run.id)
    assert failed.status == RunStatus.FAILED and not failed.active
    assert failed.error == f"Nothing to plan on {tomorrow()}: no open request and no shift."
    assert session.scalars(select(DayPlan)).all() == []


def test_an_unexpected_error_is_logged_not_shown(
    engine: Engine, session: Session, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in planning fails the run with a plain sentence; the traceback goes to the log."""
    day = make.small_day()
    run = runs.request_run(session, make.coordinator(), day, 0.5)
    session.commit()

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(runs.day_plans, "plan_day", broken)
    assert runs.execute_run(make_sessionmaker(engine), run.id) == RunStatus.FAILED
    failed = _fresh(session, run.id)
    assert failed.error == runs.UNEXPECTED and "division" not in failed.error


def test_a_run_is_executed_once(engine: Engine, session: Session, make: Factory) -> None:
    """A second worker finds the run claimed and does nothing."""
    day = make.small_day()
    run = runs.request_run(session, make.coordinator(), day, 0.3)
    session.commit()
    factory = make_sessionmaker(engine)
    assert runs.execute_run(factory, run.id) == RunStatus.DONE
    assert runs.execute_run(factory, run.id) is None
    assert len(session.scalars(select(DayPlan)).all()) == 1


def test_a_run_whose_worker_died_is_failed_so_the_day_can_be_planned_again(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """Running for longer than a lease lasts: the next request fails it and queues anew."""
    carmen = make.coordinator()
    service_clock.at(tomorrow() - dt.timedelta(days=1), 9)
    stuck = runs.request_run(session, carmen, tomorrow(), 1.0)
    stuck.status, stuck.started_at = RunStatus.RUNNING, service_clock.now()
    session.flush()
    service_clock.advance(seconds=60)
    with pytest.raises(Conflict):
        runs.request_run(session, carmen, tomorrow(), 1.0)
    progress = runs.get_run(session, carmen, stuck.id)
    assert progress.seconds_left == 0
    service_clock.advance(seconds=runs.stale_after(1.0).total_seconds())

    again = runs.request_run(session, carmen, tomorrow(), 1.0)

    assert again.status == RunStatus.QUEUED
    assert (stuck.status, stuck.error) == (RunStatus.FAILED, runs.STOPPED)


def test_a_run_waiting_long_says_so(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """Queued for more than a minute: the page can ask whether a scheduler is running."""
    service_clock.at(tomorrow() - dt.timedelta(days=1), 9)
    carmen = make.coordinator()
    run = runs.request_run(session, carmen, tomorrow(), 1.0)
    assert not runs.get_run(session, carmen, run.id).waiting_long
    service_clock.advance(seconds=61)
    assert runs.get_run(session, carmen, run.id).waiting_long
