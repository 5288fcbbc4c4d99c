"""Replies to the evening-before reminder: yes/no words and 1/2 answer the ride with the rules
of the signed links; everything else waits in the coordinators' inbox."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides import clock
from rides.booking import lifecycle, reminders
from rides.booking.ride_requests import cancel_ride
from rides.driving.routes import record_stop
from rides.messaging import replies
from rides.messaging.inbound import Inbound, receive
from rides.models import (
    AuditEntry,
    Channel,
    InboundMessage,
    OutboxMessage,
    Person,
    ReplyOutcome,
    RequestStatus,
    RideRequest,
    StopKind,
    StopStatus,
)
from tests.clocks import ServiceClock
from tests.factories import Factory, tomorrow
from tests.rides.conftest import DrivenDay

LINKS = reminders.ReminderLinks("test-secret", "https://rural-cars.example.org")
PHONE = "+34600111222"
_ids = itertools.count(1)


def _rider(make: Factory, language: str = "es", phone: str = PHONE) -> Person:
    return make.newcomer(first_name="Amina", phone=phone, preferred_language=language)


def _reminded(
    session: Session, make: Factory, service_clock: ServiceClock, rider: Person, **ride: object
) -> RideRequest:
    """A trip tomorrow with a pickup confirmed at 10:00, its reminder written the evening
    before at 19:00 (where the clock is left)."""
    request = make.request(rider, **ride)
    for trip in (request, request.return_trip):
        if trip is not None:
            lifecycle.move(trip, RequestStatus.SCHEDULED)
            trip.confirmed_pickup_at = clock.local_datetime(trip.date, trip.time)
    request.confirmed_pickup_at = clock.local_datetime(request.date, dt.time(10))
    session.flush()
    service_clock.at(request.date - dt.timedelta(days=1), 19)
    reminders.queue_reminders(session, request.date, LINKS)
    return request


def _reply(
    session: Session, body: str, sender: str = PHONE, channel: Channel = Channel.SMS
) -> InboundMessage:
    stored = receive(session, Inbound(channel, f"SM{next(_ids)}", sender, body, clock.now()))
    assert stored is not None
    return stored


def _acks(session: Session, rider: Person) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(
        OutboxMessage.recipient_id == rider.id, OutboxMessage.kind.startswith("reply")
    )
    return list(session.scalars(query.order_by(OutboxMessage.id)))


YES_NO = {
    "es": (["sí", "Si", "VALE", " ¡Sí! "], ["no", "No.", "NO!"]),
    "ar": (["نعم", "نعم.", "نعـم"], ["لا", "لا؟", "ﻻ"]),
    "ro": (["da", "Da!", "sí"], ["nu", "Nu.", "no"]),
    "fr": (["oui", "Oui !", "vale"], ["non", "Non.", "no"]),
    "en": (["yes", "Yes!", "si"], ["no", "No.", " no "]),
    "uk": (["так", "Так!", "si"], ["ні", "Ні.", "НІ"]),
}


@pytest.mark.parametrize("language", list(YES_NO))
def test_each_language_reads_its_own_and_spanish_yes_and_no(language: str) -> None:
    """Whole-message words, whatever the case, accents, punctuation or spaces around them."""
    yes, no = YES_NO[language]
    assert {replies.read_answer(w, language) for w in yes} == {"confirm"}
    assert {replies.read_answer(w, language) for w in no} == {"cancel"}
    assert replies.read_answer("1", language) == "confirm"
    assert replies.read_answer(" 2. ", language) == "cancel"


def test_words_of_other_languages_and_longer_texts_are_not_answers() -> None:
    """Another rider's language is not guessed, and a sentence is for a person to read."""
    assert replies.read_answer("oui", "en") is None
    assert replies.read_answer("da", "uk") is None
    assert replies.read_answer("yes please", "en") is None
    assert replies.read_answer("no puedo a las 10", "es") is None
    assert replies.read_answer("12", "es") is None
    assert replies.read_answer("١", "ar") == "confirm"  # Arabic-Indic digit one


@pytest.mark.parametrize(
    ("language", "word"),
    [("es", "Sí"), ("ar", "نعم"), ("ro", "Da"), ("fr", "Oui"), ("en", "yes"), ("uk", "Так")],
)
def test_yes_confirms_the_reminded_ride_and_thanks_in_the_riders_language(
    session: Session, make: Factory, service_clock: ServiceClock, language: str, word: str
) -> None:
    rider = _rider(make, language)
    ride = _reminded(session, make, service_clock, rider)
    service_clock.advance(minutes=20)
    reply = _reply(session, word)
    assert (reply.outcome, reply.request_id) == (ReplyOutcome.CONFIRMED, ride.id)
    assert ride.status == RequestStatus.SCHEDULED
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "confirm"))
    assert entry is not None and (entry.actor_id, entry.changes["via"]) == (rider.id, "sms")
    (ack,) = _acks(session, rider)
    assert ack.language == language and ack.dedup_key == f"reply:{reply.id}"
    if language == "en":
        assert "is confirmed" in ack.body and "10:00" in ack.body


@pytest.mark.parametrize(
    ("language", "word"),
    [("es", "no"), ("ar", "لا"), ("ro", "Nu"), ("fr", "Non!"), ("en", "No"), ("uk", "ні")],
)
def test_no_cancels_the_reminded_ride_with_its_return(
    session: Session, make: Factory, service_clock: ServiceClock, language: str, word: str
) -> None:
    rider = _rider(make, language)
    ride = _reminded(session, make, service_clock, rider, return_time=dt.time(13))
    reply = _reply(session, word)
    assert (reply.outcome, reply.request_id) == (ReplyOutcome.CANCELLED, ride.id)
    assert ride.status == RequestStatus.CANCELLED
    assert ride.return_trip is not None and ride.return_trip.status == RequestStatus.CANCELLED
    (ack,) = _acks(session, rider)
    assert ack.kind == "reply_answer" and ack.language == language


def test_digits_answer_too_and_a_second_answer_is_refused_like_a_second_click(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """1 confirms; 2 cancels; another 2 is told the ride is already cancelled and goes to
    the inbox with its ride."""
    rider = _rider(make, "en")
    ride = _reminded(session, make, service_clock, rider)
    assert _reply(session, "1").outcome == ReplyOutcome.CONFIRMED
    assert _reply(session, "2").outcome == ReplyOutcome.CANCELLED
    again = _reply(session, "2")
    assert (again.outcome, again.request_id) == (ReplyOutcome.INBOX, ride.id)
    refused = _acks(session, rider)[-1]
    assert refused.kind == "reply_refused"
    assert "This trip is already cancelled." in refused.body


def test_a_ride_cancelled_elsewhere_answers_so_in_spanish(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    rider = _rider(make, "es")
    ride = _reminded(session, make, service_clock, rider)
    cancel_ride(session, rider, ride.id)
    reply = _reply(session, "sí")
    assert (reply.outcome, reply.request_id) == (ReplyOutcome.INBOX, ride.id)
    assert "Este viaje ya está cancelado" in _acks(session, rider)[-1].body


def test_after_the_pickup_time_a_reply_changes_nothing(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """As a link: once the car is due, "no" no longer cancels; the coordinator sees it."""
    rider = _rider(make, "en")
    ride = _reminded(session, make, service_clock, rider)
    service_clock.at(ride.date, 10, 5)
    reply = _reply(session, "no")
    assert (reply.outcome, reply.request_id) == (ReplyOutcome.INBOX, ride.id)
    assert ride.status == RequestStatus.SCHEDULED
    assert "please call the coordinator" in _acks(session, rider)[-1].body


def test_a_started_trip_cannot_be_cancelled_by_a_reply(
    session: Session,
    service_clock: ServiceClock,
    accepted_route: Callable[..., DrivenDay],
) -> None:
    """The driver picked Amina up early: her "2" cannot cancel a trip under way."""
    driven = accepted_route(tomorrow() + dt.timedelta(days=2))
    amina = driven.amina.rider
    amina.phone = PHONE
    service_clock.at(driven.day - dt.timedelta(days=1), 19)
    reminders.queue_reminders(session, driven.day, LINKS)
    pickup = driven.stop(driven.amina, StopKind.PICKUP)
    service_clock.set(pickup.planned_at - dt.timedelta(minutes=10))
    record_stop(session, driven.driver, pickup.id, StopStatus.DONE)
    reply = _reply(session, "2")
    assert (reply.outcome, reply.request_id) == (ReplyOutcome.INBOX, driven.amina.id)
    assert driven.amina.status == RequestStatus.SCHEDULED
    ack = _acks(session, amina)[-1]
    assert ack.kind == "reply_refused" and ack.language == "fr"


def test_the_next_reminded_ride_is_answered(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """Of two reminded trips, the one to come: after the outward trip, "1" is for the return."""
    rider = _rider(make, "en")
    outward = _reminded(session, make, service_clock, rider, return_time=dt.time(13))
    assert outward.return_trip is not None
    reminders.queue_reminders(session, outward.date, LINKS)
    service_clock.at(outward.date, 11)
    reply = _reply(session, "1")
    assert (reply.outcome, reply.request_id) == (ReplyOutcome.CONFIRMED, outward.return_trip.id)


def test_free_text_waits_in_the_inbox_with_the_ride(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """A sentence is not guessed at; the rider is told a coordinator will read it, once a day
    (an automatic answer to our answer cannot start a loop)."""
    rider = _rider(make, "ro")
    ride = _reminded(session, make, service_clock, rider)
    first = _reply(session, "Pot să vin cu fiica mea?")
    second = _reply(session, "Mulțumesc")
    assert [(m.outcome, m.request_id) for m in (first, second)] == [
        (ReplyOutcome.INBOX, ride.id)
    ] * 2
    assert ride.status == RequestStatus.SCHEDULED
    (ack,) = _acks(session, rider)
    assert ack.kind == "reply_inbox" and ack.language == "ro"


def test_yes_without_a_reminded_ride_waits_in_the_inbox(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    """A booked trip with no reminder yet: "yes" cannot be answered, but the ride is named."""
    rider = _rider(make, "en")
    ride = make.request(rider)
    reply = _reply(session, "yes")
    assert (reply.outcome, reply.request_id) == (ReplyOutcome.INBOX, ride.id)
    assert [a.kind for a in _acks(session, rider)] == ["reply_inbox"]


def test_a_reply_from_an_unknown_number_waits_in_the_inbox_unanswered(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    rider = _rider(make, "es")
    ride = _reminded(session, make, service_clock, rider)
    reply = _reply(session, "2", sender="+34699000000")
    assert (reply.outcome, reply.person_id, reply.request_id) == (ReplyOutcome.INBOX, None, None)
    assert ride.status == RequestStatus.SCHEDULED
    assert (
        session.scalars(select(OutboxMessage).where(OutboxMessage.kind.startswith("reply"))).all()
        == []
    )


def test_a_repeated_webhook_answers_once(
    session: Session, make: Factory, service_clock: ServiceClock
) -> None:
    rider = _rider(make, "en")
    _reminded(session, make, service_clock, rider)
    inbound = Inbound(Channel.WHATSAPP, "wamid.1", PHONE, "1", clock.now())
    assert receive(session, inbound) is not None
    assert receive(session, inbound) is None
    assert len(_acks(session, rider)) == 1
