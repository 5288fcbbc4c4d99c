"""A proposed route change as its driver reads it: the new stop list, what is new or moved.

The driver sees passengers as on their route sheet: first name, needs (seats, children, child
seats, wheelchair), languages and the rider's note. A driver who accepted a route decides from
this page whether they can take a new passenger: a wheelchair, or "I have a pram", is part of
that answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rides.driving.sheets import Passenger, passenger_of
from rides.models import Person, Place, RideRequest, RouteChange, StopKind
from rides.places.directory import place_label
from rides.planning import route_changes


@dataclass(frozen=True)
class ChangeLine:
    """One stop of the proposed route, and how it differs from the accepted one."""

    kind: StopKind
    at: dt.datetime
    place: str
    passenger: Passenger
    new: bool
    moved_from: dt.datetime | None


@dataclass(frozen=True)
class ChangeSheet:
    """The proposal to answer: its stops, and who would no longer ride."""

    change: RouteChange
    lines: list[ChangeLine]
    removed: list[str]


def change_sheet(session: Session, actor: Person, change_id: int) -> ChangeSheet:
    """What the driver's accepted route would become with this change."""
    change = route_changes.get_change(session, actor, change_id)
    added = set(change.summary.get("added", []))
    moved = {
        (m["request_id"], m["kind"]): dt.datetime.fromisoformat(m["from"])
        for m in change.summary.get("moved", [])
    }
    lines = []
    for stop in change.stops:
        request = session.get(RideRequest, stop["request_id"])
        place = session.get(Place, stop["place_id"])
        assert request is not None and place is not None  # rows a proposal names are kept
        lines.append(
            ChangeLine(
                kind=StopKind(stop["kind"]),
                at=dt.datetime.fromisoformat(stop["planned_at"]),
                place=place_label(place),
                passenger=passenger_of(request),
                new=request.id in added,
                moved_from=moved.get((request.id, stop["kind"])),
            )
        )
    removed = [
        r.rider.first_name
        for rid in change.summary.get("removed", [])
        if (r := session.get(RideRequest, rid)) is not None
    ]
    return ChangeSheet(change, lines, removed)
