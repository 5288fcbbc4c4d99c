"""Times through the API: no UTC offsets, no times that the clock change skips (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest

from rides import clock
from tests.factories import ATIENZA, SIGUENZA, Factory, tomorrow


def next_spring_forward() -> dt.date:
    """The next last Sunday of March (always within the booking horizon of 366 days)."""
    today = clock.today()
    for year in (today.year, today.year + 1):
        day = dt.date(year, 3, 31)
        day -= dt.timedelta(days=(day.weekday() + 1) % 7)
        if day > today:
            return day
    raise AssertionError("unreachable")


def _ride(make: Factory, **fields: str) -> dict[str, object]:
    body: dict[str, object] = {
        "origin_id": make.place(ATIENZA).id,
        "destination_id": make.place(SIGUENZA).id,
        "date": tomorrow().isoformat(),
        "time": "10:30",
    }
    return body | fields


@pytest.mark.parametrize("time", ["10:00:00+05:00", "10:00Z", "09:00:00-03:00"])
def test_a_time_with_an_offset_is_refused_not_taken_as_madrid_time(
    make: Factory, sign_in, time: str
) -> None:
    """422 naming the field; nothing booked. With a naive return time too (no 500 on
    comparing the two)."""
    caller = sign_in(make.newcomer())
    response = caller.post("/requests", json=_ride(make, time=time, return_time="13:00"))
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "time_with_offset" and set(error["fields"]) == {"time"}
    assert "without a UTC offset" in error["fields"]["time"]
    assert caller.get("/requests").get_json() == []


def test_a_time_the_clocks_skip_is_refused(make: Factory, sign_in) -> None:
    """02:30 on the spring-forward night does not exist: 422 naming time and the day; 03:00
    is fine."""
    caller = sign_in(make.newcomer())
    day = next_spring_forward().isoformat()
    refused = caller.post("/requests", json=_ride(make, date=day, time="02:30"))
    assert refused.status_code == 422, refused.get_json()
    error = refused.get_json()["error"]
    assert error["code"] == "nonexistent_time" and day in error["fields"]["time"]
    assert caller.post("/requests", json=_ride(make, date=day, time="03:00")).status_code == 201


def test_a_weekly_series_through_the_gap_is_refused(make: Factory, sign_in) -> None:
    """A Sunday series at 02:15 whose third week is the spring-forward day."""
    caller = sign_in(make.newcomer())
    day = next_spring_forward()
    start = max(day - dt.timedelta(weeks=2), tomorrow())
    if (day - start).days % 7:
        start = day  # too close to the change for a series before it: the day itself
    body = _ride(make, date=start.isoformat(), time="02:15", weekly_until=day.isoformat())
    response = caller.post("/requests", json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "nonexistent_time"


def test_a_shift_in_the_gap_or_with_an_offset_is_refused(make: Factory, sign_in) -> None:
    """Drivers' availability follows the same rules."""
    driver = make.driver()
    caller = sign_in(driver)
    vehicle_id = caller.get("/vehicles").get_json()[0]["id"]
    shift = {
        "date": next_spring_forward().isoformat(),
        "vehicle_id": vehicle_id,
        "start_place_id": make.place(SIGUENZA).id,
    }
    gap = caller.post("/shifts", json=shift | {"start_time": "02:30", "end_time": "09:00"})
    assert gap.status_code == 422, gap.get_json()
    assert gap.get_json()["error"]["code"] == "nonexistent_time", gap.get_json()
    offset = caller.post("/shifts", json=shift | {"start_time": "07:00+01:00", "end_time": "09:00"})
    assert offset.status_code == 422
    assert offset.get_json()["error"]["fields"] == {
        "start_time": "Give the local time in Spain without a UTC offset, for example 10:30."
    }
