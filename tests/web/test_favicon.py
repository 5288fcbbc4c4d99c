"""The site icon: served at /favicon.ico and linked from every page."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.web.pages import browse_as


def test_favicon_is_served_and_linked(client: FlaskClient, make: Factory, session: Session) -> None:
    """/favicon.ico answers with an image (no 404 on every page), and pages link it."""
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert b"<svg" in icon.data
    assert 'rel="icon"' in client.get("/login").get_data(as_text=True)
    coordinator = make.coordinator()
    session.commit()
    browse_as(client, coordinator.id)
    assert 'rel="icon"' in client.get("/coordinator/").get_data(as_text=True)


def test_favicon_answers_a_revalidation_with_not_modified(client: FlaskClient) -> None:
    """The icon is cached for a day and carries an ETag; asking again with it gets a 304."""
    with client.get("/favicon.ico") as icon:
        assert icon.cache_control.max_age == 86400
        etag = icon.headers["ETag"]
    with client.get("/favicon.ico", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304
