"""Fuzzing figures: schemathesis over every operation of the OpenAPI document, as each role.

``python -m tests.reliability.fuzz`` seeds a scratch PostgreSQL database with a published day
(routes, stops, requests), then runs :func:`tests.web.fuzzing.fuzz` -- positive and negative
generated cases for every operation, every response validated against the document -- as a
newcomer, a driver and a coordinator in turn, since each role takes different code paths.
It counts server errors (5xx) and schema violations; both must be 0.

Two things are held still so the run measures the API and not its own side effects:
rate limits are off (from one address they would answer 429 to most of the run; the limits
have their own tests in tests/web/test_limits.py), and the caller's token and account are
restored before each request (a generated sign-out or erasure would otherwise turn the rest of
the run into 401s).
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import Engine, update

from rides.accounts.signin import issue_token
from rides.db import make_engine, make_sessionmaker
from rides.models import ApiToken, Person
from tests.reliability import seeding
from tests.reliability.scratch import scratch_database
from tests.reliability.table import render, verdict
from tests.web.fuzzing import FuzzReport, fuzz
from web import create_app
from web.database import database

#: Operations x 2 modes x examples x 3 roles: 34 x 2 x 15 x 3 cases at most (some operations
#: have fewer distinct inputs than that); comfortably over issue 8's 2,000.
EXAMPLES = 15


@dataclass(frozen=True)
class Caller:
    """A role to fuzz as: its token, and the rows to restore before each request."""

    role: str
    token: str
    token_id: int
    person_id: int


class RestoringCredentials:
    """WSGI middleware: before each request, the caller's token and account work again."""

    def __init__(self, app: Flask, engine: Engine, caller: Caller) -> None:
        self.app = app
        self.engine = engine
        self.caller = caller

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with self.engine.begin() as connection:
            connection.execute(
                update(ApiToken).where(ApiToken.id == self.caller.token_id).values(revoked_at=None)
            )
            connection.execute(
                update(Person).where(Person.id == self.caller.person_id).values(active=True)
            )
        return self.app(environ, start_response)


def seed(engine: Engine, requests: int = 30, drivers: int = 5) -> list[Caller]:
    """A published day; a newcomer with a trip in it, that trip's driver and a coordinator,
    each with a token of their own."""
    with make_sessionmaker(engine)() as session:
        day = seeding.published_day(session, requests=requests, drivers=drivers, time_limit=1.0)
        route = next(r for r in day.plan.routes if r.stops)
        coordinator = session.get(Person, day.coordinator_id)
        assert coordinator is not None
        people = {
            "newcomer": route.stops[0].request.rider,
            "driver": route.driver,
            "coordinator": coordinator,
        }
        callers = []
        for role, person in people.items():
            secret, token = issue_token(session, person, "fuzz")
            callers.append(Caller(role, secret, token.id, person.id))
        session.commit()
        return callers


def make_app(url: str) -> Flask:
    """The product app as the fuzzer sees it: PostgreSQL, short solver runs, no rate limits."""
    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SOLVER_TIME_LIMIT": 0.5,
            "SOLVER_MAX_TIME_LIMIT": 0.5,
            "RATELIMIT_ENABLED": False,
        }
    )


def run(
    app: Flask, engine: Engine, callers: Iterable[Caller], examples: int
) -> dict[str, tuple[FuzzReport, float]]:
    """Fuzz as each caller; the report of each role by name."""
    reports: dict[str, tuple[FuzzReport, float]] = {}
    for caller in callers:
        wrapped = RestoringCredentials(app, engine, caller)
        headers = {"Authorization": f"Bearer {caller.token}"}
        started = time.monotonic()
        report = fuzz(wrapped, headers, examples)  # type: ignore[arg-type]
        reports[caller.role] = (report, time.monotonic() - started)
    return reports


def print_report(reports: dict[str, tuple[FuzzReport, float]], examples: int) -> int:
    """The table by role, the first failures, the verdicts; 0 when there were none."""
    rows: list[list[object]] = []
    for role, (report, seconds) in reports.items():
        by_class = {k: sum(n for s, n in report.by_status.items() if s // 100 == k) for k in (2, 4)}
        rows.append([role, report.requests, by_class[2], by_class[4], len(report.server_errors),
                     len(report.violations), seconds])  # fmt: skip
    total = sum(r.requests for r, _ in reports.values())
    errors = sum(len(r.server_errors) for r, _ in reports.values())
    violations = sum(len(r.violations) for r, _ in reports.values())
    ok = sum(sum(n for s, n in r.by_status.items() if s // 100 == 2) for r, _ in reports.values())
    refused = sum(
        sum(n for s, n in r.by_status.items() if s // 100 == 4) for r, _ in reports.values()
    )
    rows.append(["all", total, ok, refused, errors, violations,
                 sum(s for _, s in reports.values())])  # fmt: skip
    print(f"fuzz: schemathesis, positive and negative cases, up to {examples} per operation "
          f"and mode, PostgreSQL, rate limits off")  # fmt: skip
    print()
    print(render(["role", "requests", "2xx", "4xx", "5xx", "violations", "seconds"], rows))
    for role, (report, _) in reports.items():
        for failure in report.server_errors[:3] + report.violations[:3]:
            print(f"  - as {role}: {failure}")
    print()
    targets = [
        ["generated requests", total, ">= 2,000", verdict(total >= 2000)],
        ["server errors", errors, "0", verdict(errors == 0)],
        ["schema violations", violations, "0", verdict(violations == 0)],
    ]
    print(render(["target", "figure", "goal", "verdict"], targets))
    return 0 if all(t[-1] == "met" for t in targets) else 1


def main(argv: list[str] | None = None) -> int:
    """Parse the options, seed, fuzz as each role, print."""
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.fuzz", description=__doc__)
    parser.add_argument("--examples", type=int, default=EXAMPLES)
    args = parser.parse_args(argv)
    with scratch_database() as url:
        engine = make_engine(url)
        app = make_app(url)
        try:
            reports = run(app, engine, seed(engine), args.examples)
        finally:
            database(app).engine.dispose()
            engine.dispose()
    return print_report(reports, args.examples)


if __name__ == "__main__":
    sys.exit(main())
