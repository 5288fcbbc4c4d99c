"""What an outbox message says by SMS: short, without a subject, within two segments.

An e-mail can say "A car will pick you up on Thursday, 3 December 2026 at 09:10 at
Fuentelahiguera de Albatages (...)"; an SMS in Arabic or Ukrainian has 134 characters in two
segments (rides/messaging/sms_segments.py). The pickup message, the one that must arrive, is
written again for SMS from the values stored with it: a short date, the time, the place and the
destination, then the app's link on its own line when it still fits. When even that is too long
(the longest village of the province with a long meeting point), the place is shortened: the
link and the full text stay on the rider's page. Latin-script texts are folded to GSM-7
("Sacedón" becomes "Sacedon"), which holds more than twice as many characters per segment.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

from babel.dates import format_skeleton

from rides.locales import translate
from rides.messaging.notifications import app_link
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
