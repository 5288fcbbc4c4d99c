"""What an outbox message says by SMS: short, without a subject, within two segments.

An e-mail can say "A car will pick you up on Thursday, 3 December 2026 at 09:10 at
Fuentelahiguera de Albatages (...)"; an SMS in Arabic or Ukrainian has 134 characters in two
segments (rides/messaging/sms_segments.py). The pickup message, the one that must arrive, is
written again for SMS from the values stored with it: a short date, the time, the place and the
destination, then the app's link on its own line when it still fits. When even that is too long
(the longest village of the province with a long meeting point), the place is shortened: the
link and the full text stay on the rider's page. Latin-script texts are folded to GSM-7
("Sacedón" becomes "Sacedon"), which holds more than twice as many characters per segment.

A driver's route offer carries the riders' notes for the driver; by SMS they take only the room
the offer leaves within two segments (shortened, or left out), never the offer's own words or
its link: the routes page behind the link shows every note whole.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence

from babel.dates import format_skeleton

from rides.locales import translate
from rides.messaging.notifications import (
    ROUTE_OFFERED,
    ROUTE_OFFERED_LINK,
    app_link,
    compose,
)
from rides.messaging.rider_notes import note_line, offer_notes
from rides.messaging.sms_segments import gsm_fold, segments
from rides.models import OutboxMessage

#: The most segments a message we compose for SMS may take.
MAX_SEGMENTS = 2
ELLIPSIS = "…"


def _(message: str) -> str:
    """Mark a string for extraction; translated per recipient by ``translate``."""
    return message


def sms_text(message: OutboxMessage) -> str:
    """The SMS for an outbox message: the short pickup text, else the body (no subject)."""
    payload = message.payload or {}
    if message.kind == "pickup_confirmed" and "day" in payload and "village" in payload:
        return pickup_sms(
            message.language,
            dt.date.fromisoformat(str(payload["day"])),
            str(payload.get("time", "")),
            str(payload["village"]),
            str(payload.get("meeting", "")),
            str(payload.get("destination", "")),
            app_link("/newcomer/"),
        )
    notes = offer_notes(payload) if message.kind == "route_offered" else []
    if notes:
        sentence = translate(message.language, ROUTE_OFFERED, **payload)
        pairs = [(note_line(message.language, n.name, ""), n.text) for n in notes]
        return offer_sms(sentence, pairs, ROUTE_OFFERED_LINK)
    return gsm_fold(message.body)


def short_date(day: dt.date, language: str) -> str:
    """Weekday and day of the month as the language abbreviates them ("jue, 3 dic")."""
    return format_skeleton("MMMEd", day, locale=language)


def _shorter(text: str) -> Iterator[str]:
    """``text`` cut one character at a time, with an ellipsis, down to the ellipsis alone."""
    for keep in range(len(text) - 1, -1, -1):
        yield text[:keep].rstrip(" ,;(") + ELLIPSIS


def pickup_sms(
    language: str,
    day: dt.date,
    time: str,
    village: str,
    meeting: str,
    destination: str,
    link: str,
) -> str:
    """The pickup message in at most two segments: with the link when it fits, otherwise
    without; then the meeting point, and last the destination, shortened. The date, the time
    and the village are never cut."""

    def text(meeting: str, destination: str) -> str:
        place = f"{village} ({meeting})" if meeting else village
        sentence = translate(
            language,
            _("Pickup %(date)s at %(time)s in %(place)s, to %(destination)s."),
            date=short_date(day, language), time=time, place=place, destination=destination,
        )  # fmt: skip
        return gsm_fold(sentence)

    full = text(meeting, destination)
    candidates = itertools.chain(
        [f"{full}\n{link}", full],
        (text(shorter, destination) for shorter in _shorter(meeting) if meeting),
        (text("", shorter) for shorter in _shorter(destination)),
    )
    for candidate in candidates:
        if segments(candidate) <= MAX_SEGMENTS:
            return candidate
    return text("", ELLIPSIS)


def offer_sms(sentence: str, notes: Sequence[tuple[str, str]], link: str) -> str:
    """A route offer with the riders' notes (each a label and the rider's words) in at most
    two segments. The sentence and the link are never cut (an offer too long without notes goes
    as it always did, then without them); notes are kept whole while they fit, the first that
    does not is shortened with an ellipsis when some of its words fit, and the rest are left
    out."""

    def text(lines: Sequence[str]) -> str:
        return gsm_fold(compose(sentence, lines, link))

    kept: list[str] = []
    for label, note in notes:
        whole = f"{label}{note}"
        if segments(text([*kept, whole])) <= MAX_SEGMENTS:
            kept.append(whole)
            continue
        cut = (f"{label}{shorter}" for shorter in _shorter(note) if shorter != ELLIPSIS)
        fitting = next(
            (line for line in cut if segments(text([*kept, line])) <= MAX_SEGMENTS), None
        )
        if fitting is not None:
            kept.append(fitting)
        break
    return text(kept)
