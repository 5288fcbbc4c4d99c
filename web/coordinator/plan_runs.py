"""A "Plan now" run as the day page's script reads it while it runs (the session's JSON)."""

from __future__ import annotations

from flask import jsonify, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from rides.models import Role
from rides.planning import runs
from web.coordinator import bp
from web.database import session
from web.login import current_person, page_requires


@bp.get("/planning-runs/<int:run_id>.json")
@page_requires(Role.COORDINATOR)
def run_status(run_id: int) -> ResponseReturnValue:
    """The run's progress, and the day page's progress box rendered for the script to show."""
    run = runs.get_run(session(), current_person(), run_id)
    box = render_template("coordinator/_plan_run.html", run=run)
    return jsonify(
        id=run.id, status=run.status.value, phase=run.phase, served=run.served,
        requests=run.requests, seconds_left=run.seconds_left, version=run.version,
        active=run.active, html=box,
    )  # fmt: skip


@bp.app_template_filter("stored_reason")
def stored_reason(reason: str | None) -> str:
    """A failed run's stored reason in the page's language when the catalogue has it (the
    fixed sentences do; a reason with the day in it shows as it was stored, in English)."""
    return gettext(reason) if reason else ""
