"""``rural-cars plan``, ``rural-cars scheduler`` and ``rural-cars outbox send``.

Configuration keys read here (see web/config.py; the environment sets them as
``RURAL_CARS_<KEY>``): PLANNING_TIME, BOOKING_CUTOFF, SOLVER_TIME_LIMIT, REMINDER_TIME,
REPLAN_INTERVAL, OUTBOX_INTERVAL, LEASE_TTL, OUTBOX_MAX_ATTEMPTS, OUTBOX_BACKOFF, SMTP_HOST,
SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM, SMTP_STARTTLS, PUBLIC_URL, SECRET_KEY.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import sys
from typing import Any, NoReturn

import click
from flask import current_app
from flask.cli import with_appcontext

from rides import clock
from rides.booking import reminders
from rides.messaging import delivery, email_channel
from rides.messaging.sms_twilio import TwilioSms
from rides.messaging.whatsapp_cloud import WhatsAppSender, whatsapp_settings
from rides.models import Channel, DayPlan
from rides.scheduler import jobs, process
from web.commands import log_format
from web.commands.schema import require_schema
from web.config import twilio_settings
from web.database import database

DATE = click.DateTime(formats=["%Y-%m-%d"])
SECONDS = click.FloatRange(min=0, min_open=True)


def register(main: click.Group, bench: click.Group) -> None:
    """Mount the planning commands on the ``rural-cars`` group."""
    main.add_command(plan_command)
    main.add_command(scheduler_command)
    main.add_command(outbox)


@click.command("plan")
@click.option("--date", "day", type=DATE, help="Day to plan (default: tomorrow, Madrid time).")
@click.option("--publish", is_flag=True, help="Publish the plan: offers and pickup times.")
@click.option("--time-limit", type=SECONDS, help="Solver seconds (default SOLVER_TIME_LIMIT).")
@with_appcontext
def plan_command(day: dt.datetime | None, publish: bool, time_limit: float | None) -> None:
    """Plan a day by hand (and publish it) and print what the plan achieves."""
    target = _target_day(day)
    runtime = _runtime(time_limit)
    outcome = jobs.plan_under_lease(
        runtime, target, time_limit or runtime.time_limit, publish=publish
    )
    if outcome.status == "lease_held":
        _fail(f"{target} is being planned right now ({outcome.detail}); try again shortly.", 1)
    if outcome.status == "rejected" or outcome.plan is None:
        _fail(f"No plan stored for {target}: {outcome.detail}", 1)
    click.echo(summary(outcome.plan))


@click.command("scheduler")
@click.option("--interval", type=SECONDS, help="Plan every N seconds instead of daily (tests).")
@click.option("--once", is_flag=True, help="Run each job once now and exit.")
@click.option("--date", "day", type=DATE, help="Day the plan job plans (default: tomorrow).")
@click.option("--time-limit", type=SECONDS, help="Solver seconds (default SOLVER_TIME_LIMIT).")
@click.option("--lease-ttl", type=SECONDS, help="Seconds a day's lease lasts (default: derived).")
@with_appcontext
def scheduler_command(
    interval: float | None,
    once: bool,
    day: dt.datetime | None,
    time_limit: float | None,
    lease_ttl: float | None,
) -> None:
    """Run the scheduler: plan tomorrow daily, re-plan flagged days, send outbox and reminders."""
    _logging()
    runtime = _runtime(time_limit, lease_ttl)
    schedule = process.Schedule(
        planning_time=_time("PLANNING_TIME"),
        reminder_time=_time("REMINDER_TIME"),
        replan_every=float(_setting("REPLAN_INTERVAL")),
        outbox_every=float(_setting("OUTBOX_INTERVAL")),
        interval=interval,
        day=_target_day(day) if day else None,
        time_limit=time_limit,
    )
    if once:
        process.run_once(runtime, schedule)
        return
    engine = database().engine
    scheduler = process.build_scheduler(runtime, engine, schedule)
    logging.getLogger(__name__).info("scheduler %s started", runtime.holder)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)


@click.group()
def outbox() -> None:
    """Messages waiting to be delivered."""


@outbox.command("send")
@with_appcontext
def outbox_send() -> None:
    """Deliver the pending messages now on each person's channels (SMS, WhatsApp, e-mail, or
    the coordinators' listing), and say which channels are off."""
    _logging()
    runtime = _runtime(None)
    report = delivery.send_pending(runtime.sessions, runtime.delivery)
    click.echo(f"outbox: {report}")
    off = runtime.delivery.channels_off()
    if off:
        names = ", ".join(channel.value for channel in off)
        click.echo(f"channels off (not configured): {names}")


def summary(plan: DayPlan) -> str:
    """What a planner wants to know at a glance: served, unserved and why, drivers, km, time."""
    f = plan.figures
    reasons: dict[str, int] = f.get("unserved_by_reason", {})
    unserved = int(f.get("requests", 0)) - int(f.get("served", 0))
    why = ", ".join(f"{code} {n}" for code, n in sorted(reasons.items(), key=lambda i: -i[1]))
    lines = [
        f"plan for {plan.date}: version {plan.version} ({plan.status.value})",
        f"  requests      {f.get('requests', 0)}",
        f"  served        {f.get('served', 0)}",
        f"  unserved      {unserved}" + (f"  ({why})" if why else ""),
        f"  drivers used  {f.get('drivers_used', 0)} of {f.get('shifts', 0)} shifts",
        f"  distance      {int(f.get('distance_m', 0)) / 1000:.1f} km",
        f"  solve time    {float(f.get('solve_seconds', 0)):.1f} s",
        f"  travel times  {_travel_times(f)}",
    ]
    return "\n".join(lines)


def _travel_times(figures: dict[str, Any]) -> str:
    """Which travel times planned the day, with their version (older plans: not recorded)."""
    source = figures.get("travel_times") or {}
    if not source:
        return "not recorded"
    return f"{source.get('description', '?')} (version {source.get('version', '?')})"


def scheduler_runtime() -> jobs.Runtime:
    """The jobs' runtime from the current app's configuration (for a scheduler in the app)."""
    return _runtime(None)


def _runtime(time_limit: float | None, lease_ttl: float | None = None) -> jobs.Runtime:
    """The jobs' runtime from the app's configuration, once the schema is known to be there."""
    require_schema()
    db = database()
    ttl = lease_ttl or _setting("LEASE_TTL")
    return jobs.Runtime(
        sessions=db.sessions,
        cutoff=_time("BOOKING_CUTOFF"),
        time_limit=time_limit or float(_setting("SOLVER_TIME_LIMIT")),
        lease_ttl=float(ttl) if ttl else None,
        delivery=delivery_settings(),
        links=reminders.ReminderLinks(
            secret_key=str(current_app.config["SECRET_KEY"]),
            public_url=str(_setting("PUBLIC_URL")),
        ),
        retention_days=int(_setting("RETENTION_DAYS")),
    )


def delivery_settings() -> delivery.DeliverySettings:
    """The outbox's channels and retry rules from the configuration (channels unset are off)."""
    return delivery.DeliverySettings(
        smtp=smtp_settings(),
        senders=channel_senders(),
        max_attempts=int(_setting("OUTBOX_MAX_ATTEMPTS")),
        backoff=float(_setting("OUTBOX_BACKOFF")),
    )


def channel_senders() -> dict[Channel, delivery.SenderFactory]:
    """The configured channels besides e-mail, each a factory of its sender for one run."""
    senders: dict[Channel, delivery.SenderFactory] = {}
    sms = twilio_settings()
    if sms is not None:
        senders[Channel.SMS] = functools.partial(TwilioSms, sms)
    whatsapp = whatsapp_settings(current_app.config)
    if whatsapp is not None:
        senders[Channel.WHATSAPP] = functools.partial(WhatsAppSender, whatsapp)
    return senders


def smtp_settings() -> email_channel.SmtpSettings | None:
    """The SMTP settings of the configuration, or None when e-mail is off (no SMTP_HOST)."""
    host = _setting("SMTP_HOST")
    if not host:
        return None
    starttls = str(_setting("SMTP_STARTTLS")).lower() in ("1", "true", "yes", "on")
    return email_channel.SmtpSettings(
        host=str(host),
        port=int(_setting("SMTP_PORT")),
        user=_setting("SMTP_USER"),
        password=_setting("SMTP_PASSWORD"),
        sender=str(_setting("SMTP_FROM")),
        starttls=starttls,
    )


def _setting(key: str) -> Any:
    """A configuration value; web.config holds every default and reads RURAL_CARS_<KEY>."""
    value = current_app.config[key]
    return None if value == "" else value


def _time(key: str) -> dt.time:
    value = str(_setting(key))
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        _fail(f"{key} must be a time such as 18:00, not {value!r}.", 2)


def _target_day(day: dt.datetime | None) -> dt.date:
    target = day.date() if day else clock.tomorrow()
    if target < clock.today():
        _fail(f"The date {target} is in the past.", 2)
    return target


def _logging() -> None:
    log_format.configure()


def _fail(message: str, code: int) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)
