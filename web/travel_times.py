"""Start-up wiring of the ``TRAVEL_TIMES`` setting: every plan the app makes reads it."""

from __future__ import annotations

from flask import Flask

from rides.planning.travel_source import use_travel_times
from web.config import ConfigurationError
from web.database import database


def init_app(app: Flask) -> None:
    """Make the configured travel times geo's default; a bad setting stops the start-up.

    Raises:
        ConfigurationError: the setting names no source, or its file is missing or broken.
    """
    setting = str(app.config.get("TRAVEL_TIMES") or "model")
    try:
        app.extensions["travel_times"] = use_travel_times(database(app).sessions, setting)
    except ValueError as error:
        database(app).engine.dispose()
        raise ConfigurationError(f"TRAVEL_TIMES={setting!r}: {error}") from error
