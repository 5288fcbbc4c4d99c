"""The new-stop page's address search against a Nominatim on a local port: coordinates filled
from the answer, and errors, timeouts and empty answers told in the coordinator's language
with the form kept, so the stop can still be placed by its coordinates."""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.models import Place
from tests.factories import SIGUENZA, Factory
from tests.nominatim_server import FakeNominatim, KnownPlace, Running, serve
from tests.web.pages import browse_as, csrf_token
from web import create_app
from web.config import ConfigurationError
from web.database import database

HEALTH_CENTRE = KnownPlace(41.0652, -2.6431, "Centro de Salud, Calle Medina, Sigüenza, España")


@pytest.fixture
def nominatim() -> Iterator[Running]:
    """A Nominatim on a local port that knows Sigüenza's health centre."""
    yield from serve(FakeNominatim({"centro de salud": HEALTH_CENTRE}))


@pytest.fixture
def geocoding_app(db_url: str, nominatim: Running) -> Iterator[Flask]:
    """The app with ``GEOCODER`` set to the local Nominatim (half a second to answer)."""
    app = create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "GEOCODER": f"nominatim:{nominatim.url}",
            "GEOCODER_USER_AGENT": "rural-cars tests",
            "GEOCODER_TIMEOUT": 0.5,
        }
    )
    yield app
    database(app).engine.dispose()


def _signed_in(app: Flask, make: Factory, session: Session, language: str = "en") -> FlaskClient:
    client = app.test_client()
    coordinator = make.coordinator(preferred_language=language)
    session.commit()
    browse_as(client, coordinator.id)
    return client


def _post(client: FlaskClient, town: Place, **data: str):  # type: ignore[no-untyped-def]
    path = f"/coordinator/places/{town.id}/stops"
    response = client.post(path, data={"csrf_token": csrf_token(client, path), **data})
    return response, html.unescape(response.get_data(as_text=True))


def test_the_search_shows_only_when_a_geocoder_is_set(
    app: Flask, geocoding_app: Flask, make: Factory, session: Session
) -> None:
    """Off by default: no address field; with GEOCODER set, the address and a Find button."""
    town = make.place(SIGUENZA)
    path = f"/coordinator/places/{town.id}/stops"
    plain = _signed_in(app, make, session).get(path).get_data(as_text=True)
    assert 'id="address-search"' not in plain and 'name="address"' not in plain
    searching = _signed_in(geocoding_app, make, session).get(path).get_data(as_text=True)
    assert 'id="address-search"' in searching and 'name="find"' in searching


def test_find_fills_the_coordinates_then_the_stop_is_added_there(
    geocoding_app: Flask, make: Factory, session: Session, nominatim: Running
) -> None:
    """Find: the page comes back with the point's coordinates and its full name, the typed
    fields kept and nothing added; Add then places the stop there."""
    town = make.place(SIGUENZA)
    client = _signed_in(geocoding_app, make, session)
    typed = {"name": "Centro de Salud", "kind": "health_centre", "address": "Centro de Salud"}
    response, page = _post(client, town, find="1", **typed)
    assert response.status_code == 200
    assert 'value="41.0652"' in page and 'value="-2.6431"' in page
    assert "Found: Centro de Salud, Calle Medina, Sigüenza, España." in page
    assert 'value="Centro de Salud"' in page
    assert session.scalars(select(Place).where(Place.name == "Centro de Salud")).first() is None
    assert nominatim.nominatim.seen[0]["user_agent"] == "rural-cars tests"
    response, _page = _post(client, town, latitude="41.0652", longitude="-2.6431", **typed)
    assert response.status_code == 303
    stop = session.scalars(select(Place).where(Place.name == "Centro de Salud")).one()
    assert (stop.latitude, stop.longitude) == (41.0652, -2.6431)


@pytest.mark.parametrize("failure", ["error", "timeout"])
def test_a_failing_search_says_what_to_do_instead(
    geocoding_app: Flask, make: Factory, session: Session, nominatim: Running, failure: str
) -> None:
    """A 503 or no answer within the timeout: a message (not a server error) that says to try
    later or type the coordinates; the form keeps what was typed."""
    if failure == "error":
        nominatim.nominatim.status = 503
    else:
        nominatim.nominatim.sleep_s = 2.0
    town = make.place(SIGUENZA)
    client = _signed_in(geocoding_app, make, session)
    response, page = _post(client, town, find="1", name="Farmacia", kind="shop",
                           address="Centro de Salud")  # fmt: skip
    assert response.status_code == 422
    assert (
        "The address search is not answering now. Try again later, or type the coordinates" in page
    )
    assert 'value="Farmacia"' in page


def test_nothing_found_reads_in_spanish_under_the_address(
    geocoding_app: Flask, make: Factory, session: Session
) -> None:
    """An address the service does not know: the message is on the address field, in the
    coordinator's language."""
    town = make.place(SIGUENZA)
    client = _signed_in(geocoding_app, make, session, "es")
    response, page = _post(client, town, find="1", name="Farmacia", kind="shop",
                           address="Calle Inexistente 9")  # fmt: skip
    assert response.status_code == 422
    error = page[page.index('id="address-error"') :]
    error = error[: error.index("</p>")]
    assert "Sigüenza" in error and "No such address" not in error


def test_a_bad_setting_stops_the_start_up(db_url: str) -> None:
    """An unknown service or a URL that is not http(s) is refused when the app starts."""
    for setting in ("no-such-service", "nominatim:ftp://geo.example.org"):
        with pytest.raises(ConfigurationError, match="GEOCODER"):
            create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "test-secret",
                        "GEOCODER": setting})  # fmt: skip
