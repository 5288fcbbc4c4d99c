"""Addresses to points: a configured geocoder's answers are cached so each is asked once."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import geo
from geo.geocoding import Geocoder
from rides.models import GeocodeCache

#: Seconds a geocoder may take before the coordinator is told to type the coordinates.
DEFAULT_TIMEOUT_S = 5.0


def make_geocoder(
    service: str | None,
    *,
    user_agent: str = "rural-cars",
    timeout: float = DEFAULT_TIMEOUT_S,
    **options: Any,
) -> Geocoder | None:
    """A geopy geocoder from the ``GEOCODER`` setting, None when not configured.

    Off by default: the service may run offline, and addresses then resolve via the gazetteer.

    Args:
        service: a geopy service name ("nominatim", "photon"...), or a name and the server's
            URL ("nominatim:https://nominatim.example.org", an own Nominatim); empty: none.
        user_agent: how the service's usage policy wants the application named (Nominatim's
            public server refuses requests without one that identifies it).
        timeout: seconds to wait for an answer.
        options: passed to the geopy class.

    Raises:
        ValueError: the name is no geopy service, or the URL is not http(s).
    """
    if not service:
        return None
    from geopy.exc import GeocoderNotFound
    from geopy.geocoders import get_geocoder_for_service

    name, _colon, url = service.strip().partition(":")
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{url!r} is not an http(s) URL")
        options = {"domain": parts.netloc + parts.path.rstrip("/"), "scheme": parts.scheme,
                   **options}  # fmt: skip
    try:
        geocoder_class = get_geocoder_for_service(name.strip().lower())
    except GeocoderNotFound as error:
        raise ValueError(f"{name!r} is not a geopy geocoding service") from error
    geocoder: Geocoder = geocoder_class(user_agent=user_agent, timeout=timeout, **options)
    return geocoder


def locate_address(session: Session, text: str, geocoder: Geocoder | None = None) -> geo.GeoPoint:
    """Where an address is; raises geo.PlaceNotFound (with suggestions) when nothing matches."""
    if geocoder is None:
        return geo.geocode(text)
    cached = cached_point(session, text)
    if cached is not None:
        return cached
    point = geo.geocode(text, geocoder)
    if point.source != "gazetteer":
        remember_point(session, text, point)
    return point


def cached_point(session: Session, text: str) -> geo.GeoPoint | None:
    """The geocoder's earlier answer for ``text`` (same words, whatever case and spacing)."""
    cached = session.scalar(select(GeocodeCache).where(GeocodeCache.query == _key(text)))
    if cached is None:
        return None
    return geo.GeoPoint(cached.latitude, cached.longitude, cached.label, cached.source)


def remember_point(session: Session, text: str, point: geo.GeoPoint) -> None:
    """Keep a geocoder's answer for ``text`` so the service is not asked again (when another
    request kept the same address meanwhile, its answer stays: the savepoint drops ours)."""
    entry = GeocodeCache(
        query=_key(text),
        latitude=point.latitude,
        longitude=point.longitude,
        label=point.label[:300],
        source=point.source[:60],
    )
    try:
        with session.begin_nested():
            session.add(entry)
    except IntegrityError:
        pass


def _key(text: str) -> str:
    return " ".join(geo.normalise(text).split())[:300]
