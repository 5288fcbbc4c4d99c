"""The scheduler killed (SIGKILL) while a new plan version is flushed but not committed.

Re-measures what tests/web/test_scheduler_process.py checks once, several times over: after
each kill the day still has exactly its previous published plan, with the same routes, stops,
outbox messages and request statuses; a scheduler started afterwards publishes the new version.
"""

from __future__ import annotations

import datetime as dt
import signal
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select

from rides.db import make_sessionmaker
from rides.driving.routes import decline_route
from rides.models import OutboxMessage, PlanStatus, RideRequest, Route, Stop
from tests.reliability import seeding
from tests.scheduler_runs import scheduler, versions, wait_for

TIMEOUT = 60.0


@dataclass(frozen=True)
class KillResult:
    """One kill: whether the day was left exactly as before, and what it looked like."""

    before: tuple[object, ...]
    after: tuple[object, ...]

    @property
    def unchanged(self) -> bool:
        return self.before == self.after


def snapshot(engine: Engine, day: dt.date) -> tuple[object, ...]:
    """Plan versions and statuses, routes, stops, outbox messages, request statuses."""
    with make_sessionmaker(engine)() as session:
        count = lambda model: session.scalar(select(func.count()).select_from(model))  # noqa: E731
        statuses = tuple(session.scalars(select(RideRequest.status).order_by(RideRequest.id)))
        return (tuple(versions(engine, day)), count(Route), count(Stop), count(OutboxMessage),
                statuses)  # fmt: skip


def prepare_day(engine: Engine) -> dt.date:
    """A published day with one declined route, so the scheduler wants to re-plan it."""
    with make_sessionmaker(engine)() as session:
        day = seeding.published_day(session, requests=12, drivers=3, time_limit=0.5)
        route = next(r for r in day.plan.routes if r.stops)
        decline_route(session, route.driver, route.id)
        session.commit()
        return day.plan.date


def kill_during_publication(
    url: str, engine: Engine, day: dt.date, log: Path, kills: int
) -> tuple[list[KillResult], list[tuple[int, PlanStatus]]]:
    """Kill the scheduler ``kills`` times at the publication's commit point, then let one
    finish; the results of each kill and the day's plan versions at the end."""
    args = ("--interval", "1", "--date", day.isoformat(), "--time-limit", "0.3",
            "--lease-ttl", "2")  # fmt: skip
    results = []
    for n in range(kills):
        before = snapshot(engine, day)
        with scheduler(url, log, *args, hold_publication=60) as child:
            held = n + 1
            wait_for(
                lambda: log.read_text().count("holding it open") >= held,  # noqa: B023
                "publication",
                TIMEOUT,
            )
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
        results.append(KillResult(before, snapshot(engine, day)))
    with scheduler(url, log, *args):
        wait_for(
            lambda: len(versions(engine, day)) >= 2, "a restarted scheduler to publish", TIMEOUT
        )
    return results, versions(engine, day)


def published_once(final: list[tuple[int, PlanStatus]]) -> bool:
    """Exactly one published version, the newest, the older ones superseded."""
    published = [v for v, status in final if status == PlanStatus.PUBLISHED]
    return published == [max(v for v, _ in final)] and all(
        status == PlanStatus.SUPERSEDED for v, status in final if v != published[0]
    )
