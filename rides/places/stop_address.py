"""Coordinates for a new named stop from its address, when a geocoder is configured.

Never required: a stop without coordinates sits at its village's point, and a coordinator can
always type them. So every way the search can fail says what to do instead: the search is
off, the service did not answer (try later, or type the coordinates), or it found nothing in
that village. Answers are cached (``rides.places.geocode_cache``): an address is asked once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

import geo
from geo.geocoding import Geocoder
from rides.errors import Conflict
from rides.models import Place
from rides.places.geocode_cache import cached_point, remember_point
from rides.validation import Checks, InvalidInput

#: How far from its village's point a stop's address may be found (the largest municipal
#: territories of the province are some 15 km across); further, it is a namesake elsewhere.
MAX_FROM_VILLAGE_M = 15_000


@dataclass(frozen=True)
class FoundAddress:
    """Where the geocoder put an address: the point, its full name, and whether it was cached."""

    latitude: float
    longitude: float
    label: str
    cached: bool


def find_stop_address(
    session: Session, village: Place, address: str, geocoder: Geocoder | None
) -> FoundAddress:
    """Look up the address of a stop to add in ``village``.

    The query names the village when the address does not (a coordinator writes "Calle Mayor
    3" on Sigüenza's page), and the answer must lie within :data:`MAX_FROM_VILLAGE_M`.

    Raises:
        Conflict: no geocoder is configured (``geocoder_off``), or it did not answer
            (``geocoder_unavailable``).
        InvalidInput: the address is empty, or nothing was found in the village
            (field ``address``).
    """
    text = " ".join(address.split())
    checks = Checks()
    if not text:
        checks.fail("address", "required", "Write an address to look for.")
        raise InvalidInput(checks.errors)
    if geocoder is None:
        raise Conflict(
            "The address search is off: type the coordinates, or leave them empty for the "
            "village centre.",
            code="geocoder_off",
        )
    query = (
        text if geo.normalise(village.name) in geo.normalise(text) else f"{text}, {village.name}"
    )
    point, cached = cached_point(session, query), True
    if point is None:
        try:
            point, cached = geo.geocoder_point(query, geocoder), False
        except geo.GeocoderUnavailable as error:
            raise Conflict(
                "The address search is not answering now. Try again later, or type the "
                "coordinates (empty: the village centre).",
                code="geocoder_unavailable",
            ) from error
    near = point is not None and (
        geo.geodesic_m((village.latitude, village.longitude), (point.latitude, point.longitude))
        <= MAX_FROM_VILLAGE_M
    )
    if point is None or not near:
        checks.fail("address", "not_found",
                    "No such address found in {village}: check it, or type the coordinates.",
                    village=village.name)  # fmt: skip
        raise InvalidInput(checks.errors)
    if not cached:
        remember_point(session, query, point)
    return FoundAddress(point.latitude, point.longitude, point.label, cached)
