"""The day at a glance: plan now, publish, the map's data, keeping a request with a driver,
and the returns to decide after a no-show on the way out."""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from rides import clock
from rides.booking import no_show_returns, ride_requests
from rides.errors import DomainError
from rides.messaging import calls, inbox
from rides.models import Role
from rides.planning import day_map, day_plans, overview, pins, runs
from web.config import booking_cutoff, solver_time_limit
from web.coordinator import bp
from web.coordinator.forms import DayForm, PinForm, PublishForm
from web.database import session
from web.forms import error_text
from web.login import current_person, page_requires


def parse_day(text: str) -> dt.date:
    """A day from the URL (``YYYY-MM-DD``), 404 for anything else."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        abort(404)


def day_page(
    day: dt.date, form: DayForm | None = None, problem: str | None = None, status: int = 200
) -> ResponseReturnValue:
    """Render the day page (``problem``: a refused action to show at the top)."""
    view = overview.day_view(session(), day, booking_cutoff())
    return render_template(
        "coordinator/day.html",
        view=view,
        run=runs.day_run(session(), current_person(), day),
        form=form or DayForm(data={"date": day}),
        problem=problem,
        time_limit=f"{solver_time_limit():g}",
        tiles=current_app.config.get("MAP_TILES_URL") or "",
        inbox=inbox.inbox(session(), current_person()),
        calls=len(calls.calls_to_make(session(), current_person())),
    ), status


def _back(day: dt.date) -> ResponseReturnValue:
    return redirect(url_for(".home", date=day.isoformat()), 303)


@bp.get("/")
@page_requires(Role.COORDINATOR)
def home() -> ResponseReturnValue:
    """The day at a glance (tomorrow unless another day is picked)."""
    form = DayForm(request.args)
    day = clock.tomorrow()
    if form.validate() and form.date.data:
        day = form.date.data
    return day_page(day, form, status=200 if not form.errors else 400)


@bp.post("/day/<day>/plan")
@page_requires(Role.COORDINATOR)
def plan(day: str) -> ResponseReturnValue:
    """Plan the day in the background: the day page shows the run's progress, then a draft."""
    date = parse_day(day)
    try:
        runs.request_run(session(), current_person(), date, solver_time_limit())
    except DomainError as error:
        return day_page(date, problem=error_text(error), status=409)
    return _back(date)


@bp.post("/day/<day>/publish")
@page_requires(Role.COORDINATOR)
def publish(day: str) -> ResponseReturnValue:
    """Publish the draft shown on the page (refused when a newer version exists)."""
    date = parse_day(day)
    form = PublishForm()
    if not form.validate_on_submit() or not str(form.plan_id.data).isdigit():
        return day_page(date, problem=_("There is no draft to publish."), status=409)
    try:
        plan = day_plans.get_plan(session(), int(form.plan_id.data))
        if plan.date != date:
            abort(404)
        day_plans.publish_plan(session(), plan, actor=current_person())
    except DomainError as error:
        return day_page(date, problem=error_text(error), status=409)
    flash(_("Version %(version)s is published: drivers and riders are told.", version=plan.version))
    return _back(date)


@bp.get("/day/<day>/map.json")
@page_requires(Role.COORDINATOR)
def map_data(day: str) -> ResponseReturnValue:
    """The newest plan's routes and places as GeoJSON, for the map script."""
    return jsonify(day_map.day_map(session(), parse_day(day)))


@bp.post("/requests/<int:request_id>/pin")
@page_requires(Role.COORDINATOR)
def pin(request_id: int) -> ResponseReturnValue:
    """Keep a request with a driver's shift at the next plan ("keep with this driver")."""
    form = PinForm()
    ride = ride_requests.get_request(session(), current_person(), request_id)
    if not form.validate_on_submit() or form.shift_id.data is None:
        return day_page(ride.date, problem=_("Choose a driver."), status=400)
    try:
        pins.pin_request(session(), current_person(), request_id, form.shift_id.data)
    except DomainError as error:
        return day_page(ride.date, problem=error_text(error), status=409)
    flash(
        _(
            "The trip of %(name)s is kept with that driver from the next plan on.",
            name=ride.rider.first_name,
        )
    )
    return _back(ride.date)


@bp.post("/requests/<int:request_id>/release")
@page_requires(Role.COORDINATOR)
def release(request_id: int) -> ResponseReturnValue:
    """Let the planner choose the driver again."""
    ride = ride_requests.get_request(session(), current_person(), request_id)
    try:
        pins.pin_request(session(), current_person(), request_id, None)
    except DomainError as error:
        return day_page(ride.date, problem=error_text(error), status=409)
    flash(
        _(
            "The trip of %(name)s is free again: the planner chooses its driver.",
            name=ride.rider.first_name,
        )
    )
    return _back(ride.date)


@bp.post("/requests/<int:request_id>/keep-return")
@page_requires(Role.COORDINATOR)
def keep_return(request_id: int) -> ResponseReturnValue:
    """After a no-show on the way out, the return trip stays as it is."""
    ride = ride_requests.get_request(session(), current_person(), request_id)
    try:
        no_show_returns.keep_return(session(), current_person(), request_id)
    except DomainError as error:
        return day_page(ride.date, problem=error_text(error), status=409)
    flash(_("The return trip of %(name)s is kept.", name=ride.rider.first_name))
    return _back(ride.date)


@bp.post("/requests/<int:request_id>/cancel-return")
@page_requires(Role.COORDINATOR)
def cancel_return(request_id: int) -> ResponseReturnValue:
    """After a no-show on the way out, cancel the return trip; the rider and driver are told."""
    ride = ride_requests.get_request(session(), current_person(), request_id)
    try:
        no_show_returns.cancel_return(session(), current_person(), request_id)
    except DomainError as error:
        return day_page(ride.date, problem=error_text(error), status=409)
    flash(
        _(
            "The return trip of %(name)s is cancelled, and the people concerned are told.",
            name=ride.rider.first_name,
        )
    )
    return _back(ride.date)
