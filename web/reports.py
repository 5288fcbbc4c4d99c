"""Reports for coordinators and funders: the month in figures, charts, CSV and JSON exports."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from rides import clock
from rides.models import Role
from rides.planning.unserved_reasons import reason_label
from rides.reporting import monthly
from web import charts
from web.coordinator.forms import PURPOSES
from web.database import session
from web.login import page_requires

bp = Blueprint("reports", __name__, url_prefix="/coordinator/reports")

#: The purposes by their stored value, named as on the coordinators' other pages.
PURPOSE_LABELS = {purpose.value: label for purpose, label in PURPOSES.items()}


def _month(value: str | None) -> str:
    """A valid ``YYYY-MM`` (404 for anything else), this month by default."""
    month = value or clock.today().strftime("%Y-%m")
    try:
        monthly.month_bounds(month)
    except ValueError:
        abort(404)
    return month


@bp.get("")
@page_requires(Role.COORDINATOR)
def month_page() -> ResponseReturnValue:
    """The month at a glance: totals, per village, charts."""
    month = _month(request.args.get("month"))
    report = monthly.month_report(session(), month)
    first, _last = monthly.month_bounds(month)
    previous = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    following = (first + dt.timedelta(days=32)).strftime("%Y-%m")
    rows = [(_("The whole province"), report.on_time.total), *report.on_time.areas.items()]
    return render_template("reports/month.html", report=report, month=month, previous=previous,
                           following=following, purposes=PURPOSE_LABELS,
                           reason_label=reason_label, on_time_rows=rows,
                           on_time_chart=charts.on_time_chart(rows))  # fmt: skip


@bp.get("/<month>.csv")
@page_requires(Role.COORDINATOR)
def month_csv(month: str) -> ResponseReturnValue:
    """The month per village, for spreadsheets."""
    report = monthly.month_report(session(), _month(month))
    disposition = f'attachment; filename="rural-cars-{report.month}.csv"'
    return Response(monthly.report_csv(report), mimetype="text/csv",
                    headers={"Content-Disposition": disposition})  # fmt: skip


@bp.get("/<month>.json")
@page_requires(Role.COORDINATOR)
def month_json(month: str) -> ResponseReturnValue:
    """The month as JSON."""
    return jsonify(monthly.month_report(session(), _month(month)).as_dict())


@bp.get("/<month>/purposes.png")
@page_requires(Role.COORDINATOR)
def purposes_png(month: str) -> ResponseReturnValue:
    """Share of trips by purpose."""
    report = monthly.month_report(session(), _month(month))
    labels = {key: str(label) for key, label in PURPOSE_LABELS.items()}
    return Response(charts.purpose_chart(report.total.by_purpose, labels), mimetype="image/png")


@bp.get("/<month>/villages.png")
@page_requires(Role.COORDINATOR)
def villages_png(month: str) -> ResponseReturnValue:
    """Served and unserved trips of the busiest villages."""
    report = monthly.month_report(session(), _month(month))
    counts = {name: (f.served, f.unserved) for name, f in report.villages.items()}
    return Response(charts.served_chart(counts), mimetype="image/png")
