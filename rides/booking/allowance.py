"""How many trips one newcomer may book for themselves in a day, however they book.

The web's rate limits count requests per address and per credential, so a second API token or
the booking page started a fresh count. This rule counts the trips already in the database for
the person, so every way in (pages, any number of tokens) shares one allowance. Coordinators
booking on someone's behalf are not counted: they are staff, and each of their bookings is
audited.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides import clock
from rides.errors import LimitReached
from rides.models import Person, RideRequest

#: Trips a newcomer may create for themselves in any 24 hours: two quarter-long weekly series
#: with their returns (2 x 26) and a few single rides. Cancelled trips still count, so booking
#: and cancelling in a loop cannot fill the planner's day.
MAX_OWN_TRIPS_PER_DAY = 60
WINDOW = dt.timedelta(hours=24)


def check_allowance(session: Session, actor: Person, rider: Person, new_trips: int) -> None:
    """Refuse (429) a booking of ``new_trips`` that would take the rider over the allowance.

    The rider's row is locked first (PostgreSQL; SQLite writes one at a time anyway), so two
    bookings arriving together through two tokens are counted one after the other.
    """
    if actor.id != rider.id:
        return
    session.execute(select(Person.id).where(Person.id == rider.id).with_for_update())
    since = clock.now() - WINDOW
    booked = session.scalar(
        select(func.count(RideRequest.id)).where(
            RideRequest.rider_id == rider.id,
            RideRequest.booked_by_id.is_(None),
            RideRequest.created_at >= since,
        )
    )
    if (booked or 0) + new_trips > MAX_OWN_TRIPS_PER_DAY:
        raise LimitReached(
            "You have booked {booked} trips in the last 24 hours; at most {limit} a day. "
            "Please wait, or call the coordinators.",
            booked=booked or 0,
            limit=MAX_OWN_TRIPS_PER_DAY,
            fields={"rider": "daily booking limit reached"},
        )
