"""The driver's day: routes to accept or decline, stops to mark, sheet, calendar, mileage."""

from __future__ import annotations

import datetime as dt

from babel import Locale, UnknownLocaleError
from flask import (
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from rides import clock
from rides.driving import calendar, mileage, sheets
from rides.driving import routes as route_service
from rides.models import Role, Stop, StopKind, StopStatus
from web.database import session
from web.driver import bp
from web.driver.forms import DayForm, DeclineForm, MonthForm
from web.login import current_person, page_requires


@bp.app_template_filter("language_name")
def language_name(code: str) -> str:
    """A language's name in the page language ("árabe" for ar on a Spanish page)."""
    try:
        return Locale.parse(code).get_display_name(get_locale()) or code
    except (ValueError, UnknownLocaleError):
        return code


def _back_to(day: dt.date, anchor: str | None = None) -> ResponseReturnValue:
    return redirect(url_for(".home", day=day.isoformat(), _anchor=anchor))


def undo_minutes() -> int:
    """How long a mark can be undone, in whole minutes (the pages say it)."""
    return int(route_service.UNDO_WINDOW.total_seconds() // 60)


def _marked(stop: Stop) -> str:
    """What the driver just marked, and that they can take it back."""
    name = stop.request.rider.first_name
    if stop.status == StopStatus.NO_SHOW:
        what = _("Marked: %(name)s was not at the pickup; the drop-off is not needed.", name=name)
    elif stop.kind == StopKind.PICKUP:
        what = _("Marked: %(name)s picked up.", name=name)
    else:
        what = _("Marked: %(name)s dropped off.", name=name)
    minutes = undo_minutes()
    undo = ngettext("You can undo it for %(num)d minute.", "You can undo it for %(num)d minutes.",
                    minutes)  # fmt: skip
    return f"{what} {undo}"


@bp.get("/")
@page_requires(Role.DRIVER)
def home() -> ResponseReturnValue:
    """My routes of a day (today while I am on the road, else tomorrow, unless chosen):
    answer them, then mark the stops on the day."""
    form = DayForm(request.args)
    chosen = form.day.data if "day" in request.args and form.validate() else None
    mine = sheets.my_day(session(), current_person(), chosen)
    form.day.data = mine.day
    return render_template("driver/home.html", form=form, day=mine.day, mine=mine,
                           routes=mine.routes, decline=DeclineForm(),
                           today=clock.today(), tomorrow=clock.tomorrow())  # fmt: skip


@bp.post("/routes/<int:route_id>/accept")
@page_requires(Role.DRIVER)
def accept(route_id: int) -> ResponseReturnValue:
    """Take an offered route."""
    route = route_service.accept_route(session(), current_person(), route_id)
    flash(_("Thank you! The route is yours."))
    return _back_to(route.plan.date, f"route-{route.id}")


@bp.post("/routes/<int:route_id>/decline")
@page_requires(Role.DRIVER)
def decline(route_id: int) -> ResponseReturnValue:
    """Decline an offered route; the coordinator sees the reason and the day is re-planned."""
    reason = (DeclineForm().reason.data or "")[:300]
    route = route_service.decline_route(session(), current_person(), route_id, reason)
    flash(_("You declined the route. The coordinator will find another driver."))
    return _back_to(route.plan.date)


@bp.post("/routes/<int:route_id>/take-back")
@page_requires(Role.DRIVER)
def take_back(route_id: int) -> ResponseReturnValue:
    """I declined, but I can drive it after all (until the day is planned again)."""
    route = route_service.take_back_decline(session(), current_person(), route_id)
    flash(_("Thank you! The route is yours again."))
    return _back_to(route.plan.date, f"route-{route.id}")


@bp.post("/stops/<int:stop_id>/done")
@page_requires(Role.DRIVER)
def stop_done(stop_id: int) -> ResponseReturnValue:
    """The passenger got in (pickup) or out (drop-off)."""
    stop = route_service.record_stop(session(), current_person(), stop_id, StopStatus.DONE)
    flash(_marked(stop))
    return _back_to(stop.route.plan.date, f"stop-{stop.id}")


@bp.get("/stops/<int:stop_id>/no-show")
@page_requires(Role.DRIVER)
def confirm_no_show(stop_id: int) -> ResponseReturnValue:
    """Ask before a no-show (a page, so it works in any phone's browser without scripts)."""
    question = sheets.no_show_question(session(), current_person(), stop_id)
    return render_template("driver/no_show.html", question=question, minutes=undo_minutes())


@bp.post("/stops/<int:stop_id>/not-here")
@page_requires(Role.DRIVER)
def stop_not_here(stop_id: int) -> ResponseReturnValue:
    """One tap at a pickup: the coordinator is told the passenger is not there, and the driver
    goes on to the no-show question (nothing is marked until they confirm it)."""
    stop = route_service.passenger_not_here(session(), current_person(), stop_id)
    flash(
        _("The coordinator is told that %(name)s is not here.", name=stop.request.rider.first_name)
    )
    return redirect(url_for(".confirm_no_show", stop_id=stop.id))


@bp.post("/stops/<int:stop_id>/no-show")
@page_requires(Role.DRIVER)
def stop_no_show(stop_id: int) -> ResponseReturnValue:
    """The passenger was not at the pickup, confirmed; without the confirmation, ask first."""
    if request.form.get("confirm") != "yes":
        return confirm_no_show(stop_id)
    stop = route_service.record_stop(session(), current_person(), stop_id, StopStatus.NO_SHOW)
    flash(_marked(stop))
    return _back_to(stop.route.plan.date, f"stop-{stop.id}")


@bp.post("/stops/<int:stop_id>/undo")
@page_requires(Role.DRIVER)
def stop_undo(stop_id: int) -> ResponseReturnValue:
    """Take back a mark made in the last minutes (a wrong tap)."""
    stop = route_service.undo_stop(session(), current_person(), stop_id)
    flash(_("The mark is undone: mark the stop again when you know what happened."))
    return _back_to(stop.route.plan.date, f"stop-{stop.id}")


@bp.get("/routes/<int:route_id>/sheet")
@page_requires(Role.DRIVER)
def sheet(route_id: int) -> ResponseReturnValue:
    """The route on one printable page."""
    route = sheets.get_route_sheet(session(), current_person(), route_id)
    return render_template("driver/sheet.html", route=route)


@bp.get("/calendar.ics")
@page_requires(Role.DRIVER)
def calendar_file() -> ResponseReturnValue:
    """My accepted routes as an iCalendar file, one event per route."""
    body = calendar.driver_calendar(session(), current_person())
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": "attachment; filename=rural-cars-routes.ics"})  # fmt: skip


@bp.get("/mileage")
@page_requires(Role.DRIVER)
def mileage_page() -> ResponseReturnValue:
    """Kilometres per day of a month, for reimbursement."""
    form = MonthForm(request.args)
    month = form.month.data if form.validate() and form.month.data else clock.today()
    log = mileage.mileage_log(session(), current_person().id, month)
    return render_template("driver/mileage.html", form=form, log=log,
                           previous=mileage.previous_month(log.month),
                           following=mileage.next_month(log.month))  # fmt: skip


@bp.get("/mileage.csv")
@page_requires(Role.DRIVER)
def mileage_csv() -> ResponseReturnValue:
    """The month's mileage as a CSV file."""
    form = MonthForm(request.args)
    month = form.month.data if form.validate() and form.month.data else clock.today()
    log = mileage.mileage_log(session(), current_person().id, month)
    name = f"mileage-{log.month:%Y-%m}.csv"
    return Response(mileage.mileage_csv(log), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}"})  # fmt: skip
