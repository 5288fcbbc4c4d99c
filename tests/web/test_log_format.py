"""Log stamps in Madrid time with the zone named, as the scheduler's job times are."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from web.commands.log_format import LocalTimeFormatter


@pytest.mark.parametrize(
    ("utc", "stamp"),
    [
        (dt.datetime(2026, 12, 3, 17, 0, tzinfo=dt.UTC), "2026-12-03 18:00:00 CET"),
        (dt.datetime(2027, 7, 1, 16, 0, tzinfo=dt.UTC), "2027-07-01 18:00:00 CEST"),
        # The spring-forward night: 01:59:59 UTC+1, then straight to 03:00 UTC+2.
        (dt.datetime(2027, 3, 28, 0, 59, 59, tzinfo=dt.UTC), "2027-03-28 01:59:59 CET"),
        (dt.datetime(2027, 3, 28, 1, 0, 0, tzinfo=dt.UTC), "2027-03-28 03:00:00 CEST"),
    ],
)
def test_a_log_line_is_stamped_in_madrid_time(utc: dt.datetime, stamp: str) -> None:
    record = logging.LogRecord("rides", logging.INFO, __file__, 1, "planned", None, None)
    record.created = utc.timestamp()
    line = LocalTimeFormatter("%(asctime)s %(message)s").format(record)
    assert line == f"{stamp} planned"
