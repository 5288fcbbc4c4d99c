"""On-time pickups on the coordinators' reports page: chart, tables, the latest pickups."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from tests.clocks import ServiceClock
from tests.factories import Factory
from tests.reports_on_time import BOOKED_ON, MONTH, seed_on_time_days
from tests.web.pages import browse_as


def _page(app: Flask, make: Factory, session: Session, language: str, month: str = MONTH) -> str:
    client = app.test_client()
    coordinator = make.coordinator(preferred_language=language)
    session.commit()
    browse_as(client, coordinator.id)
    response = client.get(f"/coordinator/reports?month={month}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _table(html: str, table_id: str) -> list[list[str]]:
    """The rows of a table as lists of cell texts (tags dropped)."""
    body = html[html.index(f'id="{table_id}"') :]
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in row] for row in cells]


def test_the_chart_is_named_and_described(
    app: Flask, make: Factory, session: Session, service_clock: ServiceClock
) -> None:
    """An SVG image in the page with its title and a text alternative giving every bar's
    shares (the province 33/50/83%, then the A-2 and Molina), segments titled with theirs."""
    seed_on_time_days(session, make, service_clock)
    html = _page(app, make, session, "en")
    start = html.index('<svg class="chart"')
    svg = html[start : html.index("</svg>", start)]
    assert 'role="img" aria-labelledby="on-time-title on-time-desc"' in svg
    assert (
        '<title id="on-time-title">Pickups within 5, 10 and 15 minutes of the promised time' in svg
    )
    desc = svg[svg.index('<desc id="on-time-desc">') : svg.index("</desc>")]
    assert "The whole province: 6 pickups, 33% within 5 min, 50% within 10, 83% within 15." in desc
    assert "Corredor A-2: 3 pickups, 67% within 5 min" in desc
    assert "Molina de Aragón: 3 pickups, 0% within 5 min, 33% within 10, 67% within 15." in desc
    assert "<title>Molina de Aragón: over 15 min 33%</title>" in svg
    # 4 bands in the province, 2 on the A-2 (none 5-10 or over 15 min), 3 in Molina, 4 keys
    assert svg.count("<rect") == 4 + 2 + 3 + 4
    assert "style=" not in svg  # the content security policy allows no inline style


def test_tables_by_area_day_and_the_latest_pickups(
    app: Flask, make: Factory, session: Session, service_clock: ServiceClock
) -> None:
    """The same figures as tables; the latest pickup first, with its day, village, driver's
    first name, the times promised and marked (Madrid time) and how late."""
    seed_on_time_days(session, make, service_clock)
    html = _page(app, make, session, "en")
    assert _table(html, "on-time-areas") == [
        ["The whole province", "6", "33%", "50%", "83%"],
        ["Corredor A-2", "3", "67%", "67%", "100%"],
        ["Molina de Aragón", "3", "0%", "33%", "67%"],
    ]
    assert _table(html, "on-time-days") == [
        ["Tuesday 9", "4", "50%", "75%", "75%"],
        ["Wednesday 10", "2", "0%", "0%", "100%"],
    ]
    latest = _table(html, "on-time-latest")
    assert latest[0] == ["Tuesday 9", "Molina de Aragón", "Pedro", "10:00", "10:31", "31"]
    assert [row[5] for row in latest] == ["31", "14", "9", "2"]


def test_the_section_reads_in_the_coordinators_language(
    app: Flask, make: Factory, session: Session, service_clock: ServiceClock
) -> None:
    """In Spanish: the heading, the chart's title and description and the days."""
    seed_on_time_days(session, make, service_clock)
    html = _page(app, make, session, "es")
    assert "Pickups within 5" not in html and "On-time pickups" not in html
    assert _table(html, "on-time-days")[0][0] == "martes 9"


def test_nothing_marked_yet_says_so(
    app: Flask, make: Factory, session: Session, service_clock: ServiceClock
) -> None:
    """Trips booked but no pickup marked: a sentence, no chart of empty bars."""
    service_clock.at(BOOKED_ON, 12)
    request = make.request()
    html = _page(app, make, session, "en", f"{request.date:%Y-%m}")
    assert 'id="no-on-time"' in html and '<svg class="chart"' not in html


def test_the_json_export_has_the_on_time_figures(
    app: Flask, make: Factory, session: Session, service_clock: ServiceClock
) -> None:
    """Days, areas and the latest pickups in the month's JSON."""
    seed_on_time_days(session, make, service_clock)
    client = app.test_client()
    coordinator = make.coordinator()
    session.commit()
    browse_as(client, coordinator.id)
    data = client.get(f"/coordinator/reports/{MONTH}.json").get_json()["on_time"]
    assert data["total"]["pickups"] == 6 and list(data["days"]) == ["2027-03-09", "2027-03-10"]
    assert list(data["areas"]) == ["Corredor A-2", "Molina de Aragón"]
    assert [late["late_min"] for late in data["latest"]] == [31.0, 14.0, 9.0, 2.0]


@pytest.mark.parametrize("language", ["ar", "ro", "fr", "uk"])
def test_the_chart_description_reads_whole_in_every_language(
    app: Flask, make: Factory, session: Session, service_clock: ServiceClock, language: str
) -> None:
    """The text alternative keeps its figures and percent signs in each translation."""
    seed_on_time_days(session, make, service_clock)
    page = html.unescape(_page(app, make, session, language))
    desc = page[page.index('<desc id="on-time-desc">') : page.index("</desc>")]
    assert "33%" in desc and "83%" in desc and "%(" not in desc and "%%" not in desc
