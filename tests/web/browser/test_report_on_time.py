"""The on-time section of the coordinators' reports page in a real browser, on a month of
marked pickups across the province: the chart and the table by area are drawn, and that part
of the page is the coordinators' guide's picture (docs/img/report-on-time.png, and
report-on-time-es.png in Spanish)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rides.db import make_engine, make_sessionmaker, unit_of_work
from tests.clocks import ServiceClock
from tests.factories import Factory
from tests.reports_on_time import MONTH, month_of_pickups, seed_on_time_days
from tests.web.browser.conftest import choose_language, screenshot, sign_in

IMAGES = Path(__file__).resolve().parents[3] / "docs" / "img"
#: The page's top of the on-time heading and bottom of the table by area, in page pixels.
SECTION = """() => {
  const top = document.getElementById('on-time').getBoundingClientRect().top;
  const bottom = document.getElementById('on-time-areas').getBoundingClientRect().bottom;
  return [top + window.scrollY, bottom + window.scrollY];
}"""


@pytest.fixture
def month_marked(live_app, service_clock: ServiceClock) -> None:
    """A month of pickups marked on time on the A-2 and later into the mountains; the clock
    then stands on the first of the next month."""
    engine = make_engine(live_app[0].config["DATABASE_URL"])
    with unit_of_work(make_sessionmaker(engine)) as session:
        seed_on_time_days(session, Factory(session), service_clock, month_of_pickups())
    engine.dispose()
    service_clock.at(dt.date(2027, 4, 1), 9)


def _section(page, name: str) -> Path:
    """Save the on-time heading, chart and table by area as ``docs/img/NAME.png``."""
    top, bottom = page.evaluate(SECTION)
    path = IMAGES / f"{name}.png"
    clip = {
        "x": 0,
        "y": top - 12,
        "width": page.viewport_size["width"],
        "height": bottom - top + 24,
    }
    page.screenshot(path=str(path), full_page=True, clip=clip)
    return path


def test_the_on_time_section_shows_a_month_by_area(page, live_app, month_marked) -> None:
    """Signed in as a coordinator, the month's report has the chart (a bar for the province
    and one per area, each with its text alternative) and the table by area; in Spanish too."""
    _app, emails, password = live_app
    page.set_viewport_size({"width": 1000, "height": 900})
    sign_in(page, emails["coordinator"], password)
    page.wait_for_url("**/coordinator/")
    choose_language(page, "en")
    page.goto(f"/coordinator/reports?month={MONTH}")
    chart = page.locator("svg.chart")
    assert chart.is_visible()
    description = chart.locator("desc").text_content() or ""
    assert "The whole province:" in description and "Molina de Aragón:" in description
    rows = page.locator("#on-time-areas tbody tr")
    assert rows.count() == 7  # the province and its six areas
    assert rows.first.locator("th").inner_text() == "The whole province"
    assert _section(page, "report-on-time").stat().st_size > 10_000
    screenshot(page, "coordinator-report-on-time")
    choose_language(page, "es")
    page.goto(f"/coordinator/reports?month={MONTH}")
    assert page.locator("#on-time").inner_text() != "On-time pickups"
    assert page.locator("#on-time-areas tbody tr").count() == 7
    _section(page, "report-on-time-es")
