"""The scheduler as operators run it: real processes on a short interval, killed and restarted;
and ``rural-cars plan`` on the demo day."""

from __future__ import annotations

import datetime as dt
import re
import signal
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from rides.db import make_sessionmaker
from rides.driving.routes import decline_route
from rides.models import AuditEntry, OutboxMessage, PlanStatus, RouteStatus
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan, published_plan
from rides.scheduler import jobs, leases
from scenarios import demo
from tests.factories import Factory, tomorrow
from tests.scheduler_runs import ROOT, scheduler, versions, wait_for
from web import create_app
from web.cli import main
from web.database import database

pytestmark = pytest.mark.slow


def count(engine: Engine, query) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def plan_lines(log: Path, day: dt.date) -> list[str]:
    """What the scheduler logged about planning ``day``, one line per run of the job."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return re.findall(rf"rides\.scheduler\.jobs: plan {day}: .*", text)


@pytest.fixture
def day(make: Factory) -> dt.date:
    """Tomorrow with two drivers and three trips, committed for the child processes."""
    return make.small_day()


def test_two_schedulers_started_together_publish_the_day_once(
    db_url: str, engine: Engine, day: dt.date, tmp_path: Path
) -> None:
    """Two scheduler processes on a 2-second interval: the plan appears, published by one of
    them; round after round the other job runs skip (lease held or already up to date)."""
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    args = ("--interval", "2", "--date", day.isoformat(), "--time-limit", "0.5")
    with ExitStack() as children:
        for log in logs:
            children.enter_context(scheduler(db_url, log, *args))
        wait_for(lambda: versions(engine, day), "a published plan")
        wait_for(
            lambda: all(len(plan_lines(log, day)) >= 2 for log in logs),
            "two plan rounds in each scheduler",
        )
    assert versions(engine, day) == [(1, PlanStatus.PUBLISHED)]
    assert count(engine, select(func.count()).where(AuditEntry.action == "publish")) == 1
    lines = plan_lines(logs[0], day) + plan_lines(logs[1], day)
    assert sum("published version 1" in line for line in lines) == 1
    assert all("published" in line or "skipped" in line for line in lines)


def test_killed_during_publication_then_restarted(
    db_url: str, engine: Engine, session: Session, day: dt.date, tmp_path: Path
) -> None:
    """SIGKILL while the new version is flushed but not committed: version 1 stays the published
    plan with its outbox unchanged; a restarted scheduler (once the dead one's lease expires)
    publishes version 2."""
    first = publish_plan(session, plan_day(session, day, PlanSettings(time_limit=0.3)))
    route = next(r for r in first.routes if r.stops)
    decline_route(session, route.driver, route.id)
    session.commit()
    messages = count(engine, select(func.count()).select_from(OutboxMessage))
    log = tmp_path / "scheduler.log"
    args = ("--interval", "1", "--date", day.isoformat(), "--time-limit", "0.3")
    with scheduler(db_url, log, *args, "--lease-ttl", "2", hold_publication=60) as child:
        wait_for(lambda: "holding it open" in log.read_text(), "the publication to start")
        assert versions(engine, day) == [(1, PlanStatus.PUBLISHED)]
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert versions(engine, day) == [(1, PlanStatus.PUBLISHED)]
    assert count(engine, select(func.count()).select_from(OutboxMessage)) == messages
    with scheduler(db_url, log, *args, "--lease-ttl", "2"):
        wait_for(lambda: len(versions(engine, day)) == 2, "the restarted scheduler to publish")
    assert versions(engine, day) == [(1, PlanStatus.SUPERSEDED), (2, PlanStatus.PUBLISHED)]
    with make_sessionmaker(engine)() as check:
        plan = published_plan(check, day)
        assert plan is not None
        assert route.driver_id not in {r.driver_id for r in plan.routes}
        assert all(r.status == RouteStatus.OFFERED for r in plan.routes)


# -- rural-cars plan -------------------------------------------------------------------------


@pytest.fixture
def demo_day(session: Session) -> dt.date:
    """The demo's day: 8 drivers and about 40 requests tomorrow."""
    demo.seed(session)
    session.commit()
    return tomorrow()


def _figures(output: str) -> dict[str, int]:
    return {
        key: int(n)
        for key, n in re.findall(
            r"^\s+(requests|served|unserved|drivers used)\s+(\d+)", output, re.M
        )
    }


def test_plan_command_prints_the_summary_of_the_demo_day(app: Flask, demo_day: dt.date) -> None:
    """``plan`` drafts the day and prints requests, served, unserved by reason, drivers, km and
    solve time; ``--publish`` publishes the next version. (A day with several unserved requests
    once overflowed a 32-bit objective column on PostgreSQL: migration 0003.)"""
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["plan", "--time-limit", "0.5"])
    assert result.exit_code == 0, result.output
    assert f"plan for {demo_day}: version 1 (draft)" in result.output
    figures = _figures(result.output)
    assert figures["requests"] >= 35 and figures["served"] > 0
    assert figures["served"] + figures["unserved"] == figures["requests"]
    reasons = re.search(r"unserved\s+\d+\s+\((.*)\)", result.output)
    if figures["unserved"]:
        assert reasons is not None
        assert (
            sum(int(n) for n in re.findall(r"\b(\d+)\b", reasons.group(1))) == figures["unserved"]
        )
    assert re.search(r"drivers used\s+\d+ of 8 shifts", result.output)
    assert re.search(r"distance\s+\d+\.\d km", result.output)
    assert re.search(r"solve time\s+\d+\.\d s", result.output)
    assert re.search(r"travel times\s+travel model \(circuity .*\(version \w+\)", result.output)
    published = runner.invoke(
        main, ["plan", "--date", demo_day.isoformat(), "--publish", "--time-limit", "0.5"]
    )
    assert published.exit_code == 0, published.output
    assert "version 2 (published)" in published.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2020-01-01"], "The date 2020-01-01 is in the past."),
        (["--date", "tomorrow"], "Invalid value for '--date'"),
        (["--time-limit", "0"], "Invalid value for '--time-limit'"),
    ],
    ids=["past", "not-a-date", "zero-time"],
)
def test_plan_command_rejects_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    """A bad date or time limit is a clear message and exit status 2, before any database work."""
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"})
    result = app.test_cli_runner().invoke(main, ["plan", *args])
    database(app).engine.dispose()
    assert result.exit_code == 2
    assert message in result.output


def test_plan_command_refuses_while_the_scheduler_plans(app: Flask, demo_day: dt.date) -> None:
    """While a scheduler holds the day's lease the command says so and exits 1."""
    sessions = database(app).sessions
    assert leases.acquire(sessions, jobs.lease_name(demo_day), "scheduler:42", 60)
    result = app.test_cli_runner().invoke(main, ["plan", "--time-limit", "0.5"])
    assert result.exit_code == 1
    assert "being planned right now (held by scheduler:42)" in result.output


def test_plan_command_without_schema_says_what_to_run(tmp_path: Path) -> None:
    """On a database that was never migrated: advice to run 'db upgrade', exit 2."""
    result = subprocess.run(
        [sys.executable, "-m", "web.cli", "plan"],
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}", "PATH": "/usr/bin:/bin"},
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "rural-cars db upgrade" in result.stderr
