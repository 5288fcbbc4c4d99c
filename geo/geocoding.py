"""Geocoding free-text addresses: a configured geopy geocoder, else the gazetteer.

Off-line by default: without a geocoder the address is resolved to the municipality it
names ("Calle Mayor 3, Siguenza" is Sigüenza's point). A deployment may pass any geopy
geocoder (``geopy.geocoders.Nominatim(user_agent=...)``, ...); its answer is kept only if it
lies in the province, and when it fails or answers nothing usable the gazetteer is used
instead, marked ``source="gazetteer"`` so the caller knows the point is the village's.
Caching answers is the caller's job (rides/ stores them), so this stays a plain function.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Protocol

from geopy.exc import GeopyError

from geo.errors import AmbiguousPlace, GeocoderUnavailable, GeoError, PlaceNotFound
from geo.gazetteer import municipality
from geo.points import GeoPoint
from geo.search import normalise, resolve

log = logging.getLogger(__name__)

#: Appended to queries sent to a geocoder that do not already name the province.
DEFAULT_REGION = "Provincia de Guadalajara, España"
#: Accepted extent of geocoder answers: the province's real extent plus about 5 km.
PROVINCE_BOUNDS = ((40.10, -3.60), (41.38, -1.47))
#: Address parts that name the region, not a place in it; skipped.
_REGION_PARTS = frozenset(
    {"espana", "spain", "castilla mancha", "clm", "provincia guadalajara", "guadalajara spain"}
)
#: The province shares its name with its capital: a part that is only this is tried last.
_PROVINCE_NAME = "guadalajara"
#: First words of a street name (normalised): such a part is tried after the others.
_STREET_WORDS = frozenset(
    {
        "calle",
        "c",
        "cl",
        "avenida",
        "avda",
        "av",
        "plaza",
        "pza",
        "pl",
        "paseo",
        "camino",
        "carretera",
        "ctra",
        "travesia",
        "ronda",
        "glorieta",
        "urbanizacion",
        "urb",
        "callejon",
        "barrio",
        "poligono",
        "pasaje",
        "cuesta",
        "paraje",
        "plazuela",
    }
)
_HAS_DIGIT = re.compile(r"\S*\d\S*")


class Geocoder(Protocol):
    """The part of a geopy geocoder used here: ``geocode(query, exactly_one=True)``."""

    def geocode(self, query: str, *, exactly_one: bool = ...) -> Any:
        """Return a location with ``latitude``, ``longitude``, ``address``, or None."""
        ...


def geocode(
    text: str,
    geocoder: Geocoder | None = None,
    *,
    region: str = DEFAULT_REGION,
) -> GeoPoint:
    """Locate a free-text address in the province.

    Args:
        text: an address as typed, e.g. ``"Calle Mayor 3, 19250 Siguenza"``.
        geocoder: a geopy geocoder (or anything with the same ``geocode`` method); None, the
            default, resolves through the gazetteer only and never touches the network.
        region: appended to the query sent to ``geocoder`` unless the text already names
            Guadalajara.

    Returns:
        A :class:`GeoPoint`: the geocoder's point (``source`` is the geocoder's class name in
        lower case) or the named municipality's point (``source="gazetteer"``, with its
        ``ine_code``).

    Raises:
        GeoError: ``text`` is empty.
        PlaceNotFound: no municipality is named; ``.suggestions`` holds the nearest names.
        AmbiguousPlace: the address names a municipality ambiguously ("Alcolea").
    """
    text = text.strip()
    if not text:
        raise GeoError("cannot geocode an empty address")
    if geocoder is not None:
        try:
            point = geocoder_point(text, geocoder, region=region)
        except GeocoderUnavailable as error:
            log.warning("%s, using the gazetteer", error)
            point = None
        if point is not None:
            return point
    return _from_gazetteer(text)


def geocoder_point(
    text: str, geocoder: Geocoder, *, region: str = DEFAULT_REGION
) -> GeoPoint | None:
    """Ask ``geocoder`` alone (no gazetteer) where an address is.

    Args:
        text: an address as typed.
        geocoder: a geopy geocoder (or anything with the same ``geocode`` method).
        region: appended to the query unless the text already names Guadalajara.

    Returns:
        The geocoder's point (``source`` is its class name in lower case), or None when it
        found nothing or only a place outside the province (logged).

    Raises:
        GeocoderUnavailable: the geocoder failed to answer (timeout, HTTP error...), which is
            not the same as finding nothing: the caller can say "try again later".
    """
    source = type(geocoder).__name__.lower()
    query = text if _PROVINCE_NAME in normalise(text) else f"{text}, {region}"
    try:
        location = geocoder.geocode(query, exactly_one=True)
    except GeopyError as error:
        raise GeocoderUnavailable(f"geocoder {source} failed for {query!r}: {error}") from error
    if location is None:
        log.info("geocoder %s found nothing for %r, using the gazetteer", source, query)
        return None
    if isinstance(location, list):
        location = location[0] if location else None
        if location is None:
            return None
    latitude, longitude = float(location.latitude), float(location.longitude)
    (south, west), (north, east) = PROVINCE_BOUNDS
    if not (south <= latitude <= north and west <= longitude <= east):
        log.warning(
            "geocoder %s placed %r outside the province (%s, %s), using the gazetteer",
            source,
            query,
            latitude,
            longitude,
        )
        return None
    label = str(getattr(location, "address", None) or text)
    return GeoPoint(latitude, longitude, label, source)


def _parts(text: str) -> list[str]:
    """Return the address parts to try, most telling first.

    Comma parts are tried from the last (addresses end with the town), then a part that is
    only "Guadalajara" (the province as often as the capital), then street-like parts
    ("Calle de Sigüenza" is a street, not the town). Numbers (postcodes, house numbers) go.
    """
    ranked: list[tuple[int, int, str]] = []
    for position, raw in enumerate(reversed(text.split(","))):
        cleaned = " ".join(_HAS_DIGIT.sub(" ", raw).split())
        words = normalise(cleaned).split()
        if not words or " ".join(words) in _REGION_PARTS:
            continue
        if words[0] in _STREET_WORDS:
            rank = 2
        elif words == [_PROVINCE_NAME]:
            rank = 1
        else:
            rank = 0
        ranked.append((rank, position, cleaned))
    return [part for _, _, part in sorted(ranked)] or [text]


def _from_gazetteer(text: str) -> GeoPoint:
    """Resolve an address to the municipality it names."""
    first_error: PlaceNotFound | AmbiguousPlace | None = None
    for part in _parts(text):
        try:
            match = resolve(part)
        except (PlaceNotFound, AmbiguousPlace) as error:
            if first_error is None or (
                isinstance(first_error, PlaceNotFound) and not first_error.suggestions
            ):
                first_error = error
            continue
        place = municipality(str(match.key))
        return GeoPoint(place.latitude, place.longitude, place.name, "gazetteer", place.ine_code)
    if isinstance(first_error, AmbiguousPlace):
        raise AmbiguousPlace(text, first_error.candidates)
    suggestions = first_error.suggestions if first_error is not None else ()
    raise PlaceNotFound(text, suggestions)
