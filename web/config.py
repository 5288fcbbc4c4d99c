"""Configuration: safe defaults, then environment variables, then the caller's mapping (tests)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from rides.db import default_url, normalise_url

#: The development key; the app refuses to start in production while it is in use.
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105

DEFAULTS: dict[str, Any] = {
    "ENV_NAME": "development",
    "SECRET_KEY": DEV_SECRET_KEY,
    "DATABASE_URL": None,
    "TIMEZONE": "Europe/Madrid",
    "BOOKING_CUTOFF": "17:00",
    "PLANNING_TIME": "18:00",
    "SOLVER_TIME_LIMIT": 30.0,
    "SOLVER_MAX_TIME_LIMIT": 120.0,
    "JSON_SORT_KEYS": False,
}

#: Environment variables read, with the config key each one sets.
ENVIRONMENT = {
    "RURAL_CARS_ENV": "ENV_NAME",
    "SECRET_KEY": "SECRET_KEY",
    "RURAL_CARS_SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "DATABASE_URL",
    "RURAL_CARS_BOOKING_CUTOFF": "BOOKING_CUTOFF",
    "RURAL_CARS_PLANNING_TIME": "PLANNING_TIME",
    "RURAL_CARS_SOLVER_TIME_LIMIT": "SOLVER_TIME_LIMIT",
    "RURAL_CARS_SOLVER_MAX_TIME_LIMIT": "SOLVER_MAX_TIME_LIMIT",
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
    app.config["SOLVER_TIME_LIMIT"] = float(app.config["SOLVER_TIME_LIMIT"])
    app.config["SOLVER_MAX_TIME_LIMIT"] = float(app.config["SOLVER_MAX_TIME_LIMIT"])
    if app.config["ENV_NAME"] == "production" and app.config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise ConfigurationError(
            "Refusing to start in production with the development SECRET_KEY: "
            "set SECRET_KEY to a long random value."
        )
