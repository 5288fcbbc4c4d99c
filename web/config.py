"""Configuration: safe defaults, then environment variables, then the caller's mapping (tests)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app

from rides.db import default_url, normalise_url
from rides.planning.day_plans import DEFAULT_TIME_LIMIT

#: The development key; the app refuses to start in production while it is in use.
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105

DEFAULTS: dict[str, Any] = {
    "ENV_NAME": "development",
    "SECRET_KEY": DEV_SECRET_KEY,
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
    # The solver.
    "SOLVER_TIME_LIMIT": DEFAULT_TIME_LIMIT,
    "SOLVER_MAX_TIME_LIMIT": 120.0,
    # Notifications: e-mail only when SMTP_HOST is set; the coordinators' outbox page always.
    "SMTP_HOST": None,
    "SMTP_PORT": 587,
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "SMTP_FROM": "rural-cars@localhost",
    "SMTP_STARTTLS": True,
    "OUTBOX_MAX_ATTEMPTS": 5,
    "OUTBOX_BACKOFF": 60,
    # Rate limits: "memory://" per process, "redis://127.0.0.1:6379" shared by all workers.
    "RATELIMIT_STORAGE_URI": "memory://",
    # Map tiles, only when a deployment has a tile server (the default draws no background).
    "MAP_TILES_URL": None,
    "MAP_TILES_ORIGIN": None,
    "GEOCODER": None,
    # What the GTFS-Flex feed tells journey planners.
    "COORDINATOR_PHONE": "+34 949 000 000",
    "AGENCY_NAME": "rural-cars",
    "JSON_SORT_KEYS": False,
}

#: Read from the environment as RURAL_CARS_<KEY>; these also under their common bare names.
BARE_NAMES = ("SECRET_KEY", "DATABASE_URL")
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
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = default_url(app.instance_path)
    app.config["DATABASE_URL"] = normalise_url(app.config["DATABASE_URL"])
    for key, default in DEFAULTS.items():
        value = app.config[key]
        if isinstance(default, bool) and isinstance(value, str):
            app.config[key] = value.strip().lower() in ("1", "true", "yes", "on")
        elif isinstance(default, int | float) and isinstance(value, str) and value.strip():
            app.config[key] = type(default)(value)
    if app.config["ENV_NAME"] == "production" and app.config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise ConfigurationError(
            "Refusing to start in production with the development SECRET_KEY: "
            "set SECRET_KEY to a long random value."
        )


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
