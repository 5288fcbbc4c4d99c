"""``rural-cars demo``: the service in one minute, from nothing, on SQLite."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

import matching
from rides import migrate
from rides.db import unit_of_work
from rides.places.directory import load_municipalities
from rides.planning.day_plans import PlanSettings, plan_day, publish_plan, published_plan
from rides.scheduler import process
from scenarios import demo as demo_data
from web import create_app
from web.commands.planning import scheduler_runtime, summary
from web.commands.serving import serve_app
from web.database import database

#: The demo's own scheduler, in the serving process: "Plan now" runs every 2 s, re-plans after
#: a decline every 10 s, the outbox every 30 s (the README says so: keep them in step).
DEMO_SCHEDULE = process.Schedule(runs_every=2.0, replan_every=10.0, outbox_every=30.0)


def start_scheduler(app: Flask, schedule: process.Schedule = DEMO_SCHEDULE) -> BackgroundScheduler:
    """Run, inside the demo, the jobs that follow what people do on its pages, so a "Plan now"
    finishes and a decline leads to a new offer without a separate ``rural-cars scheduler``."""
    with app.app_context():
        runtime = scheduler_runtime()
    # A plan outlasts the 2-second interval: APScheduler would warn of each skipped round.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    scheduler = process.in_app_scheduler(runtime, schedule)
    scheduler.start()
    return scheduler


@click.command("demo")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--fresh", is_flag=True, help="Start again from an empty demo database.")
@click.option("--no-serve", is_flag=True, help="Prepare the demo database and exit.")
@click.option("--time-limit", default=10.0, show_default=True, type=click.FloatRange(0.5, 300),
              help="The demo's SOLVER_TIME_LIMIT: seconds each plan's search takes.")  # fmt: skip
@click.option(
    "--database",
    "database_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite file of the demo (default: demo.sqlite3 in the instance folder).",
)
def demo(
    port: int,
    host: str,
    fresh: bool,
    no_serve: bool,
    time_limit: float,
    database_file: Path | None,
) -> None:
    """Create the demo database, fill and plan a day, print logins and serve the app."""
    path = (
        database_file
        or Path(Flask("web", instance_relative_config=True).instance_path) / "demo.sqlite3"
    )
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    app = create_app(
        {
            "ENV_NAME": "demo",
            "DATABASE_URL": f"sqlite:///{path}",
            "PUBLIC_URL": f"http://{host}:{port}",
            "SOLVER_TIME_LIMIT": time_limit,
        }
    )
    db = database(app)
    migrate.upgrade(db.engine)
    with unit_of_work(db.sessions) as session:
        load_municipalities(session)
        seeded = demo_data.already_seeded(session)
        logins = demo_data.demo_logins(session) if seeded else demo_data.seed(session)
    with unit_of_work(db.sessions) as session:
        day = demo_data.demo_day(session)
        plan = published_plan(session, day)
        if plan is None:
            # Compiled before the search, so that the time printed next is the time it takes:
            # the first run after an install compiles the solver (seconds to tens of seconds).
            click.echo("preparing the solver (compiled once after an install)...")
            matching.warm_up()
            click.echo(f"planning {day} (the search takes {time_limit:g} s)...")
            plan = publish_plan(
                session, plan_day(session, day, PlanSettings(time_limit=time_limit))
            )
        click.echo(summary(plan))
    click.echo(f"demo database: {path}")
    click.echo(f"logins (password: {logins.password}):")
    for role, person in (
        ("coordinator", logins.coordinator),
        ("driver", logins.driver),
        ("newcomer", logins.newcomer),
    ):
        click.echo(f"  {role:<12} {person.email}")
    if no_serve:
        return
    scheduler = start_scheduler(app)
    every = DEMO_SCHEDULE
    click.echo(
        f"scheduler in this process: Plan now every {every.runs_every:g} s, re-plans after a "
        f"decline every {every.replan_every:g} s, outbox every {every.outbox_every:g} s "
        "(no e-mail, no SMS: messages wait on the coordinators' outbox page)"
    )
    click.echo(f"serving on http://{host}:{port}/  (Ctrl+C to stop)")
    try:
        serve_app(app, host, port)
    finally:
        scheduler.shutdown(wait=False)


def register(main: click.Group, _bench: click.Group) -> None:
    """Mount the command."""
    main.add_command(demo)
