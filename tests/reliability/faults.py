"""Fault figures: the database dies during a booking burst; the scheduler dies mid-publication.

``python -m tests.reliability.faults`` starts a PostgreSQL server of its own
(:mod:`tests.reliability.private_postgres`; the shared cluster is never touched), serves the
product on it with gunicorn (2 workers), and books distinct trips, there and back, from many
clients while the server is crashed (``pg_ctl stop -m immediate``) and started again under them.
It checks, trip by trip, that clients got 201 or a JSON 503, that every 201 is in the database,
that nothing half-written is left (no outward trip without its return), and that bookings
succeed again by themselves once
the server is back, with no restart of the app. Then it kills the scheduler (SIGKILL) in the
middle of publishing a plan, several times, and checks that no partial plan is ever left.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
from collections import Counter
from pathlib import Path

from rides.db import make_engine, make_sessionmaker
from rides.places.directory import find_municipality
from tests.databases import prepare
from tests.factories import tomorrow
from tests.reliability import scheduler_kill, seeding
from tests.reliability.burst import Attempt, burst, stored
from tests.reliability.private_postgres import PrivatePostgres, private_postgres
from tests.reliability.servers import GunicornSettings, gunicorn
from tests.reliability.table import render, verdict

PRODUCT_APP = "web:create_app({'RATELIMIT_ENABLED': False})"


def unavailable(attempt: Attempt) -> bool:
    """The answer a client should get while the database is down: 503 with a JSON error."""
    return attempt.status == 503 and attempt.json and attempt.error_code == "unavailable"


def outage_rows(attempts: list[Attempt], kept: set[tuple], up_at: float) -> list[list[object]]:
    """The booking burst's targets, each with its figure and verdict."""
    by_status = Counter(a.status for a in attempts)
    created = [a for a in attempts if a.status == 201]
    refused = [a for a in attempts if unavailable(a)]
    other = [a for a in attempts if a.status != 201 and not unavailable(a)]
    lost = [a for a in created if a.trip not in kept]
    phantom = [a for a in refused if a.trip in kept]
    back = [a for a in created if a.sent >= up_at]
    recovered_at = min((a.answered for a in back), default=None)
    after = [a for a in attempts if recovered_at is not None and a.sent > recovered_at]
    failing_after = [a for a in after if a.status != 201]
    answers = ", ".join(f"{s} x {n}" for s, n in sorted(by_status.items()))
    recovery = f"{recovered_at - up_at:.1f} s" if recovered_at is not None else "never"
    return [
        ["answers", answers, "201 or JSON 503", verdict(not other)],
        ["answered 201, missing from the database", len(lost), "0", verdict(not lost)],
        ["answered 503, stored anyway", len(phantom), "0", verdict(not phantom)],
        ["first 201 after the server is back", recovery, "by itself", verdict(bool(back))],
        ["failures after that", len(failing_after), "0", verdict(not failing_after)],
    ]


def database_burst(server: PrivatePostgres, args: argparse.Namespace, log: Path) -> list[list]:
    """Seed, serve, burst through the outage; the table rows."""
    url = server.create_database("rc_faults")
    engine = make_engine(url)
    try:
        prepare(engine, with_places=True)
        with make_sessionmaker(engine)() as session:
            people = seeding.riders(session, args.riders)
            places = tuple(find_municipality(session, c).id for c in ("19044", "19257"))  # type: ignore[union-attr]
            session.commit()
        riders = [(person.id, token) for person, token in people]
        environment = {"DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(32)}

        def database_down() -> None:
            server.stop("immediate")

        def database_up() -> None:
            server.start()

        with gunicorn(PRODUCT_APP, environment, GunicornSettings(), log=log) as base:
            attempts, done = burst(
                f"{base}/api/v1", riders, places, tomorrow(),  # type: ignore[arg-type]
                clients=args.clients, seconds=args.seconds,
                events=[(args.down_at, database_down), (args.up_at, database_up)],
            )  # fmt: skip
        kept = stored(engine, [r for r, _ in riders])
    finally:
        engine.dispose()
    half_written = kept.without_return
    rows = outage_rows(attempts, kept.trips, done["database_up"])
    rows.append(["outward trips stored without their return", half_written, "0",
                 verdict(half_written == 0)])  # fmt: skip
    print(f"database outage: {args.clients} clients booking for {args.seconds:g} s; server "
          f"crashed at {done['database_down']:.1f} s, back at {done['database_up']:.1f} s; "
          f"{len(attempts)} bookings tried, {kept.rows} stored")  # fmt: skip
    return rows


def scheduler_kills(server: PrivatePostgres, kills: int, log: Path) -> list[list]:
    """Kill the scheduler mid-publication ``kills`` times; the table rows."""
    url = server.create_database("rc_faults_scheduler")
    engine = make_engine(url)
    try:
        prepare(engine, with_places=True)
        day = scheduler_kill.prepare_day(engine)
        results, final = scheduler_kill.kill_during_publication(url, engine, day, log, kills)
    finally:
        engine.dispose()
    intact = sum(r.unchanged for r in results)
    versions = ", ".join(f"v{v} {s.value}" for v, s in final)
    return [
        [f"scheduler killed mid-publication ({kills} times): day left as before",
         f"{intact} of {kills}", "all", verdict(intact == kills)],
        ["then a restarted scheduler publishes", versions, "one published",
         verdict(scheduler_kill.published_once(final))],
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run both faults, print the table."""
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.faults", description=__doc__)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--riders", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the burst")
    parser.add_argument("--down-at", type=float, default=5.0, help="crash the server at (s)")
    parser.add_argument("--up-at", type=float, default=11.0, help="start it again at (s)")
    parser.add_argument("--kills", type=int, default=3, help="scheduler kills")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rc-faults-") as folder, private_postgres() as server:
        rows = database_burst(server, args, Path(folder) / "gunicorn.log")
        rows += scheduler_kills(server, args.kills, Path(folder) / "scheduler.log")
        print()
        print(render(["check", "figure", "goal", "verdict"], rows))
        if any(row[-1] != "met" for row in rows):
            print("\ngunicorn log (last lines):")
            print("\n".join((Path(folder) / "gunicorn.log").read_text().splitlines()[-30:]))
    return 0 if all(row[-1] == "met" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
