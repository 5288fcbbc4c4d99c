"""Replies to the evening-before reminder: "1" or "yes" confirms the ride, "2" or "no" cancels it.

Riders answer the reminder by SMS or WhatsApp with a word of their own language (or of
Spanish, which every rider here meets) or with the digit the reminder offers. The answer
applies to the rider's next ride that had a reminder, with exactly the rules of the signed
links (``rides.booking.reminders.answer_ride``): a cancelled, finished or started trip, or
one whose pickup time has passed, is refused the same way. Anything else (free text, an
unknown number, a yes with no reminded ride, a refused answer) waits in the coordinators'
inbox; the rider hears back in their language through the outbox either way.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from rides import clock
from rides.booking import reminders
from rides.booking.lifecycle import FINAL
from rides.booking.reminders import Action
from rides.errors import DomainError
from rides.locales import local_date, local_time, translate
from rides.messaging import notifications
from rides.models import InboundMessage, OutboxMessage, Person, ReplyOutcome, RideRequest


def _(message: str) -> str:
    """Mark a string for extraction; it is translated per recipient by ``translate``."""
    return message


#: Whole-message answers per language, written as ``normalise`` leaves them (no accents, lower
#: case). A rider's own language and Spanish are understood.
YES: dict[str, frozenset[str]] = {
    "es": frozenset({"si", "vale"}),
    "ar": frozenset({"نعم"}),
    "ro": frozenset({"da"}),
    "fr": frozenset({"oui"}),
    "en": frozenset({"yes"}),
    "uk": frozenset({"так"}),
}
NO: dict[str, frozenset[str]] = {
    "es": frozenset({"no"}),
    "ar": frozenset({"لا"}),
    "ro": frozenset({"nu"}),
    "fr": frozenset({"non"}),
    "en": frozenset({"no"}),
    "uk": frozenset({"ні"}),
}
#: The Arabic letter-stretching mark ("نعـــم"), a letter to Unicode, not a mark.
TATWEEL = "\u0640"
DIGITS: dict[str, Action] = {"1": "confirm", "2": "cancel"}


def normalise(text: str) -> str:
    """Lower case, without accents, Arabic vowel marks, punctuation, symbols (emoji) or extra
    spaces; digits of any script as ASCII ("١" is "1"). "¡Sí!" and "si" read alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept: list[str] = []
    for char in decomposed:
        category = unicodedata.category(char)
        if char == TATWEEL or (category.startswith(("M", "P", "S", "C")) and not char.isspace()):
            continue  # accents and harakat, punctuation, symbols, invisible format marks
        if category == "Nd":
            char = str(unicodedata.decimal(char))
        kept.append(char)
    return " ".join("".join(kept).split())


def read_answer(body: str, language: str) -> Action | None:
    """What a whole message answers in ``language`` (or Spanish): confirm, cancel, or None."""
    word = normalise(body)
    if word in DIGITS:
        return DIGITS[word]
    for words, action in ((YES, "confirm"), (NO, "cancel")):
        if word in words.get(language, frozenset()) | words["es"]:
            return action  # type: ignore[return-value]
    return None


def interpret(
    session: Session, message: InboundMessage, *, now: dt.datetime | None = None
) -> ReplyOutcome:
    """Act on a stored reply: answer the reminded ride, or leave it for the coordinators.

    Sets the message's outcome and ride, and writes the rider's acknowledgement (once per
    reply, by its id) to the outbox.
    """
    now = now or clock.now()
    person = message.person
    if person is None:
        message.outcome = ReplyOutcome.INBOX
        return message.outcome
    action = read_answer(message.body, person.preferred_language)
    ride = reminded_ride(session, person, now)
    if action is None or ride is None:
        told = ride or next_ride(session, person, now)
        message.request_id = told.id if told is not None else None
        message.outcome = ReplyOutcome.INBOX
        _acknowledge_inbox(session, person, now)
        return message.outcome
    message.request_id = ride.id
    try:
        reminders.answer_ride(session, ride, action, via=message.channel.value, now=now)
    except DomainError as refusal:
        message.outcome = ReplyOutcome.INBOX
        _acknowledge_refusal(session, person, message, ride, refusal)
        return message.outcome
    message.outcome = ReplyOutcome.CONFIRMED if action == "confirm" else ReplyOutcome.CANCELLED
    _acknowledge_answer(session, person, message, ride)
    return message.outcome


def reminded_ride(session: Session, person: Person, now: dt.datetime) -> RideRequest | None:
    """The ride a "yes" or "no" from this person is about: of their rides from today on that
    had a reminder, the next open one still to come; else the next to come whatever its state
    (a cancelled one, to say so); else today's last one whose pickup has passed (to say so)."""
    rides = session.scalars(
        select(RideRequest).where(
            RideRequest.rider_id == person.id,
            RideRequest.date >= now.astimezone(clock.LOCAL_TZ).date(),
        )
    ).all()
    if not rides:
        return None
    keys = session.scalars(
        select(OutboxMessage.dedup_key).where(
            OutboxMessage.recipient_id == person.id,
            OutboxMessage.kind == "ride_reminder",
            or_(
                *(
                    OutboxMessage.dedup_key.startswith(notifications.reminder_key_prefix(r.id))
                    for r in rides
                )
            ),
        )
    ).all()
    reminded = sorted(
        (
            r
            for r in rides
            if any(k.startswith(notifications.reminder_key_prefix(r.id)) for k in keys)
        ),
        key=lambda r: (reminders.pickup_of(r), r.id),
    )
    coming = [r for r in reminded if reminders.pickup_of(r) > now]
    open_coming = [r for r in coming if r.status not in FINAL]
    if open_coming:
        return open_coming[0]
    if coming:
        return coming[0]
    return reminded[-1] if reminded else None


def next_ride(session: Session, person: Person, now: dt.datetime) -> RideRequest | None:
    """The person's next open ride, so a coordinator reading a free-text reply sees it."""
    rides = session.scalars(
        select(RideRequest).where(
            RideRequest.rider_id == person.id,
            RideRequest.date >= now.astimezone(clock.LOCAL_TZ).date(),
            RideRequest.status.not_in(FINAL),
        )
    ).all()
    coming = sorted((r for r in rides if reminders.pickup_of(r) > now), key=reminders.pickup_of)
    return coming[0] if coming else None


def _when(ride: RideRequest, language: str) -> dict[str, str]:
    return {
        "date": local_date(ride.date, language),
        "time": local_time(reminders.pickup_of(ride), language),
    }


def _acknowledge_answer(
    session: Session, person: Person, message: InboundMessage, ride: RideRequest
) -> None:
    confirmed = message.outcome == ReplyOutcome.CONFIRMED
    body = (
        _("Thank you! Your ride on %(date)s at %(time)s is confirmed.")
        if confirmed
        else _("Your ride on %(date)s at %(time)s is cancelled. Thank you for telling us.")
    )
    notifications.enqueue(
        session, person, "reply_answer", f"reply:{message.id}",
        _("Your ride on %(date)s"), body, **_when(ride, person.preferred_language),
    )  # fmt: skip


def _acknowledge_refusal(
    session: Session,
    person: Person,
    message: InboundMessage,
    ride: RideRequest,
    refusal: DomainError,
) -> None:
    language = person.preferred_language
    notifications.enqueue(
        session, person, "reply_refused", f"reply:{message.id}",
        _("Your ride on %(date)s"),
        _("About your ride on %(date)s at %(time)s: %(reason)s A coordinator will read your "
          "message."),
        reason=translate(language, refusal.template, **refusal.params),
        **_when(ride, language),
    )  # fmt: skip


def _acknowledge_inbox(session: Session, person: Person, now: dt.datetime) -> None:
    """Once a day per person at most: an automatic answer to our answer must not loop."""
    day = now.astimezone(clock.LOCAL_TZ).date().isoformat()
    notifications.enqueue(
        session, person, "reply_inbox", f"reply_inbox:{person.id}:{day}",
        _("Your message"), _("Thank you. A coordinator will read your message."),
    )  # fmt: skip
