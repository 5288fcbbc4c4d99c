"""Markup every coordinator page must get right: each element id used once."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

from flask.testing import FlaskClient

from rides.models import Person
from tests.factories import SIGUENZA, Factory
from tests.web.coordinator.actions import newest_plan


class _Ids(HTMLParser):
    """Collects every ``id`` attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.extend(value or "" for name, value in attrs if name == "id")


def _duplicate_ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return [name for name, count in Counter(parser.ids).items() if count > 1]


def _coordinator_pages(make: Factory, day) -> list[str]:
    place = make.place(SIGUENZA)
    request = day["ordinary"][0]
    return [
        "/coordinator/",
        "/coordinator/book",
        "/coordinator/outbox",
        "/coordinator/people",
        "/coordinator/places",
        "/coordinator/places?q=Sig",
        f"/coordinator/places/{place.id}",
        f"/coordinator/places/{place.id}/stops",
        f"/coordinator/requests/{request.id}",
        "/coordinator/reports",
    ]


def test_no_coordinator_page_repeats_an_id(
    client: FlaskClient, coordinator: Person, day, make: Factory, session
) -> None:
    """Every coordinator page, with a planned day on it, gives each element its own id (labels
    and ARIA references point at one element: two ``id="role"`` broke the People page)."""
    newest_plan(session)
    for path in _coordinator_pages(make, day):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _duplicate_ids(response.get_data(as_text=True)) == [], path
