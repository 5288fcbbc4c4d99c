"""The service's local time: riders and drivers think in Europe/Madrid wall-clock time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Madrid")


def now() -> dt.datetime:
    """Current instant, timezone-aware (UTC)."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in the service's time zone (not the server's)."""
    return now().astimezone(LOCAL_TZ).date()


def tomorrow() -> dt.date:
    """The day after today: the first day that is always bookable, and the default day to plan."""
    return today() + dt.timedelta(days=1)


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """An aware datetime for a wall-clock time on a day, DST handled by zoneinfo.

    On the autumn night a time between 02:00 and 02:59 happens twice; it means the first one
    (still summer time, UTC+2): a rider is then picked up an hour early rather than an hour late,
    and the same typed time always gives the same instant. (``fold=1`` on ``time`` asks for the
    second; nothing typed by a person sets it.) Times in the spring gap do not exist; inputs
    are refused before they get here (``exists``, used by ``rides.validation``).
    """
    return dt.datetime.combine(day, time.replace(tzinfo=None), tzinfo=LOCAL_TZ)


def exists(day: dt.date, time: dt.time) -> bool:
    """Whether a wall-clock time happens on that day in Madrid: False for 02:00-02:59 on the
    last Sunday of March, when the clocks jump from 02:00 to 03:00."""
    local = local_datetime(day, time)
    try:
        back = local.astimezone(dt.UTC).astimezone(LOCAL_TZ)
    except OverflowError:  # 1 January of year 1: no clock change there
        return True
    return back.replace(tzinfo=None, fold=0) == local.replace(tzinfo=None, fold=0)


def seconds_since_midnight(moment: dt.datetime, day: dt.date) -> int:
    """Seconds from local midnight of ``day`` to ``moment`` (the solver's time axis)."""
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL_TZ)
    return int((moment - midnight).total_seconds())


def at_seconds(day: dt.date, seconds: int) -> dt.datetime:
    """The instant ``seconds`` after local midnight of ``day`` (inverse of the above)."""
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL_TZ)
    return (midnight + dt.timedelta(seconds=seconds)).astimezone(dt.UTC)
