"""Addresses to points: a configured geocoder's answers are cached so each is asked once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import geo
from geo.geocoding import Geocoder
from rides.models import GeocodeCache


def make_geocoder(
    service: str | None, *, user_agent: str = "rural-cars", **options: Any
) -> Geocoder | None:
    """A geopy geocoder by service name ("nominatim", "photon"...), None when not configured.

    Off by default: the service may run offline, and addresses then resolve via the gazetteer.
    """
    if not service:
        return None
    from geopy.geocoders import get_geocoder_for_service

    geocoder_class = get_geocoder_for_service(service)
    geocoder: Geocoder = geocoder_class(user_agent=user_agent, **options)
    return geocoder


def locate_address(session: Session, text: str, geocoder: Geocoder | None = None) -> geo.GeoPoint:
    """Where an address is; raises geo.PlaceNotFound (with suggestions) when nothing matches."""
    if geocoder is None:
        return geo.geocode(text)
    key = " ".join(geo.normalise(text).split())[:300]
    cached = session.scalar(select(GeocodeCache).where(GeocodeCache.query == key))
    if cached is not None:
        return geo.GeoPoint(cached.latitude, cached.longitude, cached.label, cached.source)
    point = geo.geocode(text, geocoder)
    if point.source != "gazetteer":
        session.add(
            GeocodeCache(
                query=key,
                latitude=point.latitude,
                longitude=point.longitude,
                label=point.label[:300],
                source=point.source[:60],
            )
        )
        session.flush()
    return point
