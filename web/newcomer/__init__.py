"""Newcomers' pages: "My rides", "I need a ride" on one page, cancelling a trip.

Views parse the form, call one service of ``rides`` and render."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("newcomer", __name__, url_prefix="/newcomer")


from web.newcomer import trips  # noqa: E402, F401  (registers the views)
