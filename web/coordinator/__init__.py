"""Coordinators' pages: the day at a glance, plan and publish, phone bookings, the outbox,
people and places. Views parse the form, call one service of ``rides`` and render."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")


from web.coordinator import admin, booking, changes, day, people, plan_runs, replies  # noqa: E402, F401  (registers the views)
