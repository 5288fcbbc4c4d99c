"""Configuration: safe defaults, then environment variables, then the caller's mapping (tests)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from rides.db import default_url, normalise_url
from rides.messaging.sms_twilio import TwilioSettings
from rides.messaging.whatsapp_cloud import DEFAULT_API_URL as WHATSAPP_API_URL
from rides.planning.day_plans import DEFAULT_TIME_LIMIT

#: The development key: signs nothing outside the demo and the tests (``TESTING``).
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105

#: The accepted values of RURAL_CARS_ENV; anything else is a startup error, not "development".
ENV_NAMES = ("development", "demo", "production")

#: Where a run without a configured SECRET_KEY keeps the random key it made (instance folder).
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name

DEFAULTS: dict[str, Any] = {
    "ENV_NAME": "development",
    "SECRET_KEY": None,
    "INSTANCE_PATH": None,
    "DATABASE_URL": None,
    "PUBLIC_URL": "http://127.0.0.1:5000",
    "TIMEZONE": "Europe/Madrid",
    # The day's flow (local times, Europe/Madrid).
    "BOOKING_CUTOFF": "17:00",
    "PLANNING_TIME": "18:00",
    "REMINDER_TIME": "19:00",
    "REPLAN_INTERVAL": 60,
    "OUTBOX_INTERVAL": 60,
    "LEASE_TTL": None,
    "RETENTION_DAYS": 365,
    # Days an invitation link works (a "forgot password" link: one day).
    "INVITATION_DAYS": 7,
    # The solver.
    "SOLVER_TIME_LIMIT": DEFAULT_TIME_LIMIT,
    "SOLVER_MAX_TIME_LIMIT": 120.0,
    # Where travel times come from: "model" (embedded), "model:PATH" (calibrated), a matrix
    # file ("file:PATH" or a .npz/.csv path), or a routing engine ("osrm:URL", "valhalla:URL").
    "TRAVEL_TIMES": "model",
    # Notifications: e-mail only when SMTP_HOST is set; the coordinators' outbox page always.
    "SMTP_HOST": None,
    "SMTP_PORT": 587,
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "SMTP_FROM": "rural-cars@localhost",
    "SMTP_STARTTLS": True,
    # WhatsApp Business Cloud API: off unless the token and phone number id are set; the
    # webhook needs the app secret (signatures) and the verify token (Meta's URL check).
    "WHATSAPP_TOKEN": None,
    "WHATSAPP_PHONE_NUMBER_ID": None,
    "WHATSAPP_APP_SECRET": None,
    "WHATSAPP_VERIFY_TOKEN": None,
    "WHATSAPP_API_URL": WHATSAPP_API_URL,
    "WHATSAPP_TIMEOUT": 15.0,
    # SMS through Twilio: on when the account, its token and a sender (a number or a
    # Messaging Service) are set; also read as the bare TWILIO_* names.
    "TWILIO_ACCOUNT_SID": None,
    "TWILIO_AUTH_TOKEN": None,
    "TWILIO_FROM": None,
    "TWILIO_MESSAGING_SERVICE_SID": None,
    "TWILIO_API_URL": "https://api.twilio.com",
    "TWILIO_TIMEOUT": 15.0,
    "OUTBOX_MAX_ATTEMPTS": 5,
    "OUTBOX_BACKOFF": 60,
    # Rate limits: "memory://" per process, "redis://127.0.0.1:6379" shared by all workers.
    "RATELIMIT_STORAGE_URI": "memory://",
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none).
    "PROXY_HOPS": 0,
    # Bounded requests: bytes a request body may have (413 above) and JSON nesting (422 above).
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "MAX_JSON_DEPTH": 32,
    # Map tiles, only when a deployment has a tile server (the default draws no background).
    "MAP_TILES_URL": None,
    "MAP_TILES_ORIGIN": None,
    # Addresses of new named stops: off (None), a geopy service ("nominatim") or a service and
    # its server ("nominatim:https://nominatim.example.org"); see docs/operations.md.
    "GEOCODER": None,
    "GEOCODER_USER_AGENT": "rural-cars",
    "GEOCODER_TIMEOUT": 5.0,
    # What the GTFS-Flex feed tells journey planners.
    "COORDINATOR_PHONE": "+34 949 000 000",
    "AGENCY_NAME": "rural-cars",
    "JSON_SORT_KEYS": False,
}

#: Read from the environment as RURAL_CARS_<KEY>; these also under their common bare names.
BARE_NAMES = (
    "SECRET_KEY",
    "DATABASE_URL",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_FROM",
    "TWILIO_MESSAGING_SERVICE_SID",
    "TWILIO_API_URL",
)
ENVIRONMENT = {f"RURAL_CARS_{key}": key for key in DEFAULTS} | {
    "RURAL_CARS_ENV": "ENV_NAME",
    **{name: name for name in BARE_NAMES},
}


class ConfigurationError(RuntimeError):
    """The app cannot start safely with this configuration."""


def load(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill ``app.config`` in order of precedence and check it."""
    app.config.update(DEFAULTS)
    for variable, key in ENVIRONMENT.items():
        if variable in os.environ:
            app.config[key] = os.environ[variable]
    if overrides:
        app.config.update(overrides)
    if app.config["INSTANCE_PATH"]:
        app.instance_path = str(app.config["INSTANCE_PATH"])
    check_env_name(app.config["ENV_NAME"])
    if not app.config["DATABASE_URL"]:
        if app.config["ENV_NAME"] == "production":
            raise ConfigurationError(
                "DATABASE_URL is not set: production needs its database named, e.g. "
                "DATABASE_URL=postgresql://rides@127.0.0.1/rides (the embedded SQLite file is "
                "for the demo and development)."
            )
        app.config["DATABASE_URL"] = default_url(app.instance_path)
    app.config["DATABASE_URL"] = normalise_url(app.config["DATABASE_URL"])
    for key, default in DEFAULTS.items():
        app.config[key] = typed_setting(key, app.config[key], default)
    app.config["SECRET_KEY"] = secret_key(app)


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
#: Settings that are a local wall-clock time, HH:MM.
TIME_SETTINGS = ("BOOKING_CUTOFF", "PLANNING_TIME", "REMINDER_TIME")


def typed_setting(key: str, value: Any, default: Any) -> Any:
    """A setting read as text turned into the type of its default, or a start-up error that
    names the variable, the value and what is accepted (never a silent "off")."""
    if not isinstance(value, str):
        return value
    variable = f"RURAL_CARS_{key}"
    text = value.strip()
    if isinstance(default, bool):
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        words = "/".join(TRUE_WORDS + FALSE_WORDS)
        raise ConfigurationError(f"{variable}={value!r}: use one of {words}.")
    if isinstance(default, int | float) and text:
        try:
            return type(default)(text)
        except ValueError:
            kind = "a whole number" if isinstance(default, int) else "a number"
            raise ConfigurationError(f"{variable}={value!r}: {kind} is expected.") from None
    if key in TIME_SETTINGS:
        try:
            dt.time.fromisoformat(text)
        except ValueError:
            raise ConfigurationError(
                f"{variable}={value!r}: a local time such as 18:00 is expected."
            ) from None
    return value


def check_env_name(name: str) -> None:
    """Refuse an unknown environment name: "prod" or "Production" must not quietly mean
    "development" (and with it a weaker configuration)."""
    if name not in ENV_NAMES:
        allowed = ", ".join(ENV_NAMES)
        raise ConfigurationError(
            f"RURAL_CARS_ENV={name!r} is not a known environment; use one of: {allowed}."
        )


def secret_key(app: Flask) -> str:
    """The key that signs sessions and reminder links, failing closed.

    The key in the source signs only the demo and the tests; everywhere else it is refused.
    Without a configured key a run uses a random key made once and kept in the instance
    folder (owner-only), so sessions survive restarts and the key is never guessable.
    """
    configured = app.config["SECRET_KEY"]
    source_key_allowed = app.config["ENV_NAME"] == "demo" or bool(app.config.get("TESTING"))
    if configured:
        if configured == DEV_SECRET_KEY and not source_key_allowed:
            raise ConfigurationError(
                "Refusing to start with the development SECRET_KEY outside the demo: "
                "set SECRET_KEY to a long random value, or leave it unset to use a key "
                "kept in the instance folder."
            )
        return str(configured)
    if source_key_allowed:
        return DEV_SECRET_KEY
    return instance_secret_key(Path(app.instance_path) / SECRET_KEY_FILE)


def instance_secret_key(path: Path) -> str:
    """Read the key kept at ``path``, making it first if there is none.

    Written to a private temporary file and linked into place, so concurrent workers starting
    together all end up reading the same complete key; a key file others can read is refused.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
            with contextlib.suppress(FileExistsError):  # another worker was first: use theirs
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigurationError(
            f"The secret key file {path} can be read by others (mode {mode:o}): "
            f"run 'chmod 600 {path}'."
        )
    key = path.read_text().strip()
    if len(key) < 32:
        raise ConfigurationError(f"The secret key file {path} is too short; delete it to renew.")
    return key


def solver_time_limit(requested: float | None = None) -> float:
    """Seconds a plan asked for in the app may take: the request's (else the configured
    default), never above the configured maximum, so a web request cannot hold a worker."""
    config = current_app.config
    wanted = requested or config["SOLVER_TIME_LIMIT"]
    return min(float(wanted), float(config["SOLVER_MAX_TIME_LIMIT"]))


def booking_cutoff(app: Flask | None = None) -> dt.time:
    """The configured local time after which a booking for tomorrow comes too late."""
    config = (app or current_app).config
    return dt.time.fromisoformat(str(config["BOOKING_CUTOFF"]))


def planning_time(app: Flask | None = None) -> dt.time:
    """The configured local time at which the evening's planning run plans the next day."""
    config = (app or current_app).config
    return dt.time.fromisoformat(str(config["PLANNING_TIME"]))


#: Where Twilio posts delivery receipts and replies (web/sms_webhooks.py), under PUBLIC_URL.
TWILIO_STATUS_PATH = "/webhooks/twilio/sms/status"
TWILIO_INBOUND_PATH = "/webhooks/twilio/sms/inbound"


def twilio_settings(app: Flask | None = None) -> TwilioSettings | None:
    """The SMS channel's settings, or None when SMS is off (account, token or sender unset)."""
    config = (app or current_app).config
    account, token = config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"]
    sender, service = config["TWILIO_FROM"], config["TWILIO_MESSAGING_SERVICE_SID"]
    if not (account and token and (sender or service)):
        return None
    return TwilioSettings(
        account_sid=str(account),
        auth_token=str(token),
        sender=str(sender) if sender else None,
        messaging_service_sid=str(service) if service else None,
        api_url=str(config["TWILIO_API_URL"] or DEFAULTS["TWILIO_API_URL"]),
        status_callback=str(config["PUBLIC_URL"]).rstrip("/") + TWILIO_STATUS_PATH,
        timeout=float(config["TWILIO_TIMEOUT"]),
    )


def invitation_lifetime(app: Flask | None = None) -> dt.timedelta:
    """How long an invitation link works (INVITATION_DAYS, at least one day)."""
    app = app or current_app
    return dt.timedelta(days=max(1, int(app.config["INVITATION_DAYS"])))
