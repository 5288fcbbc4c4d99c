"""Load figures: booking and reading a plan under gunicorn on PostgreSQL, beside a bare insert.

``python -m tests.reliability.load`` seeds a scratch database (a generated 200-request day,
planned and published; hundreds of riders with their own tokens), serves the product and the
bare reference app (:mod:`tests.reliability.bare_app`) with the same gunicorn settings on the
same database, drives each with wrk (Debian's ``wrk``: C, loopback only, a fixed duration) at
10 and 50 concurrent connections, and prints requests per second and p50/p95/p99 latency.

Every booking is distinct (rider, day and time vary), since the same trip twice is a 409 by
design. Rate limits are switched off for the product run (``RATELIMIT_ENABLED=False``): from one
address the per-address limit would refuse almost everything, and the figure wanted is the cost
of booking itself. Afterwards every accepted booking is counted in the database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, text

from rides.db import make_engine, make_sessionmaker
from rides.models import RideRequest
from rides.places.directory import find_municipality
from tests.factories import tomorrow
from tests.reliability import bare_app, seeding
from tests.reliability.scratch import scratch_database
from tests.reliability.servers import GunicornSettings, gunicorn
from tests.reliability.table import render, verdict

SCRIPT = Path(__file__).with_name("load.lua")
#: Villages and towns bookings go between (INE codes): Atienza, Sigüenza, Jadraque, Molina,
#: Brihuega, Cifuentes.
PLACES = ("19044", "19257", "19156", "19190", "19053", "19086")
BOOKING_DAYS = 360
PRODUCT_APP = "web:create_app({'RATELIMIT_ENABLED': False})"
BARE_APP = "tests.reliability.bare_app:create_app()"
#: What each scenario answers when it succeeds.
SUCCESS = {"bare": 201, "auth": 201, "book": 201, "plan": 200}
NAMES = {
    "bare": "bare insert",
    "auth": "authenticated insert",
    "book": "booking",
    "plan": "read a day's plan",
}
MODES = tuple(NAMES)


@dataclass(frozen=True)
class Run:
    """wrk's figures for one scenario at a number of concurrent clients (one run or several
    merged): latencies are kept as a histogram of 100 us buckets so runs add up exactly."""

    mode: str
    clients: int
    requests: int
    seconds: float
    statuses: dict[int, int]
    socket_errors: int
    sent: int
    histogram: dict[int, int]

    @property
    def rps(self) -> float:
        """Completed requests per second."""
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        """The latency (ms) under which ``p`` % of the requests completed."""
        total = sum(self.histogram.values())
        if not total:
            return 0.0
        seen = 0
        for bucket in sorted(self.histogram):
            seen += self.histogram[bucket]
            if seen >= total * p / 100:
                return (bucket + 1) / 10
        return max(self.histogram) / 10

    @property
    def in_flight(self) -> int:
        """Requests sent but unanswered when wrk's clock stopped (the server still answers them)."""
        return max(0, self.sent - sum(self.statuses.values()))

    @property
    def succeeded(self) -> int:
        """Responses with the scenario's success status."""
        return self.statuses.get(SUCCESS[self.mode], 0)

    @property
    def errors(self) -> int:
        """Anything but the success status, and every connection that failed."""
        return self.requests - self.succeeded + self.socket_errors

    def __add__(self, other: Run) -> Run:
        """Two runs of the same scenario and clients as one."""
        assert (self.mode, self.clients) == (other.mode, other.clients)
        return Run(
            self.mode, self.clients, self.requests + other.requests, self.seconds + other.seconds,
            dict(Counter(self.statuses) + Counter(other.statuses)),
            self.socket_errors + other.socket_errors, self.sent + other.sent,
            dict(Counter(self.histogram) + Counter(other.histogram)),
        )  # fmt: skip


@dataclass(frozen=True)
class Target:
    """Where wrk sends one scenario's requests and with what."""

    url: str
    tokens: Path
    places: str
    plan_path: str


def run_wrk(target: Target, mode: str, clients: int, seconds: float, offset: int) -> Run:
    """Drive one scenario with wrk for ``seconds`` at ``clients`` connections (2 threads)."""
    threads = min(2, clients)
    first_day = dt.datetime.combine(tomorrow() + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    command = [
        "wrk",
        "--threads",
        str(threads),
        "--connections",
        str(clients),
        "--duration",
        f"{seconds:g}s",
        "--timeout",
        "30s",
        "--script",
        str(SCRIPT),
        target.url,
        "--",
        mode,
        str(threads),
        str(offset),
        str(target.tokens),
        str(int(first_day.timestamp())),
        str(BOOKING_DAYS),
        target.places,
        target.plan_path,
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    return Run(
        mode=mode, clients=clients, requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        statuses={int(k): v for k, v in data["statuses"].items()},
        socket_errors=data["socket_errors"], sent=data["sent"],
        histogram={int(k): v for k, v in data["hist"].items()},
    )  # fmt: skip


@dataclass
class Seeded:
    """What the scratch database holds before the first request."""

    plan_id: int
    plan_requests: int
    plan_routes: int
    plan_stops: int
    coordinator_token: str
    rider_tokens: list[str]
    place_ids: list[int]
    requests_before: int


def seed(url: str, riders: int) -> Seeded:
    """The published day and the riders, committed."""
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            day = seeding.published_day(session)
            tokens = [token for _, token in seeding.riders(session, riders)]
            places = [find_municipality(session, code) for code in PLACES]
            session.commit()
            before = session.scalar(select(func.count()).select_from(RideRequest)) or 0
            return Seeded(
                plan_id=day.plan.id,
                plan_requests=day.requests,
                plan_routes=len(day.plan.routes),
                plan_stops=sum(len(r.stops) for r in day.plan.routes),
                coordinator_token=day.coordinator_token,
                rider_tokens=tokens,
                place_ids=[p.id for p in places if p is not None],
                requests_before=before,
            )
    finally:
        engine.dispose()


def merge(runs: list[Run]) -> list[Run]:
    """One run per scenario and client count, in the order they first appear."""
    merged: dict[tuple[str, int], Run] = {}
    for run in runs:
        key = (run.mode, run.clients)
        merged[key] = merged[key] + run if key in merged else run
    return list(merged.values())


def count_rows(url: str) -> tuple[int, int]:
    """Ride requests and bare rows in the database now."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            requests = connection.scalar(select(func.count()).select_from(RideRequest)) or 0
            bare = connection.scalar(text("SELECT count(*) FROM reliability_bare_rows")) or 0
            return int(requests), int(bare)
    finally:
        engine.dispose()


def measure(args: argparse.Namespace, settings: GunicornSettings, folder: Path) -> int:
    """Seed, serve, drive every scenario, count the rows, print the tables; 0 if targets met.
    (Long on purpose: one run of the load table, step after step, each printed as it ends.)
    """
    started = time.monotonic()
    with scratch_database() as url:
        seeded = seed(url, args.riders)
        bare_app.prepare(url)
        riders_file, coordinator_file = folder / "riders.txt", folder / "coordinator.txt"
        riders_file.write_text("\n".join(seeded.rider_tokens) + "\n")
        coordinator_file.write_text(seeded.coordinator_token + "\n")
        environment = {
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_urlsafe(32),
            "RURAL_CARS_ENV": "production",
        }
        places = ",".join(map(str, seeded.place_ids))
        plan_path = f"/api/v1/plans/{seeded.plan_id}"
        log = folder / "gunicorn.log"
        with (
            gunicorn(PRODUCT_APP, environment, settings, log=log) as product,
            gunicorn(BARE_APP, environment, settings, log=log) as bare,
        ):
            targets = {
                "bare": Target(bare, riders_file, places, plan_path),
                "auth": Target(bare, riders_file, places, plan_path),
                "book": Target(product, riders_file, places, plan_path),
                "plan": Target(product, coordinator_file, places, plan_path),
            }
            runs: list[Run] = []
            offset = 0
            # Scenarios take turns in short slices, so a change in what else the machine does
            # falls on all of them alike; each scenario's slices are merged afterwards.
            plan = [(m, 10, args.warmup) for m in MODES]
            plan += [(m, c, args.seconds / args.rounds) for c in args.clients
                     for _ in range(args.rounds) for m in MODES]  # fmt: skip
            for mode, clients, seconds in plan:
                run = run_wrk(targets[mode], mode, clients, seconds, offset)
                offset += 2 * run.sent + 2  # past every number either wrk thread used
                runs.append(run)
            warmups = len(MODES)
        requests_now, bare_rows = count_rows(url)
    booked = Tally.of(runs, "book")
    inserted = Tally.of(runs, "bare", "auth")
    measured = merge(runs[warmups:])
    print(
        f"load: {settings.describe()}, PostgreSQL, wrk 2 threads, {args.seconds:g} s per "
        f"scenario and client count in {args.rounds} interleaved slices ({args.warmup:g} s "
        f"warm-up each, not shown); rate limits off for the run"
    )
    print(
        f"plan read: {seeded.plan_requests} requests, {seeded.plan_routes} routes, "
        f"{seeded.plan_stops} stops; {len(seeded.rider_tokens)} riders booking"
    )
    print()
    print(
        render(
            ["scenario", "clients", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"],
            [
                [
                    NAMES[r.mode],
                    r.clients,
                    r.requests,
                    r.rps,
                    r.percentile(50),
                    r.percentile(95),
                    r.percentile(99),
                    r.errors,
                ]
                for r in measured
            ],
        )
    )
    print()
    rows = targets_table(
        measured, booked, requests_now - seeded.requests_before, inserted, bare_rows
    )
    print(render(["target", "figure", "goal", "verdict"], rows))
    print()
    steps = ["where a booking's time goes", *(f"{c} clients" for c in args.clients)]
    print(render(steps, steps_table(measured, args.clients)))
    print(f"\n({time.monotonic() - started:.0f} s in all)")
    return 0 if all(row[-1] == "met" for row in rows) else 1


@dataclass(frozen=True)
class Tally:
    """Writes one scenario got accepted, and those still in flight when its runs stopped."""

    accepted: int
    in_flight: int

    @classmethod
    def of(cls, runs: list[Run], *modes: str) -> Tally:
        """Summed over every run of ``modes``, warm-ups included (their rows count too)."""
        chosen = [r for r in runs if r.mode in modes]
        return cls(sum(r.succeeded for r in chosen), sum(r.in_flight for r in chosen))

    def check(self, rows: int) -> tuple[str, bool]:
        """Every accepted write is a row; extra rows are in-flight requests the server finished."""
        extra = (
            f" (+{rows - self.accepted} answered after wrk stopped)" if rows > self.accepted else ""
        )
        return f"{rows} rows for {self.accepted} accepted{extra}", (
            self.accepted <= rows <= self.accepted + self.in_flight
        )


def targets_table(
    runs: list[Run], booked: Tally, booking_rows: int, inserted: Tally, bare_rows: int
) -> list[list[object]]:
    """Issue 8's targets, each with the measured figure and whether it is met."""
    rows: list[list[object]] = []
    by = {(r.mode, r.clients): r for r in runs}
    for clients in sorted({r.clients for r in runs}):
        book, bare = by.get(("book", clients)), by.get(("bare", clients))
        if book and bare:
            share = 100 * book.rps / bare.rps
            rows.append(
                [
                    f"booking / bare insert throughput, {clients} clients",
                    f"{share:.0f} %",
                    ">= 70 %",
                    verdict(share >= 70),
                ]
            )
    if ten := by.get(("book", 10)):
        rows.append(
            [
                "booking p95, 10 clients",
                f"{ten.percentile(95):.1f} ms",
                "<= 100 ms",
                verdict(ten.percentile(95) <= 100),
            ]
        )
    errors = sum(r.errors for r in runs)
    rows.append(["errors, all runs", str(errors), "0", verdict(errors == 0)])
    for name, tally, count in (
        ("bookings", booked, booking_rows),
        ("bare inserts", inserted, bare_rows),
    ):
        figure, ok = tally.check(count)
        rows.append([f"accepted {name} in the database", figure, "all", verdict(ok)])
    return rows


def steps_table(runs: list[Run], clients: list[int]) -> list[list[object]]:
    """Each step from the bare insert to a booking as a share of the step before: what
    authenticating costs, then what the booking's own work (validation, places, the trip
    insert with its indexes and foreign keys, the nested answer) costs on top."""
    by = {(r.mode, r.clients): r.rps for r in runs}
    steps = [("auth", "bare"), ("book", "auth"), ("book", "bare")]
    return [
        [f"{NAMES[top]} / {NAMES[base]}"]
        + [f"{100 * by[top, c] / by[base, c]:.0f} %" if by.get((base, c)) else "-" for c in clients]
        for top, base in steps
        if all((top, c) in by for c in clients)
    ]


def main(argv: list[str] | None = None) -> int:
    """Parse the options and measure."""
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.load", description=__doc__)
    parser.add_argument("--seconds", type=float, default=15.0, help="per scenario and clients")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved slices of it")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured run per scenario")
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--riders", type=int, default=400, help="riders (tokens) booking")
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    settings = GunicornSettings(workers=2, worker_class=args.worker_class, threads=args.threads)
    with tempfile.TemporaryDirectory(prefix="rc-load-") as folder:
        return measure(args, settings, Path(folder))


if __name__ == "__main__":
    sys.exit(main())
