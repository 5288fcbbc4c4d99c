"""On-time performance: marked pickups against the times their riders were promised."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy.orm import Session

import geo
from rides.driving.routes import record_stop
from rides.models import StopKind, StopStatus
from rides.reporting.monthly import month_report, report_csv
from rides.reporting.on_time import OnTime
from tests.clocks import ServiceClock
from tests.factories import Factory
from tests.reports_on_time import FIRST, MONTH, SECOND, seed_on_time_days

DECEMBER_4 = dt.date(2026, 12, 4)


def _counts(figures: OnTime) -> tuple[int, int, int, int]:
    return figures.pickups, figures.within_5, figures.within_10, figures.within_15


def test_pickups_marked_by_the_driver_on_the_day(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """Javier's real route, planned and published: he marks Amina's pickup 3 minutes after the
    time she was promised and Ioana's 12 minutes after (the clock at each tap is the mark):
    one of two within 5 and 10 minutes, both within 15; Ioana's is the latest pickup."""
    made = accepted_route(DECEMBER_4)
    late = {made.amina.id: 3, made.ioana.id: 12}
    for request in (made.amina, made.ioana):
        promised = request.confirmed_pickup_at
        assert promised is not None and promised.date() == DECEMBER_4
        service_clock.set(promised + dt.timedelta(minutes=late[request.id]))
        record_stop(session, made.driver, made.stop(request, StopKind.PICKUP).id, StopStatus.DONE)
    on_time = month_report(session, "2026-12").on_time
    assert _counts(on_time.total) == (2, 1, 1, 2)
    assert on_time.total.share(5) == 0.5 and on_time.total.share(15) == 1.0
    assert list(on_time.days) == [DECEMBER_4] and _counts(on_time.days[DECEMBER_4]) == (2, 1, 1, 2)
    assert list(on_time.areas) == [geo.area_of(made.ioana.origin.latitude,
                                               made.ioana.origin.longitude)]  # fmt: skip
    assert [(p.village, p.driver, p.late_min) for p in on_time.latest] == [
        ("Jadraque", "Javier", 12.0),
        ("Atienza", "Javier", 3.0),
    ]
    assert on_time.latest[0].promised_at == made.ioana.confirmed_pickup_at


def test_a_pickup_not_marked_yet_counts_nothing(
    session: Session, accepted_route, service_clock: ServiceClock
) -> None:
    """Before the day is driven there is nothing to measure: no share, no division by zero."""
    accepted_route(DECEMBER_4)
    on_time = month_report(session, "2026-12").on_time
    assert on_time.total.pickups == 0 and on_time.total.share(5) is None
    assert (on_time.days, on_time.areas, on_time.latest) == ({}, {}, [])


def test_per_day_and_area(session: Session, make: Factory, service_clock: ServiceClock) -> None:
    """Six pickups counted of eight trips (a no-show and a pickup not marked are left out, and
    so is the superseded plan's): +2, -4, +9, +31 the first day, +14 and -12 the second;
    Guadalajara's on the A-2, Molina's in the Señorío. An early car counts as far off as a
    late one."""
    seed_on_time_days(session, make, service_clock)
    on_time = month_report(session, MONTH).on_time
    assert _counts(on_time.total) == (6, 2, 3, 5)
    assert {day: _counts(f) for day, f in on_time.days.items()} == {
        FIRST: (4, 2, 3, 3),
        SECOND: (2, 0, 0, 2),
    }
    areas = [(area, _counts(f)) for area, f in on_time.areas.items()]
    assert areas == [("Corredor A-2", (3, 2, 2, 3)), ("Molina de Aragón", (3, 0, 1, 2))]


def test_latest_pickups_are_the_late_ones_latest_first(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """The list names the day, the village and the driver's first name; early pickups are not
    late, and the superseded plan's hour-late pickup is not there."""
    seed_on_time_days(session, make, service_clock)
    latest = month_report(session, MONTH).on_time.latest
    assert [(p.date, p.village, p.driver, p.late_min) for p in latest] == [
        (FIRST, "Molina de Aragón", "Pedro", 31.0),
        (SECOND, "Molina de Aragón", "Pedro", 14.0),
        (FIRST, "Molina de Aragón", "Pedro", 9.0),
        (FIRST, "Guadalajara", "Lucía", 2.0),
    ]


def test_exports_carry_the_on_time_figures(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """The CSV has the pickups and the three shares per village and in total; the JSON the
    days, areas and latest pickups."""
    seed_on_time_days(session, make, service_clock)
    report = month_report(session, MONTH)
    rows = {row["village"]: row for row in csv.DictReader(io.StringIO(report_csv(report)))}
    total = rows["TOTAL"]
    assert (total["pickups_marked"], total["on_time_5_min"], total["on_time_10_min"],
            total["on_time_15_min"]) == ("6", "0.333", "0.500", "0.833")  # fmt: skip
    assert (rows["Guadalajara"]["pickups_marked"], rows["Guadalajara"]["on_time_5_min"]) == (
        "3",
        "0.667",
    )
    data = report.as_dict()["on_time"]
    assert data["windows_min"] == [5, 10, 15]
    assert data["days"]["2027-03-10"] == {
        "pickups": 2, "within_5": 0, "within_10": 0, "within_15": 2,
        "share_5": 0.0, "share_10": 0.0, "share_15": 1.0,
    }  # fmt: skip
    assert data["latest"][0]["late_min"] == 31.0 and data["latest"][0]["driver"] == "Pedro"
    assert data["latest"][0]["promised_at"].startswith("2027-03-09T")
