"""Addresses resolve via the gazetteer, or via a configured geocoder cached in the database."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import geo
from rides.models import GeocodeCache
from rides.places.geocode_cache import locate_address, make_geocoder


@dataclass
class _Location:
    latitude: float
    longitude: float
    address: str


class CountingGeocoder:
    """Stands in for a geopy geocoder (no network in tests) and counts the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def geocode(self, query: str, *, exactly_one: bool = True) -> _Location:
        self.calls += 1
        return _Location(41.0680, -2.6405, "Calle Mayor 3, Sigüenza")


def test_without_a_geocoder_the_gazetteer_answers(session: Session) -> None:
    """An address naming a village resolves to that village; nothing is cached."""
    point = locate_address(session, "Calle Mayor 3, Siguenza")
    assert point.ine_code == "19257"
    assert session.scalar(select(func.count()).select_from(GeocodeCache)) == 0


def test_a_geocoder_is_asked_once_per_address(session: Session) -> None:
    """The second lookup of the same address (other case, spacing) comes from the cache."""
    geocoder = CountingGeocoder()
    first = locate_address(session, "Calle Mayor 3, Sigüenza", geocoder)
    second = locate_address(session, "  calle mayor 3,   SIGUENZA ", geocoder)
    assert geocoder.calls == 1
    assert (second.latitude, second.longitude) == (first.latitude, first.longitude)
    assert second.source == "countinggeocoder"


def test_unknown_address_raises_with_suggestions(session: Session) -> None:
    """Nothing close: PlaceNotFound, never a made-up point."""
    with pytest.raises(geo.PlaceNotFound):
        locate_address(session, "Calle Falsa 123, Springfield")


def test_no_geocoder_configured_by_default() -> None:
    """The service is offline unless a deployment names a geocoding service."""
    assert make_geocoder(None) is None
    assert make_geocoder("nominatim") is not None
