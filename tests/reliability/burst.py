"""A booking burst through a database outage: what each client saw and what the database kept.

Used by :mod:`tests.reliability.faults`. Clients book distinct trips, there and back, in a
loop while the server is stopped and started again under them; each answer is kept with the
trip it was for, so the database can be checked trip by trip afterwards. A booking with its
return is two rows written by two statements: a commit cut in between would show as an outward
trip without its return.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from rides.models import RideRequest
from tests.reliability.calls import call

Trip = tuple[int, dt.date, dt.time]
#: The return leaves this long after the outward trip's time.
RETURN_AFTER_MIN = 6 * 60


@dataclass(frozen=True)
class Attempt:
    """One booking: for whom and when, when it was sent and answered, and the answer."""

    trip: Trip
    sent: float
    answered: float
    status: int
    error_code: str | None
    json: bool


def burst(
    api: str,
    riders: list[tuple[int, str]],
    places: tuple[int, int],
    first_day: dt.date,
    *,
    clients: int,
    seconds: float,
    events: list[tuple[float, Callable[[], None]]],
) -> tuple[list[Attempt], dict[str, float]]:
    """Book from ``clients`` threads for ``seconds``; run each event at its time (seconds from
    the start) from the main thread. Returns the attempts and when each event finished."""
    numbers = itertools.count()
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + seconds
    attempts: list[Attempt] = []

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                n = next(numbers)
            rider_id, token = riders[n % len(riders)]
            slot = n // len(riders)
            day = first_day + dt.timedelta(days=slot % 300)
            minutes = 6 * 60 + 5 * (slot // 300)
            trip = (rider_id, day, dt.time(minutes // 60, minutes % 60))
            back = minutes + RETURN_AFTER_MIN
            body = {"origin_id": places[0], "destination_id": places[1],
                    "date": day.isoformat(), "time": trip[2].strftime("%H:%M"),
                    "return_time": f"{back // 60:02d}:{back % 60:02d}"}  # fmt: skip
            sent = time.monotonic() - start
            answer = call("POST", f"{api}/requests", token, body, timeout=30)
            attempt = Attempt(trip, sent, time.monotonic() - start, answer.status,
                              answer.error_code, "json" in answer.content_type)  # fmt: skip
            with lock:
                attempts.append(attempt)

    done: dict[str, float] = {}
    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(client) for _ in range(clients)]
        for at, action in sorted(events, key=lambda e: e[0]):
            time.sleep(max(0.0, start + at - time.monotonic()))
            action()
            done[getattr(action, "__name__", "event")] = time.monotonic() - start
        for future in futures:
            future.result()
    return attempts, done


@dataclass(frozen=True)
class Stored:
    """What the database holds after the burst, trip by trip (outward trips only)."""

    trips: set[Trip]
    rows: int
    without_return: int


def stored(engine: Engine, rider_ids: list[int]) -> Stored:
    """The riders' outward requests, and how many of them have no return trip."""
    back = aliased(RideRequest)
    with engine.connect() as connection:
        rows = connection.execute(
            select(RideRequest.rider_id, RideRequest.date, RideRequest.time, back.id.label("back"))
            .outerjoin(back, back.outward_id == RideRequest.id)
            .where(RideRequest.rider_id.in_(rider_ids), RideRequest.outward_id.is_(None))
        ).all()
    return Stored(
        {(r.rider_id, r.date, r.time) for r in rows},
        len(rows),
        sum(r.back is None for r in rows),
    )
