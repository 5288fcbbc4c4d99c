"""Report figures against a small month computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from rides.reporting.monthly import month_bounds, month_report, report_csv


def test_month_totals(session: Session, report_month: str) -> None:
    """Requested 5, served 3 (a no-show was served), 4 passengers, 50 km (the route driven, not
    the accepted one still to drive), waits 10/6/10 min."""
    report = month_report(session, report_month)
    total = report.total
    assert report.routes_driven == 1
    assert (total.requested, total.served, total.unserved) == (5, 3, 1)
    assert total.unserved_by_reason == {"no_wheelchair_place": 1}
    assert (total.passengers, total.km, total.km_per_passenger) == (4, 50.0, 12.5)
    assert total.by_purpose == {
        "administration": 0.2,
        "health": 0.4,
        "shopping": 0.2,
        "training_work": 0.2,
    }
    assert total.average_wait_min == 8.7
    assert (total.cancelled, total.no_shows) == (1, 1)


def test_per_village(session: Session, report_month: str) -> None:
    """Atienza: 3 asked, 1 served, 25 km (half of the driven route: the car went to a pickup
    in each village); Jadraque 2 asked, 25 km (its trip on the undriven route counts none)."""
    villages = month_report(session, report_month).villages
    atienza, jadraque = villages["Atienza"], villages["Jadraque"]
    assert (atienza.requested, atienza.served, atienza.unserved, atienza.cancelled) == (3, 1, 1, 1)
    assert (atienza.passengers, atienza.km) == (2, 25.0)
    assert (jadraque.requested, jadraque.served, jadraque.no_shows, jadraque.km) == (2, 2, 1, 25.0)


def test_csv_has_a_row_per_village_and_a_total(session: Session, report_month: str) -> None:
    """The export opens in a spreadsheet: header, Atienza, Jadraque, TOTAL."""
    lines = report_csv(month_report(session, report_month)).strip().splitlines()
    assert lines[0].startswith("month,village,requested,served")
    assert [line.split(",")[1] for line in lines[1:]] == ["Atienza", "Jadraque", "TOTAL"]


def test_an_empty_month_has_no_division_by_zero(session: Session) -> None:
    """A month without trips reports zeros, no averages and no route driven."""
    report = month_report(session, "2031-02")
    total = report.total
    assert (total.requested, total.km_per_passenger, total.average_wait_min) == (0, None, None)
    assert report.routes_driven == 0


def test_month_bounds() -> None:
    """February of a leap year ends on the 29th; a bad month is a ValueError."""
    assert month_bounds("2028-02") == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    with pytest.raises(ValueError, match=r"unconverted data remains|does not match format"):
        month_bounds("2028-13")
