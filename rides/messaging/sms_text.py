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
    if message.kind == "pickup_confirmed" and "day" in payload:
        return pickup_sms(
            message.language,
            dt.date.fromisoformat(str(payload["day"])),
            str(payload.get("time", "")),
            str(payload.get("place", "")),
            str(payload.get("destination", "")),
            app_link("/newcomer/"),
        )
    return gsm_fold(message.body)


def short_date(day: dt.date, language: str) -> str:
    """Weekday and day of the month as the language abbreviates them ("jue, 3 dic")."""
    return format_skeleton("MMMEd", day, locale=language)


def pickup_sms(
    language: str, day: dt.date, time: str, place: str, destination: str, link: str
) -> str:
    """The pickup message in at most two segments: with the link when it fits, otherwise
    without, and with the place shortened as a last resort."""

    def text(where: str) -> str:
        sentence = translate(
            language,
            _("Pickup %(date)s at %(time)s in %(place)s, to %(destination)s."),
            date=short_date(day, language), time=time, place=where, destination=destination,
        )  # fmt: skip
        return gsm_fold(sentence)

    full = text(place)
    with_link = f"{full}\n{link}"
    if segments(with_link) <= MAX_SEGMENTS:
        return with_link
    if segments(full) <= MAX_SEGMENTS:
        return full
    for keep in range(len(place) - 1, 0, -1):
        kept = place[:keep].rstrip(" ,(")
        shortened = text(kept + ELLIPSIS + (")" if kept.count("(") > kept.count(")") else ""))
        if segments(shortened) <= MAX_SEGMENTS:
            return shortened
    return text(ELLIPSIS)
