"""The planner's note on an unserved request, in the reader's language.

The solver gives a reason code, an English sentence for logs (``detail``) and the figures behind
it (``params``: the direct trip and the ride limit in seconds, the places needed, the linked
trip). The note is written here from the code and the figures, with sentences from the
catalogues and numbers, durations and lists formatted by Babel: "El viaje directo dura
1 h 12 min; ...". A plan stored before the figures were kept has none: a reason that needs them
then has no note (the reason's own sentence says what to do).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from matching.reasons import Reason
from rides.locales import local_duration, local_list, translate, translate_plural
from rides.planning.unserved_reasons import reason_label

Params = Mapping[str, int | str]


def _(message: str) -> str:
    """Mark a string for extraction; it is translated when the note is written."""
    return message


def ngettext(singular: str, plural: str, n: int, language: str) -> str:
    """``singular`` or ``plural`` in the language's CLDR forms for ``n``, extracted like ``_``."""
    return translate_plural(language, singular, plural, n)


#: Plain notes: the reason says it all, no figures needed.
PLAIN: dict[str, str] = {
    Reason.NO_SHIFT_COVERS_WINDOW: _("No driver's shift overlaps the time of this trip."),
    Reason.UNREACHABLE_IN_SHIFT: _(
        "No shift can reach the pickup, make the trip and be back within its hours."
    ),
    Reason.LOCKED_ROUTE_INFEASIBLE: _(
        "The route it is kept on has no possible timetable any more."
    ),
}


def _places(params: Params, language: str) -> str | None:
    """ "3 seats, 1 child seat and 1 wheelchair place" for the amounts in ``params``."""
    counts = {name: int(params.get(name, 0)) for name in PLACE_WORDS}
    if "dimension" in params:
        counts = {str(params["dimension"]): int(params.get("amount", 0))}
    words = [
        PLACE_WORDS[name](n, language)
        for name, n in counts.items()
        if n > 0 and name in PLACE_WORDS
    ]
    return local_list(words, language) if words else None


#: How many of each kind of place, by the solver's capacity names.
PLACE_WORDS: dict[str, Callable[[int, str], str]] = {
    "seats": lambda n, language: ngettext("%(n)d seat", "%(n)d seats", n, language),
    "child_seats": lambda n, language: ngettext(
        "%(n)d child seat", "%(n)d child seats", n, language
    ),
    "wheelchair_places": lambda n, language: ngettext(
        "%(n)d wheelchair place", "%(n)d wheelchair places", n, language
    ),
}


def _direct_trip(params: Params, language: str) -> str | None:
    if "direct_s" not in params or "ride_limit_s" not in params:
        return None
    return translate(
        language,
        _(
            "The direct trip takes %(direct)s; with the times asked for and a ride limit of "
            "%(limit)s there is no time for it."
        ),
        direct=local_duration(int(params["direct_s"]), language),
        limit=local_duration(int(params["ride_limit_s"]), language),
    )


def _short(params: Params, language: str) -> str | None:
    places = _places(params, language)
    if places is None:
        return None
    return translate(
        language, _("It needs %(places)s; no shift at that time has that many."), places=places
    )


def _no_single_car(params: Params, language: str) -> str | None:
    places = _places(params, language)
    if places is None:
        return None
    return translate(
        language,
        _("It needs %(places)s in one car; no single car at that time has all of them."),
        places=places,
    )


def _linked(params: Params, language: str) -> str | None:
    if "partner" not in params:
        return None
    why = translate(language, reason_label(str(params.get("partner_reason", ""))))
    return translate(
        language,
        _("Its linked trip #%(partner)d cannot be served (%(why)s)."),
        partner=int(params["partner"]),
        why=why,
    )


def _no_room(params: Params, language: str) -> str | None:
    if "partner" in params:
        return translate(
            language,
            _(
                "It could go alone, but not together with its linked trip #%(partner)d and "
                "the other trips."
            ),
            partner=int(params["partner"]),
        )
    return translate(language, _("It could go alone, but no car has room at that time."))


WRITERS: dict[str, Callable[[Params, str], str | None]] = {
    Reason.DIRECT_TRIP_TOO_LONG: _direct_trip,
    Reason.NOT_ENOUGH_SEATS: _short,
    Reason.NO_CHILD_SEATS: _short,
    Reason.NO_WHEELCHAIR_PLACE: _short,
    Reason.NO_VEHICLE_FITS_LOAD: _no_single_car,
    Reason.LINKED_TRIP_UNSERVED: _linked,
    Reason.NO_CAPACITY_LEFT: _no_room,
}


def unserved_note(reason: str, params: Params | None, language: str) -> str | None:
    """The planner's note for ``reason`` with its figures in ``language``; None when there is
    nothing to add to the reason's sentence (an unknown code, a stored plan without figures)."""
    if reason in PLAIN:
        return translate(language, PLAIN[reason])
    writer = WRITERS.get(reason)
    return writer(params or {}, language) if writer is not None else None


@dataclass(frozen=True)
class UnservedNote:
    """A reason and its figures, written as a sentence in the language of whoever reads it."""

    reason: str
    params: Mapping[str, int | str] = field(default_factory=dict, hash=False)

    def text(self, language: str) -> str | None:
        """The note in ``language`` (None: nothing to add)."""
        return unserved_note(self.reason, self.params, language)
