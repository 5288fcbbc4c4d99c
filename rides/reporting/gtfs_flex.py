"""The service published for journey planners as a GTFS-Flex feed.

Trip planners (OpenTripPlanner, Google Maps...) read GTFS-Flex to show on-demand services:
here one route, "rural car", serving any trip between the villages of the service area,
bookable by phone up to the day before at the cut-off. The feed holds no personal data.

Files (GTFS reference, flexible services): agency, routes, calendar, trips, stops,
location_groups, location_group_stops, stop_times (one pickup/drop-off window pair over the
whole group) and booking_rules.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rides import clock
from rides.models import Place, PlaceKind


@dataclass(frozen=True)
class FeedSettings:
    """What the feed says about the operator and the booking rule."""

    agency_name: str = "rural-cars"
    agency_url: str = "https://rural-cars.example.org"
    phone: str = "+34 949 000 000"
    cutoff: dt.time = dt.time(17, 0)
    first_service: dt.time = dt.time(7, 0)
    last_service: dt.time = dt.time(20, 0)
    valid_days: int = 365
    language: str = "es"


def served_places(session: Session) -> list[Place]:
    """The service area as configured: every active village of the places directory.

    Never derived from bookings or drivers' shifts: a feed that grew with each request would
    tell anyone that someone in a small village asked for a ride (issue 15). Coordinators
    shape the area by activating or deactivating places.
    """
    query = select(Place).where(Place.active.is_(True), Place.kind == PlaceKind.MUNICIPALITY)
    return list(session.scalars(query.order_by(Place.name)))


def feed_files(places: Sequence[Place], settings: FeedSettings) -> dict[str, str]:
    """Every file of the feed as CSV text, by file name."""
    start = clock.today()
    end = start + dt.timedelta(days=settings.valid_days)
    cutoff = settings.cutoff.strftime("%H:%M:%S")
    window = (
        settings.first_service.strftime("%H:%M:%S"),
        settings.last_service.strftime("%H:%M:%S"),
    )
    return {
        "agency.txt": _csv(
            ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang",
             "agency_phone"],
            [["rural-cars", settings.agency_name, settings.agency_url, "Europe/Madrid",
              settings.language, settings.phone]],
        ),
        "routes.txt": _csv(
            ["route_id", "agency_id", "route_short_name", "route_long_name", "route_desc",
             "route_type"],
            [["rural-car", "rural-cars", "Rural car", "Rural car between villages",
              "Volunteer drivers; book by phone by the day before.", "3"]],
        ),
        "calendar.txt": _csv(
            ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
             "sunday", "start_date", "end_date"],
            [["weekdays", "1", "1", "1", "1", "1", "0", "0", start.strftime("%Y%m%d"),
              end.strftime("%Y%m%d")]],
        ),
        "trips.txt": _csv(
            ["route_id", "service_id", "trip_id"], [["rural-car", "weekdays", "rural-car-day"]]
        ),
        "stops.txt": _csv(
            ["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type"],
            [[_stop_id(p), p.name, f"{p.latitude:.6f}", f"{p.longitude:.6f}", "0"] for p in places],
        ),
        "location_groups.txt": _csv(
            ["location_group_id", "location_group_name"], [["villages", "Villages served"]]
        ),
        "location_group_stops.txt": _csv(
            ["location_group_id", "stop_id"], [["villages", _stop_id(p)] for p in places]
        ),
        "booking_rules.txt": _csv(
            ["booking_rule_id", "booking_type", "prior_notice_last_day", "prior_notice_last_time",
             "message", "phone_number", "info_url"],
            [["day-before", "2", "1", cutoff,
              f"Call the coordinators by {settings.cutoff:%H:%M} the day before your trip.",
              settings.phone, settings.agency_url]],
        ),
        "stop_times.txt": _csv(
            ["trip_id", "stop_sequence", "location_group_id", "start_pickup_drop_off_window",
             "end_pickup_drop_off_window", "pickup_type", "drop_off_type",
             "pickup_booking_rule_id", "drop_off_booking_rule_id"],
            [["rural-car-day", "1", "villages", *window, "2", "1", "day-before", "day-before"],
             ["rural-car-day", "2", "villages", *window, "1", "2", "day-before", "day-before"]],
        ),
    }  # fmt: skip


def feed_zip(places: Sequence[Place], settings: FeedSettings) -> bytes:
    """The feed as the zip file journey planners download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in feed_files(places, settings).items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _stop_id(place: Place) -> str:
    return f"ine-{place.ine_code}" if place.ine_code else f"place-{place.id}"


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
