"""Coordinators' pages: the day at a glance, plan and publish, phone bookings, the outbox,
people and places. Views parse the form, call one service of ``rides`` and render."""

from __future__ import annotations

from flask import Blueprint, current_app

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")


@bp.context_processor
def _menu() -> dict[str, object]:
    """Whether the reports pages are installed, for the menu."""
    return {"has_reports": "reports.month_page" in current_app.view_functions}


from web.coordinator import admin, booking, day  # noqa: E402, F401  (registers the views)
