"""The files the app serves in place of a CDN or tile server (issue 17): the province's
municipal boundaries under the coordinator's map, public and cached."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.web.pages import browse_as

URL = "/vendor/municipality-boundaries.geojson"


def test_boundaries_are_valid_geojson_of_the_288_municipalities(client: FlaskClient) -> None:
    """A FeatureCollection of 288 polygons, one per INE code of province 19, in lon/lat."""
    with client.get(URL) as response:
        assert response.status_code == 200
        assert response.mimetype == "application/geo+json"
        data = response.get_json(force=True)
    assert data["type"] == "FeatureCollection"
    features = data["features"]
    assert len(features) == 288
    codes = {feature["properties"]["ine_code"] for feature in features}
    assert len(codes) == 288 and all(re.fullmatch(r"19\d{3}", code) for code in codes)
    for feature in features:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        assert feature["properties"]["name"]
    ring = features[0]["geometry"]["coordinates"][0]
    if features[0]["geometry"]["type"] == "MultiPolygon":
        ring = ring[0]
    longitude, latitude = ring[0]
    assert -3.6 < longitude < -1.5 and 40.1 < latitude < 41.4
    assert ring[0] == ring[-1]


def test_boundaries_are_cached_and_revalidated(
    client: FlaskClient, make: Factory, session: Session
) -> None:
    """Cached for a day even for a signed-in coordinator (no personal data in it), and a
    browser that has it gets 304 by its ETag."""
    coordinator = make.coordinator()
    session.commit()
    browse_as(client, coordinator.id)
    with client.get(URL) as response:
        assert response.status_code == 200
        cache = response.headers["Cache-Control"]
        etag = response.headers["ETag"]
    assert "max-age=86400" in cache and "no-store" not in cache and "private" not in cache
    with client.get(URL, headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304
