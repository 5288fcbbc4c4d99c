"""Geocoding free-text addresses, off-line by default, with a fake geopy geocoder otherwise."""

from __future__ import annotations

import logging

import pytest
from geopy.exc import GeocoderUnavailable
from geopy.location import Location
from geopy.point import Point

from geo.errors import AmbiguousPlace, GeoError, PlaceNotFound
from geo.geocoding import geocode
from geo.points import GeoPoint


class FakeNominatim:
    """Stands in for geopy's Nominatim: same geocode() signature, canned answers, no network."""

    def __init__(self, answer: Location | Exception | None = None) -> None:
        self.answer = answer
        self.queries: list[str] = []

    def geocode(
        self, query: str, exactly_one: bool = True, timeout: float | None = None
    ) -> Location | None:
        """Record the query and return (or raise) the canned answer."""
        self.queries.append(query)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def _location(latitude: float, longitude: float, address: str) -> Location:
    """A geopy Location like a real geocoder returns."""
    return Location(address, Point(latitude, longitude), {})


@pytest.mark.parametrize(
    ("address", "ine_code"),
    [
        ("Calle Mayor 3, Siguenza", "19257"),
        ("Calle Mayor 3, 19250 Sigüenza, Guadalajara, España", "19257"),
        ("Sigüenza, Guadalajara", "19257"),
        ("Calle Sigüenza 5, 19003 Guadalajara", "19130"),
        ("C/ Real 2, casar el", "19071"),
        ("Plaza de España 1 Molina de Aragon", "19190"),
        ("azuqeca", "19046"),
    ],
)
def test_without_geocoder_the_gazetteer_resolves_the_town(address: str, ine_code: str) -> None:
    """With no geocoder an address resolves to the municipality it names, last part first."""
    point = geocode(address)
    assert point.source == "gazetteer"
    assert point.ine_code == ine_code
    assert isinstance(point, GeoPoint)


def test_gazetteer_point_is_the_municipality_point() -> None:
    """The gazetteer answer carries the municipality's coordinates and official name."""
    point = geocode("Calle Mayor 3, Siguenza")
    assert (point.latitude, point.longitude, point.label) == (41.067499, -2.640646, "Sigüenza")


def test_unknown_address_raises_not_found_with_suggestions() -> None:
    """An address naming no municipality raises PlaceNotFound for the whole text."""
    with pytest.raises(PlaceNotFound) as caught:
        geocode("Calle Falsa 123, Cuenca")
    assert caught.value.query == "Calle Falsa 123, Cuenca"
    assert caught.value.suggestions


def test_ambiguous_town_is_reported() -> None:
    """An address naming one of several equally close towns is ambiguous, not guessed."""
    with pytest.raises(AmbiguousPlace, match="Alcolea del Pinar"):
        geocode("Plaza Mayor, Alcolea")


def test_empty_address_is_rejected() -> None:
    """An empty address is a caller error."""
    with pytest.raises(GeoError, match="empty address"):
        geocode("   ")


def test_geocoder_answer_is_used_with_the_region_added() -> None:
    """A configured geocoder is asked with the province appended and its point returned."""
    fake = FakeNominatim(_location(41.0689, -2.6431, "Calle Mayor, 3, Sigüenza, Guadalajara"))
    point = geocode("Calle Mayor 3, Sigüenza", fake)
    assert fake.queries == ["Calle Mayor 3, Sigüenza, Provincia de Guadalajara, España"]
    assert point == GeoPoint(
        41.0689, -2.6431, "Calle Mayor, 3, Sigüenza, Guadalajara", "fakenominatim"
    )


def test_region_is_not_repeated_when_named() -> None:
    """An address that already names Guadalajara is sent unchanged."""
    fake = FakeNominatim(_location(40.63, -3.16, "Guadalajara"))
    geocode("Calle Mayor 1, Guadalajara", fake)
    assert fake.queries == ["Calle Mayor 1, Guadalajara"]


@pytest.mark.parametrize(
    ("answer", "logged"),
    [
        (None, "found nothing"),
        (GeocoderUnavailable("offline"), "failed"),
        (Location("Sigüenza, Soria", Point(41.76, -2.46), {}), "outside the province"),
    ],
)
def test_unusable_geocoder_answers_fall_back_to_the_gazetteer(
    answer: Location | Exception | None, logged: str, caplog: pytest.LogCaptureFixture
) -> None:
    """No answer, a geocoder error or a point outside the province fall back to the gazetteer."""
    caplog.set_level(logging.INFO, logger="geo.geocoding")
    point = geocode("Calle Mayor 3, Siguenza", FakeNominatim(answer))
    assert (point.source, point.ine_code) == ("gazetteer", "19257")
    assert logged in caplog.text
