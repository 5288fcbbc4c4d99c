"""The riders' notes for their driver ("I have a pram") as the driver's messages carry them.

An offer keeps the notes it was written with in its payload, so that erasing a rider can write
the offer again without theirs; the calendar and the SMS text write the same note line.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rides.locales import translate
from rides.models import Route, StopKind


def _(message: str) -> str:
    """Mark a string for extraction; it is translated per recipient by ``translate``."""
    return message


@dataclass(frozen=True)
class RiderNote:
    """What a rider wrote for the driver ("I have a pram"), as an offer carries it: the trip
    it belongs to (so erasing the rider can take it out again) and the rider's first name."""

    request_id: int
    name: str
    text: str


def note_line(language: str, name: str, note: str) -> str:
    """ "Note from Amina: I have a pram", as the routes page writes it beside the pickup."""
    return f"{translate(language, _('Note from %(name)s:'), name=name)} {note}"


def route_notes(route: Route) -> list[RiderNote]:
    """The riders' notes of a route, at their pickups in route order (one per trip; a trip
    without a note has none, and an erased rider's trip has lost it)."""
    return [
        RiderNote(stop.request_id, stop.request.rider.first_name, stop.request.driver_note)
        for stop in route.stops
        if stop.kind == StopKind.PICKUP and stop.request.driver_note
    ]


def offer_notes(payload: dict[str, Any] | None) -> list[RiderNote]:
    """The notes an offer was written with (none for an offer written before they were)."""
    stored = (payload or {}).get("notes")
    return [RiderNote(int(i), str(name), str(text)) for i, name, text in json.loads(stored or "[]")]


def stored_notes(notes: Sequence[RiderNote]) -> str:
    """The notes as an offer's payload keeps them (JSON: trip, name, text)."""
    return json.dumps([[n.request_id, n.name, n.text] for n in notes], ensure_ascii=False)
