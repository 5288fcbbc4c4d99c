"""The reports pages: totals, per-village table, charts and exports for coordinators."""

from __future__ import annotations

import csv
import io

from flask import Flask
from sqlalchemy.orm import Session

from rides.models import RequestStatus
from rides.reporting import monthly
from tests.factories import GUADALAJARA, SIGUENZA, Factory, tomorrow
from tests.web.pages import browse_as


def _coordinator(client, make: Factory, session: Session) -> None:
    coordinator = make.coordinator()
    session.commit()
    browse_as(client, coordinator.id)


def test_month_page_shows_the_figures(
    app: Flask, make: Factory, session: Session, report_month
) -> None:
    """The page lists the month's totals and each village, the kilometres written the Spanish
    way (the coordinator's language)."""
    client = app.test_client()
    _coordinator(client, make, session)
    html = client.get(f"/coordinator/reports?month={report_month}").get_data(as_text=True)
    assert "Atienza" in html and "Jadraque" in html and ">50,0<" in html


def test_a_month_with_nothing_driven_says_so(app: Flask, make: Factory, session: Session) -> None:
    """Trips booked but no route driven yet: the page says so instead of "0.0" km."""
    client = app.test_client()
    request = make.request()
    _coordinator(client, make, session)
    html = client.get(f"/coordinator/reports?month={request.date:%Y-%m}").get_data(as_text=True)
    assert 'id="no-km"' in html and ">0.0<" not in html


def test_a_village_no_driven_route_went_to_says_not_yet_driven(
    app: Flask, make: Factory, session: Session, report_month
) -> None:
    """A trip carried from a village no driven route went to yet: its row says "not yet
    driven" in the page's language, not 0.0 km beside its passengers."""
    siguenza, guadalajara = make.place(SIGUENZA).id, make.place(GUADALAJARA).id
    trip = make.request(origin_id=siguenza, destination_id=guadalajara, date=tomorrow())
    trip.status = RequestStatus.SCHEDULED
    client = app.test_client()
    _coordinator(client, make, session)
    html = client.get(f"/coordinator/reports?month={report_month}").get_data(as_text=True)
    row = html[html.index(">Sigüenza<") :]
    row = row[: row.index("</tr>")]
    assert 'class="not-driven"' in row and ">0.0<" not in row
    assert monthly.month_report(session, report_month).villages["Sigüenza"].driven is False


def test_unserved_reasons_read_as_words_in_the_page_language(
    app: Flask, make: Factory, session: Session, report_month
) -> None:
    """The reasons are short labels in the reader's language, never the planner's codes."""
    client = app.test_client()
    coordinator = make.coordinator(preferred_language="en")
    session.commit()
    browse_as(client, coordinator.id)
    html = client.get(f"/coordinator/reports?month={report_month}").get_data(as_text=True)
    assert "No wheelchair place: 1" in html and "no_wheelchair_place:" not in html


def test_exports_and_charts(app: Flask, make: Factory, session: Session, report_month) -> None:
    """CSV rows, JSON totals and both PNG charts are served."""
    client = app.test_client()
    _coordinator(client, make, session)
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/coordinator/reports/{report_month}.csv").get_data(as_text=True)
            )
        )
    )
    assert rows[-1]["village"] == "TOTAL" and rows[-1]["requested"] == "5"
    assert (
        client.get(f"/coordinator/reports/{report_month}.json").get_json()["total"]["served"] == 3
    )
    for chart in ("purposes", "villages"):
        response = client.get(f"/coordinator/reports/{report_month}/{chart}.png")
        assert response.mimetype == "image/png" and response.data[:4] == b"\x89PNG"


def test_bad_month_is_not_found(app: Flask, make: Factory, session: Session) -> None:
    """A month that is not YYYY-MM gives 404, not a server error."""
    client = app.test_client()
    _coordinator(client, make, session)
    assert client.get("/coordinator/reports/2026-13.csv").status_code == 404
    assert client.get("/coordinator/reports?month=junk").status_code == 404


def test_reports_page_has_the_coordinator_menu(app: Flask, make: Factory, session: Session) -> None:
    """The same menu as every coordinator page, with Reports marked as the current page."""
    client = app.test_client()
    _coordinator(client, make, session)
    html = client.get("/coordinator/reports").get_data(as_text=True)
    menu = ("/coordinator/", "/coordinator/book", "/coordinator/people", "/coordinator/places")
    for path in menu:
        assert f'href="{path}"' in html, path
    assert 'href="/coordinator/reports" aria-current="page"' in html
