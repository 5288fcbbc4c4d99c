"""Why a request was not served, in plain words a coordinator can act on.

The solver reports a reason code (``matching.reasons.Reason``); each code has one English
sentence saying what happened and what the coordinator can do. The sentences are marked for
extraction here and translated by the page that shows them.
"""

from __future__ import annotations

from matching.reasons import Reason


def _(message: str) -> str:
    """Mark a string for extraction; the web page translates it in the reader's language."""
    return message


#: A coordinator's own reason: the trip was taken off a route by hand.
TAKEN_OFF = "taken_off"

#: One sentence per reason code: what happened, then what to do about it.
SENTENCES: dict[str, str] = {
    Reason.NO_SHIFT_COVERS_WINDOW: _(
        "No driver is free at that time: ask a driver to add a shift, or agree another time "
        "with the rider."
    ),
    Reason.NO_WHEELCHAIR_PLACE: _(
        "No car with a wheelchair place is free that day: ask a driver with an adapted car."
    ),
    Reason.NO_CHILD_SEATS: _(
        "No free car has enough child seats: ask a driver to bring child seats, or lend some."
    ),
    Reason.NOT_ENOUGH_SEATS: _(
        "The party is larger than any free car: split the trip in two, or ask a driver with a "
        "bigger car."
    ),
    Reason.NO_VEHICLE_FITS_LOAD: _(
        "No single car has all the places this trip needs (seats, child seats, wheelchair): "
        "split the trip or ask a driver with a suitable car."
    ),
    Reason.DIRECT_TRIP_TOO_LONG: _(
        "The time asked for leaves no time for the journey itself: check the time with the "
        "rider and give more flexibility."
    ),
    Reason.UNREACHABLE_IN_SHIFT: _(
        "The free drivers are too far away to do this trip within their hours: ask a driver "
        "nearer to the village, or a longer shift."
    ),
    Reason.LINKED_TRIP_UNSERVED: _(
        "The other half of this return trip cannot be served, so this half was left out too: "
        "solve the other trip first."
    ),
    Reason.LOCKED_ROUTE_INFEASIBLE: _(
        "It is kept with a driver whose route can no longer take it: release it or move it to "
        "another driver, then plan again."
    ),
    Reason.NO_CAPACITY_LEFT: _(
        "Every car that could take it is already full at that time: find one more driver, or "
        "move the time."
    ),
    TAKEN_OFF: _(
        "A coordinator took it off its route: give it to another driver, or call the rider."
    ),
}

#: What is said for a code this version does not know (a newer solver, an old plan).
UNKNOWN = _("The planner could not serve this trip: look at the details, or call the rider.")


def reason_sentence(code: str) -> str:
    """The English sentence for a reason code (translate it where it is shown)."""
    return SENTENCES.get(code, UNKNOWN)


#: A few words per reason code, for lists and tables that count them (reports).
LABELS: dict[str, str] = {
    Reason.NO_SHIFT_COVERS_WINDOW: _("No driver free at that time"),
    Reason.NO_WHEELCHAIR_PLACE: _("No wheelchair place"),
    Reason.NO_CHILD_SEATS: _("Not enough child seats"),
    Reason.NOT_ENOUGH_SEATS: _("Party larger than any car"),
    Reason.NO_VEHICLE_FITS_LOAD: _("No car fits all the places needed"),
    Reason.DIRECT_TRIP_TOO_LONG: _("Too little time for the journey"),
    Reason.UNREACHABLE_IN_SHIFT: _("Drivers too far away"),
    Reason.LINKED_TRIP_UNSERVED: _("Other half of the return not served"),
    Reason.LOCKED_ROUTE_INFEASIBLE: _("Kept with a driver who cannot take it"),
    Reason.NO_CAPACITY_LEFT: _("Every car already full"),
    TAKEN_OFF: _("Taken off its route by a coordinator"),
}

#: The label of a code this version does not know (or a trip with no code recorded).
UNKNOWN_LABEL = _("Other reason")


def reason_label(code: str) -> str:
    """The English label for a reason code (translate it where it is shown)."""
    return LABELS.get(code, UNKNOWN_LABEL)
