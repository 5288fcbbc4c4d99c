"""Plan now through the API: queue a planning of a day (202), then read its progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import url_for
from marshmallow import Schema, fields

from rides.errors import ValidationError
from rides.models import Role, RunStatus
from rides.planning import runs
from web.api.auth import current_person, requires
from web.api.blueprint import Blueprint
from web.api.schemas import _enum
from web.config import solver_time_limit
from web.database import session

bp = Blueprint(
    "planning_runs", __name__, url_prefix="/api/v1", description="Planning in the background"
)


class PlanningRunOut(Schema):
    """A planning run: queued, running (with its progress), done (with the plan) or failed."""

    id = fields.Integer(required=True)
    date = fields.Date(required=True)
    status = _enum(RunStatus)
    phase = fields.String(
        required=True, metadata={"description": "queued, preparing, solving, saving, or empty"}
    )
    time_limit = fields.Float(required=True, metadata={"description": "seconds of search"})
    requests = fields.Integer(required=True)
    served = fields.Integer(
        required=True, metadata={"description": "served by the best plan so far, or the result"}
    )
    seconds_left = fields.Integer(
        allow_none=True, metadata={"description": "of the search budget, while running"}
    )
    plan_id = fields.Integer(allow_none=True)
    version = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True, metadata={"description": "why a failed run failed"})


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            "The day must be a date like 2026-12-04.", fields={"date": "not a YYYY-MM-DD date"}
        ) from None


@bp.post("/days/<day>/planning-runs")
@requires(Role.COORDINATOR)
@bp.response(202, PlanningRunOut)
def create(day: str) -> Any:
    """Plan a day in the background, for SOLVER_TIME_LIMIT seconds of search; the Location
    header is the run to poll. Refused (409) while the day is being planned."""
    run = runs.request_run(session(), current_person(), _day(day), solver_time_limit())
    location = url_for(".show", run_id=run.id)
    return runs.progress_of(run, run.created_at), 202, {"Location": location}


@bp.get("/planning-runs/<int:run_id>")
@requires(Role.COORDINATOR)
@bp.response(200, PlanningRunOut)
def show(run_id: int) -> Any:
    """A run's progress (phase, served so far, seconds left), then its result."""
    return runs.get_run(session(), current_person(), run_id)
