"""The GTFS-Flex feed has every file and field the GTFS reference requires for flexible trips."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from sqlalchemy.orm import Session

from rides.reporting.gtfs_flex import FeedSettings, feed_files, feed_zip, served_places
from tests.factories import Factory

#: Required fields per file (GTFS reference, including the GTFS-Flex additions).
REQUIRED = {
    "agency.txt": {"agency_name", "agency_url", "agency_timezone"},
    "routes.txt": {"route_id", "route_type"},
    "trips.txt": {"route_id", "service_id", "trip_id"},
    "calendar.txt": {
        "service_id",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "start_date",
        "end_date",
    },
    "stops.txt": {"stop_id"},
    "location_groups.txt": {"location_group_id"},
    "location_group_stops.txt": {"location_group_id", "stop_id"},
    "stop_times.txt": {"trip_id", "stop_sequence"},
    "booking_rules.txt": {"booking_rule_id", "booking_type"},
}


@pytest.fixture
def feed(session: Session, make: Factory) -> dict[str, list[dict[str, str]]]:
    make.request()
    make.shift(make.driver())
    files = feed_files(served_places(session), FeedSettings(phone="+34 949 123 456"))
    return {name: list(csv.DictReader(io.StringIO(text))) for name, text in files.items()}


def test_every_required_file_and_field_is_present(feed) -> None:
    """Each required column exists and is filled in every row."""
    for name, fields in REQUIRED.items():
        assert feed[name], name
        for row in feed[name]:
            assert all(row.get(field) for field in fields), (name, row)


def test_stops_are_the_villages_served(feed) -> None:
    """Atienza, Sigüenza (the trip) are stops of the group; coordinates inside the province."""
    names = {row["stop_name"] for row in feed["stops.txt"]}
    assert {"Atienza", "Sigüenza"} <= names
    grouped = {row["stop_id"] for row in feed["location_group_stops.txt"]}
    assert grouped == {row["stop_id"] for row in feed["stops.txt"]}
    for row in feed["stops.txt"]:
        assert 40.1 < float(row["stop_lat"]) < 41.4 and -3.6 < float(row["stop_lon"]) < -1.5


def test_flexible_stop_times_follow_the_rules(feed) -> None:
    """Windows on both records, no regular pickup/drop-off (types 0 and 3 are forbidden with
    windows), references to a real booking rule and group."""
    rules = {row["booking_rule_id"] for row in feed["booking_rules.txt"]}
    for row in feed["stop_times.txt"]:
        assert row["start_pickup_drop_off_window"] < row["end_pickup_drop_off_window"]
        assert row["pickup_type"] in ("1", "2") and row["drop_off_type"] in ("1", "2")
        assert row["location_group_id"] == "villages"
        assert {row["pickup_booking_rule_id"], row["drop_off_booking_rule_id"]} <= rules
        assert not row.get("arrival_time") and not row.get("stop_id")


def test_booking_rule_is_the_day_before_at_the_cutoff(feed) -> None:
    """booking_type 2 (prior days), last day 1, last time 17:00, the coordinators' phone."""
    (rule,) = feed["booking_rules.txt"]
    assert (rule["booking_type"], rule["prior_notice_last_day"]) == ("2", "1")
    assert rule["prior_notice_last_time"] == "17:00:00"
    assert rule["phone_number"] == "+34 949 123 456"


def test_zip_holds_every_file(session: Session) -> None:
    """With no trips yet, every village is offered; the zip lists all nine files."""
    data = feed_zip(served_places(session), FeedSettings())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert set(archive.namelist()) == set(REQUIRED)
        assert archive.read("stops.txt").decode().count("\n") == 289


def test_bookings_do_not_change_the_public_feed(session: Session, make: Factory) -> None:
    """The feed is the configured service area (issue 15, finding 5): a booking, even a
    cancelled one, from a small village that nobody booked from before leaves stops.txt as it
    was; deactivating a village in the directory is what takes it out."""
    from rides.booking.ride_requests import cancel_ride
    from tests.factories import ATIENZA

    before = feed_files(served_places(session), FeedSettings())
    trip = make.request()  # from Atienza, the feed's first booking
    make.shift(make.driver())
    assert feed_files(served_places(session), FeedSettings()) == before
    cancel_ride(session, trip.rider, trip.id)
    assert feed_files(served_places(session), FeedSettings()) == before
    make.place(ATIENZA).active = False
    session.flush()
    after = feed_files(served_places(session), FeedSettings())["stops.txt"]
    assert f"ine-{ATIENZA}," in before["stops.txt"] and f"ine-{ATIENZA}," not in after
