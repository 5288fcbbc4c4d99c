"""Concurrency figures: what only one caller may do, only one does; nothing is lost in a crowd.

``python -m tests.reliability.concurrency`` serves the product with gunicorn (2 workers) on a
scratch PostgreSQL database and fires, each time from threads released together by a barrier:
50 accepts of one route (exactly one may win: the route's version column makes the others 409),
200 distinct bookings (200 rows, no duplicate) and 50 copies of one booking (one row). The same
functions run with smaller counts in CI (tests/reliability/test_concurrency.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
import sys
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from rides.db import make_engine, make_sessionmaker
from rides.models import AuditEntry, RideRequest, Route, RouteStatus
from rides.places.directory import find_municipality
from tests.factories import tomorrow
from tests.reliability import seeding
from tests.reliability.calls import Answer, call
from tests.reliability.scratch import scratch_database
from tests.reliability.servers import GunicornSettings, gunicorn
from tests.reliability.table import render, verdict

PRODUCT_APP = "web:create_app({'RATELIMIT_ENABLED': False})"
#: Atienza, Sigüenza, Jadraque, Molina de Aragón (INE codes).
PLACES = ("19044", "19257", "19156", "19190")


@dataclass(frozen=True)
class Check:
    """One figure: what was done, what came back, what the database holds, and the verdict."""

    name: str
    answers: str
    database: str
    ok: bool


def together(count: int, action: Callable[[int], Answer]) -> list[Answer]:
    """Run ``action(i)`` for i in range(count), all threads released at the same instant."""
    barrier = threading.Barrier(count)

    def one(i: int) -> Answer:
        barrier.wait(timeout=60)
        return action(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def statuses(answers: list[Answer]) -> Counter[int]:
    """How many answers of each status."""
    return Counter(a.status for a in answers)


def describe(counts: Counter[int]) -> str:
    """``201 x 199, 409 x 1``."""
    return ", ".join(f"{status} x {n}" for status, n in sorted(counts.items()))


def accept_race(api: str, engine: Engine, route_id: int, token: str, count: int) -> Check:
    """``count`` simultaneous accepts of one route: one 200, the rest 409; accepted once."""
    answers = together(count, lambda _: call("POST", f"{api}/routes/{route_id}/accept", token))
    counts = statuses(answers)
    with make_sessionmaker(engine)() as session:
        route = session.get(Route, route_id)
        assert route is not None
        audits = session.scalar(
            select(func.count()).where(
                AuditEntry.action == RouteStatus.ACCEPTED.value,
                AuditEntry.entity == "route",
                AuditEntry.entity_id == route_id,
            )
        )
        accepted = route.status == RouteStatus.ACCEPTED
    ok = counts == Counter({200: 1, 409: count - 1}) and accepted and audits == 1
    database = f"route {route.status.value}, {audits} acceptance in the audit log"
    return Check(f"{count} parallel accepts of one route", describe(counts), database, ok)


def booking_crowd(
    api: str, engine: Engine, riders: list[tuple[int, str]], places: list[int], day: dt.date
) -> Check:
    """One distinct booking per rider, all at once: every one 201, one row each, no duplicate."""
    count = len(riders)

    def book(i: int) -> Answer:
        minutes = 7 * 60 + 5 * (i % 144)
        body = {
            "origin_id": places[i % len(places)],
            "destination_id": places[(i + 1) % len(places)],
            "date": day.isoformat(),
            "time": f"{minutes // 60:02d}:{minutes % 60:02d}",
        }
        return call("POST", f"{api}/requests", riders[i][1], body)

    counts = statuses(together(count, book))
    rows, duplicates = _rows(engine, [rider for rider, _ in riders])
    ok = counts == Counter({201: count}) and rows == count and duplicates == 0
    database = f"{rows} rows, {duplicates} duplicates"
    return Check(f"{count} parallel distinct bookings", describe(counts), database, ok)


def double_taps(
    api: str, engine: Engine, rider: tuple[int, str], places: list[int], day: dt.date, count: int
) -> Check:
    """The same trip ``count`` times at once (double taps, two coordinators): one row."""
    body = {
        "origin_id": places[0],
        "destination_id": places[1],
        "date": day.isoformat(),
        "time": "10:30",
    }
    counts = statuses(together(count, lambda _: call("POST", f"{api}/requests", rider[1], body)))
    rows, _ = _rows(engine, [rider[0]])
    ok = counts == Counter({201: 1, 409: count - 1}) and rows == 1
    return Check(f"{count} parallel copies of one booking", describe(counts), f"{rows} row", ok)


def _rows(engine: Engine, rider_ids: list[int]) -> tuple[int, int]:
    """Requests of these riders, and how many (rider, day, time, places) appear twice."""
    with engine.connect() as connection:
        mine = RideRequest.rider_id.in_(rider_ids)
        rows = connection.scalar(select(func.count()).select_from(RideRequest).where(mine))
        key = (RideRequest.rider_id, RideRequest.date, RideRequest.time, RideRequest.origin_id,
               RideRequest.destination_id)  # fmt: skip
        twice = select(*key).where(mine).group_by(*key).having(func.count() > 1).subquery()
        duplicates = connection.scalar(select(func.count()).select_from(twice))
    return int(rows or 0), int(duplicates or 0)


@dataclass(frozen=True)
class Setup:
    """A published day with one offered route, and riders with tokens, committed."""

    route_id: int
    driver_token: str
    riders: list[tuple[int, str]]
    places: list[int]
    day: dt.date


def prepare(engine: Engine, riders: int) -> Setup:
    """Seed a small published day and ``riders`` + 1 newcomers (the last for the double taps)."""
    with make_sessionmaker(engine)() as session:
        day = seeding.published_day(session, requests=12, drivers=3, time_limit=1.0)
        route = next(r for r in day.plan.routes if r.stops)
        people = seeding.riders(session, riders + 1)
        places = [find_municipality(session, code) for code in PLACES]
        session.commit()
        return Setup(
            route_id=route.id,
            driver_token=day.driver_tokens[route.driver_id],
            riders=[(person.id, token) for person, token in people],
            places=[p.id for p in places if p is not None],
            day=tomorrow() + dt.timedelta(days=2),
        )


def run_checks(api: str, engine: Engine, setup: Setup, accepts: int, taps: int) -> list[Check]:
    """Every check against the server at ``api`` (``.../api/v1``)."""
    crowd = setup.riders[:-1]
    return [
        accept_race(api, engine, setup.route_id, setup.driver_token, accepts),
        booking_crowd(api, engine, crowd, setup.places, setup.day),
        double_taps(api, engine, setup.riders[-1], setup.places, setup.day, taps),
    ]


def report(checks: list[Check], server: str) -> int:
    """Print the table; 0 when every check holds."""
    print(f"concurrency: {server}, PostgreSQL, all requests of a row released together")
    print()
    rows = [[c.name, c.answers, c.database, verdict(c.ok)] for c in checks]
    print(render(["check", "answers", "database", "verdict"], rows))
    return 0 if all(c.ok for c in checks) else 1


def main(argv: list[str] | None = None) -> int:
    """Parse the options, seed, serve with gunicorn, check."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.reliability.concurrency", description=__doc__
    )
    parser.add_argument("--accepts", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=200)
    parser.add_argument("--taps", type=int, default=50)
    args = parser.parse_args(argv)
    settings = GunicornSettings()
    with scratch_database() as url:
        engine = make_engine(url)
        try:
            setup = prepare(engine, args.bookings)
            environment = {"DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(32)}
            with gunicorn(PRODUCT_APP, environment, settings) as base:
                checks = run_checks(f"{base}/api/v1", engine, setup, args.accepts, args.taps)
        finally:
            engine.dispose()
    return report(checks, settings.describe())


if __name__ == "__main__":
    sys.exit(main())
