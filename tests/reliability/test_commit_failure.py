"""A commit the database drops (it crashed between the insert and the COMMIT): found by
``python -m tests.reliability.faults`` as a 500; the caller must get the same JSON 503 as any
request that finds the database down, and nothing may be stored."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import Connection, event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from rides.models import RideRequest
from tests.factories import ATIENZA, SIGUENZA, Factory, tomorrow
from web.database import database


def test_a_dropped_commit_is_a_503_and_stores_nothing(
    app: Flask, sign_in, make: Factory, session: Session
) -> None:
    """Booking whose COMMIT fails: 503 ``unavailable`` in JSON with the security headers."""
    caller = sign_in(make.newcomer())
    body = {
        "origin_id": make.place(ATIENZA).id,
        "destination_id": make.place(SIGUENZA).id,
        "date": tomorrow().isoformat(),
        "time": "10:30",
    }

    def dropped(_connection: Connection) -> None:
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    # Only the app's COMMIT fails, at the database connection: everything else runs as usual.
    engine = database(app).engine
    event.listen(engine, "commit", dropped)
    try:
        response = caller.post("/requests", json=body)
    finally:
        event.remove(engine, "commit", dropped)
    assert response.status_code == 503, response.data
    assert response.json["error"]["code"] == "unavailable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(RideRequest)) == 0
