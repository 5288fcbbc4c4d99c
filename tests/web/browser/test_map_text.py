"""The coordinator's map writes names as text (issue 15, finding 8): a driver named like an
HTML element shows that name literally in the route's tooltip and adds no element."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from rides.db import make_engine, make_sessionmaker, unit_of_work
from rides.models import Person, Role
from tests.web.browser.conftest import choose_language, sign_in

NAME = "<img src=x onerror=alert(1)>"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def hostile_drivers(live_app) -> None:
    """Every demo driver renamed to the hostile name, so whichever routes the plan makes,
    each tooltip on the map carries it."""
    engine = make_engine(live_app[0].config["DATABASE_URL"])
    with unit_of_work(make_sessionmaker(engine)) as session:
        session.execute(
            update(Person).where(Person.role == Role.DRIVER).values(first_name=NAME, last_name=None)
        )
    engine.dispose()


def test_map_tooltips_show_names_as_text(page, live_app, hostile_drivers: None) -> None:
    """Plan the day, open a route's tooltip: the literal name, no img element, no alert."""
    _app, emails, password = live_app
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_viewport_size(DESKTOP)
    sign_in(page, emails["coordinator"], password)
    page.wait_for_url("**/coordinator/")
    choose_language(page, "en")
    page.get_by_role("button", name="Plan now").click()
    page.wait_for_selector("#map[data-ready='true']")
    routes = page.locator("#map path.route")
    assert routes.count() >= 1
    routes.first.dispatch_event("mouseover")
    tooltip = page.locator("#map .leaflet-tooltip:not(.village)").first
    tooltip.wait_for()
    assert tooltip.inner_text().startswith(NAME + " (")
    assert page.locator("#map img").count() == 0
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert dialogs == []
