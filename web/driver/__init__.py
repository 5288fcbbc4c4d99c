"""Drivers' pages: my routes of a day, the printable sheet, calendar file, mileage, availability.

Views parse the form, call one service of ``rides`` and render."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("driver", __name__, url_prefix="/driver")


from web.driver import availability, changes, driving  # noqa: E402, F401  (registers the views)
