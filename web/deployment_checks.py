"""What ``rural-cars check`` verifies after an install or upgrade, one line per check.

Each check answers one operator question ("will riders get their messages?") without side
effects: nothing is sent, written or migrated. A failure names the setting to change.
"""

from __future__ import annotations

import datetime as dt
import io
import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app
from limits.errors import ConfigurationError as LimitsConfigurationError
from limits.storage import storage_from_string
from sqlalchemy.exc import SQLAlchemyError

from rides import clock, migrate
from rides.locales import TRANSLATIONS_DIR
from rides.messaging import email_channel, sms_twilio
from rides.messaging.channels import SendFailed
from rides.models import UI_LANGUAGES
from rides.scheduler.heartbeat import heartbeat
from web.config import DEFAULTS, DEV_SECRET_KEY, twilio_settings
from web.database import database


@dataclass(frozen=True)
class CheckResult:
    """One line of the report: what was checked, whether it holds, and what was seen."""

    name: str
    ok: bool
    detail: str


def check_database() -> CheckResult:
    """Reachable, and at the code's schema revision."""
    try:
        current = migrate.current_revision(database().engine)
    except SQLAlchemyError as error:
        why = getattr(error, "orig", None) or error
        return CheckResult("database", False, f"cannot connect: {why}")
    head = migrate.head_revision()
    if current != head:
        return CheckResult(
            "database", False, f"at revision {current}, code at {head}: run 'rural-cars db upgrade'"
        )
    return CheckResult("database", True, f"reachable, at revision {current}")


def check_secret_key() -> CheckResult:
    key = str(current_app.config["SECRET_KEY"] or "")
    if key == DEV_SECRET_KEY:
        return CheckResult("secret key", False, "the development key: set SECRET_KEY")
    if len(key) < 32:
        return CheckResult("secret key", False, "shorter than 32 characters: set SECRET_KEY")
    return CheckResult("secret key", True, "set")


def check_public_url() -> CheckResult:
    url = str(current_app.config["PUBLIC_URL"] or "")
    if url == DEFAULTS["PUBLIC_URL"] or not url.startswith(("https://", "http://")):
        return CheckResult(
            "public URL", False, f"{url!r}: set RURAL_CARS_PUBLIC_URL to the address people use"
        )
    if not url.startswith("https://"):
        return CheckResult("public URL", False, f"{url}: links in messages need https://")
    return CheckResult("public URL", True, url)


def check_smtp() -> CheckResult:
    """Connect and authenticate as the sender would; nothing is sent."""
    from web.commands.planning import smtp_settings

    settings = smtp_settings()
    if settings is None:
        return CheckResult(
            "smtp", False, "RURAL_CARS_SMTP_HOST unset: messages only reach the outbox page"
        )
    where = f"{settings.host}:{settings.port}"
    try:
        email_channel.probe(settings)
    except (smtplib.SMTPException, OSError) as error:
        return CheckResult("smtp", False, f"{where}: {type(error).__name__}: {error}")
    how = "STARTTLS" if settings.starttls else "no TLS"
    who = f", logged in as {settings.user}" if settings.user else ""
    return CheckResult("smtp", True, f"{where} answers ({how}{who})")


def check_whatsapp() -> CheckResult:
    """Off, half set up (a credential missing), or on and accepted by Meta; nothing is sent."""
    from rides.messaging.channels import SendFailed
    from rides.messaging.whatsapp_cloud import probe, whatsapp_settings

    keys = ("TOKEN", "PHONE_NUMBER_ID", "APP_SECRET", "VERIFY_TOKEN")
    missing = [f"RURAL_CARS_WHATSAPP_{k}" for k in keys if not current_app.config[f"WHATSAPP_{k}"]]
    if len(missing) == len(keys):
        return CheckResult("whatsapp", True, "off (set RURAL_CARS_WHATSAPP_* to turn it on)")
    settings = whatsapp_settings(current_app.config)
    if missing or settings is None:
        return CheckResult("whatsapp", False, f"half configured, missing: {', '.join(missing)}")
    try:
        number = probe(settings)
    except SendFailed as error:
        return CheckResult("whatsapp", False, f"{settings.api_url}: {error.reason}")
    return CheckResult("whatsapp", True, f"on: {number} via {settings.api_url}")


def check_channels() -> CheckResult:
    """Which channels can reach people; with SMS on, Twilio accepts the account (nothing is
    sent). Channels off are named, not failed: messages then go to the next channel and, in
    the end, to the coordinators' call list."""
    from web.commands.planning import delivery_settings

    settings = delivery_settings()
    on = ", ".join(channel.value for channel in settings.channels_on())
    off = ", ".join(channel.value for channel in settings.channels_off())
    detail = f"on: {on}" + (f"; off (not configured): {off}" if off else "")
    twilio = twilio_settings()
    if twilio is not None:
        try:
            status = sms_twilio.probe(twilio)
        except SendFailed as failure:
            return CheckResult("channels", False, f"sms: {failure.reason}; {detail}")
        if status != "active":
            return CheckResult("channels", False, f"sms: Twilio account {status}; {detail}")
    return CheckResult("channels", True, detail)


def check_rate_limit_storage() -> CheckResult:
    uri = str(current_app.config["RATELIMIT_STORAGE_URI"])
    try:
        reachable = storage_from_string(uri).check()
    except (LimitsConfigurationError, ValueError, OSError) as error:
        return CheckResult("rate-limit storage", False, f"{uri}: {error}")
    if not reachable:
        return CheckResult("rate-limit storage", False, f"{uri} does not answer")
    return CheckResult("rate-limit storage", True, uri)


def check_scheduler() -> CheckResult:
    """A scheduler process has run within a few outbox intervals."""
    interval = float(current_app.config["OUTBOX_INTERVAL"])
    tolerance = dt.timedelta(seconds=2 * interval + 60)
    with database().sessions() as session:
        try:
            beat = heartbeat(session, clock.now())
        except SQLAlchemyError as error:
            why = getattr(error, "orig", None) or error
            return CheckResult("scheduler", False, f"cannot read the job table: {why}")
    if beat.next_run is None:
        return CheckResult("scheduler", False, "has never run: start 'rural-cars scheduler'")
    if not beat.fresh(tolerance):
        return CheckResult(
            "scheduler", False, f"silent for {beat.late_by}: is 'rural-cars scheduler' running?"
        )
    return CheckResult("scheduler", True, "running")


def check_translations() -> CheckResult:
    """Every language's compiled catalogue is what its source compiles to (not missing, not
    left behind by an edit of the .po file). File times prove nothing after a wheel install."""
    stale = [language for language in UI_LANGUAGES if not _compiled(language)]
    if stale:
        return CheckResult(
            "translations", False,
            f"not compiled: {', '.join(stale)}: run 'rural-cars translations compile'",
        )  # fmt: skip
    return CheckResult("translations", True, f"compiled: {', '.join(UI_LANGUAGES)}")


def _compiled(language: str) -> bool:
    folder = TRANSLATIONS_DIR / language / "LC_MESSAGES"
    mo = folder / "messages.mo"
    if not mo.exists():
        return False
    with (folder / "messages.po").open("rb") as source:
        catalogue = read_po(source, locale=language)
    expected = io.BytesIO()
    write_mo(expected, catalogue, use_fuzzy=False)
    return mo.read_bytes() == expected.getvalue()


CHECKS: tuple[Callable[[], CheckResult], ...] = (
    check_database,
    check_secret_key,
    check_public_url,
    check_smtp,
    check_channels,
    check_whatsapp,
    check_rate_limit_storage,
    check_scheduler,
    check_translations,
)


def run_checks() -> list[CheckResult]:
    """Every check, in order; one failing never hides the next."""
    return [check() for check in CHECKS]
