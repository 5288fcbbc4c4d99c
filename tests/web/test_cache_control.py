"""No copies of personal data in caches (issue 15, finding 10): every personal page, export
and feed says ``Cache-Control: no-store``; shared files and public pages keep caching."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from rides import clock
from tests.factories import Factory
from tests.web.pages import browse_as

MONTH = clock.today().strftime("%Y-%m")
PERSONAL = {
    "coordinator": [
        "/coordinator/",
        "/coordinator/people",
        "/coordinator/outbox",
        "/coordinator/places",
        "/coordinator/book",
        f"/coordinator/reports?month={MONTH}",
        f"/coordinator/reports/{MONTH}.csv",
        f"/coordinator/reports/{MONTH}.json",
    ],
    "driver": [
        "/driver/",
        "/driver/availability",
        "/driver/calendar.ics",
        "/driver/mileage",
        "/driver/mileage.csv",
    ],
    "newcomer": ["/newcomer/", "/newcomer/book"],
}
SHARED = ["/login", "/static/app.css", "/vendor/leaflet/leaflet.js", "/gtfs-flex.zip"]


def _no_store(response) -> bool:  # type: ignore[no-untyped-def]
    return "no-store" in response.headers.get("Cache-Control", "")


def test_personal_pages_exports_and_feeds_are_not_stored(
    app: Flask, make: Factory, session: Session
) -> None:
    """Each role's pages, CSV/JSON exports and calendar feed: 200 and no-store."""
    people = {
        "coordinator": make.coordinator(),
        "driver": make.driver(),
        "newcomer": make.newcomer(),
    }
    session.commit()
    for role, urls in PERSONAL.items():
        client = browse_as(app.test_client(), people[role].id)
        for url in urls:
            response = client.get(url, headers={"Accept": "text/html"})
            assert response.status_code == 200, url
            assert _no_store(response), url


def test_the_api_and_reminder_links_are_not_stored(sign_in, make: Factory) -> None:  # type: ignore[no-untyped-def]
    """API answers to a token and a reminder link's page hold personal data too."""
    caller = sign_in(make.newcomer())
    response = caller.get("/requests")
    assert response.status_code == 200 and _no_store(response)
    link = caller.client.get("/r/not-a-valid-token", headers={"Accept": "text/html"})
    assert _no_store(link)


def test_shared_files_and_public_pages_keep_caching(
    client: FlaskClient, make: Factory, session: Session
) -> None:
    """The sign-in page, the feed and static files are the same for everyone; signed in or
    not, they are not marked no-store."""
    for url in SHARED:
        with client.get(url) as response:
            assert response.status_code == 200, url
            assert not _no_store(response), url
    coordinator = make.coordinator()
    session.commit()
    browse_as(client, coordinator.id)
    for url in ("/static/app.css", "/vendor/leaflet/leaflet.js"):
        with client.get(url) as response:
            assert not _no_store(response), url
