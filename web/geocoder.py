"""Start-up wiring of the ``GEOCODER`` setting: the geocoder the new-stop page searches with."""

from __future__ import annotations

from flask import Flask, current_app

from geo.geocoding import Geocoder
from rides.places.geocode_cache import make_geocoder
from web.config import ConfigurationError


def init_app(app: Flask) -> None:
    """Make the configured geocoder once (None when off); a bad setting stops the start-up.

    Raises:
        ConfigurationError: the setting names no geopy service, its URL is not http(s), or
            the timeout is not a positive number.
    """
    setting = app.config.get("GEOCODER") or None
    try:
        timeout = float(app.config["GEOCODER_TIMEOUT"])
        if not timeout > 0:
            raise ValueError("the timeout must be a positive number of seconds")
        app.extensions["geocoder"] = make_geocoder(
            setting, user_agent=str(app.config["GEOCODER_USER_AGENT"]), timeout=timeout
        )
    except ValueError as error:
        raise ConfigurationError(f"GEOCODER={setting!r}: {error}") from error


def geocoder() -> Geocoder | None:
    """The app's geocoder, None when the address search is off."""
    found: Geocoder | None = current_app.extensions.get("geocoder")
    return found
