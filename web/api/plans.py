"""Day plans for coordinators: plan now, read, publish."""

from __future__ import annotations

from typing import Any

from rides.models import Role
from rides.planning import day_plans
from web.api import plan_schemas
from web.api.auth import current_person, requires
from web.api.blueprint import Blueprint
from web.config import solver_time_limit
from web.database import session

bp = Blueprint("plans", __name__, url_prefix="/api/v1/plans", description="Day plans")


@bp.get("")
@requires(Role.COORDINATOR)
@bp.arguments(plan_schemas.PlanListArgs, location="query")
@bp.response(200, plan_schemas.PlanSummaryOut(many=True))
def index(args: dict[str, Any]) -> Any:
    """Every version planned for a day, newest first."""
    return day_plans.plans_of(session(), args["date"])


@bp.post("")
@requires(Role.COORDINATOR)
@bp.arguments(plan_schemas.PlanIn)
@bp.response(201, plan_schemas.PlanOut)
def create(args: dict[str, Any]) -> Any:
    """Plan a day now (a new draft version; publish it to make it count)."""
    settings = day_plans.PlanSettings(time_limit=solver_time_limit(args["time_limit"]))
    return day_plans.plan_day(session(), args["date"], settings, actor=current_person())


@bp.get("/<int:plan_id>")
@requires(Role.COORDINATOR)
@bp.response(200, plan_schemas.PlanOut)
def show(plan_id: int) -> Any:
    """A plan with its routes, stops and the requests it could not serve, with reasons."""
    return day_plans.get_plan(session(), plan_id)


@bp.post("/<int:plan_id>/publish")
@requires(Role.COORDINATOR)
@bp.response(200, plan_schemas.PlanOut)
def publish(plan_id: int) -> Any:
    """Make this draft the day's plan: offers go to drivers, pickup times to riders."""
    plan = day_plans.get_plan(session(), plan_id)
    return day_plans.publish_plan(session(), plan, actor=current_person())
