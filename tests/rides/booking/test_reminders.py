"""Reminder links: signed, expiring, one action each; confirming and cancelling through them."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides import clock
from rides.booking import lifecycle, reminders
from rides.booking.reminders import LinkExpired, LinkInvalid, ReminderLinks
from rides.booking.ride_requests import cancel_ride
from rides.errors import Conflict
from rides.models import AuditEntry, OutboxMessage, RequestStatus, RideRequest
from tests.factories import Factory, tomorrow

LINKS = ReminderLinks("test-secret", "https://rural-cars.example.org/")


def _scheduled(session: Session, make: Factory, **overrides: Any) -> RideRequest:
    """A booked trip with a confirmed pickup tomorrow at 10:00, as a publication leaves it."""
    request = make.request(**overrides)
    lifecycle.move(request, RequestStatus.SCHEDULED)
    request.confirmed_pickup_at = clock.local_datetime(tomorrow(), dt.time(10))
    session.flush()
    return request


def test_token_round_trip_names_request_and_action() -> None:
    """A token read back gives the request id and the action it was made for."""
    token = reminders.make_token("s", 42, "cancel")
    assert reminders.read_token("s", token) == (42, "cancel")
    assert LINKS.url(42, "confirm").startswith("https://rural-cars.example.org/r/")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: t[:10],
        lambda t: "x" + t,
    ],
    ids=["tampered-signature", "truncated", "prefixed"],
)
def test_altered_token_is_invalid(mangle) -> None:
    """Any change to a token makes it invalid, not another request's link."""
    with pytest.raises(LinkInvalid):
        reminders.read_token("s", mangle(reminders.make_token("s", 42, "confirm")))


def test_token_signed_with_another_key_is_invalid() -> None:
    """A token from another installation (another SECRET_KEY) is refused."""
    with pytest.raises(LinkInvalid):
        reminders.read_token("s", reminders.make_token("other", 42, "confirm"))


def test_old_token_is_expired(monkeypatch: pytest.MonkeyPatch) -> None:
    """A token older than max_age is refused as expired, with its own error code."""
    signed_at = int(time.time()) - reminders.DEFAULT_MAX_AGE - 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: signed_at)
    token = reminders.make_token("s", 42, "confirm")
    monkeypatch.undo()
    with pytest.raises(LinkExpired) as caught:
        reminders.read_token("s", token)
    assert caught.value.code == "link_expired"


def test_confirm_records_the_answer_and_may_be_clicked_twice(
    session: Session, make: Factory
) -> None:
    """Confirming leaves the trip scheduled and writes one audit entry by the rider; replaying
    the link (a second click, a mail scanner) is answered the same and adds no row."""
    request = _scheduled(session, make)
    token = reminders.make_token(LINKS.secret_key, request.id, "confirm")
    for _ in range(3):
        assert reminders.confirm_by_token(session, LINKS, token) is request
    assert request.status == RequestStatus.SCHEDULED
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "confirm")).all()
    assert [(e.actor_id, e.entity_id) for e in entries] == [(request.rider_id, request.id)]


def test_a_cancelled_ride_is_not_shown_by_its_links(session: Session, make: Factory) -> None:
    """Once cancelled (by the page, the API or the other link), opening either link says the
    ride was cancelled instead of showing it."""
    request = _scheduled(session, make)
    cancel_ride(session, request.rider, request.id)
    for action in ("confirm", "cancel"):
        token = reminders.make_token(LINKS.secret_key, request.id, action)
        with pytest.raises(Conflict) as caught:
            reminders.ride_of_link(session, LINKS, token)
        assert caught.value.code == "already_cancelled"


def test_cancel_cancels_the_trip_and_its_return_once(session: Session, make: Factory) -> None:
    """Cancelling frees the outward and the return trip; a second click is a clear conflict."""
    outward = _scheduled(session, make, return_time=dt.time(13))
    token = reminders.make_token(LINKS.secret_key, outward.id, "cancel")
    reminders.cancel_by_token(session, LINKS, token)
    assert outward.status == RequestStatus.CANCELLED
    assert outward.return_trip is not None
    assert outward.return_trip.status == RequestStatus.CANCELLED
    with pytest.raises(Conflict) as caught:
        reminders.cancel_by_token(session, LINKS, token)
    assert caught.value.code == "already_cancelled"


def test_a_token_serves_only_its_own_action(session: Session, make: Factory) -> None:
    """The confirm link cannot cancel (nor the reverse): links are not interchangeable."""
    request = _scheduled(session, make)
    confirm = reminders.make_token(LINKS.secret_key, request.id, "confirm")
    with pytest.raises(LinkInvalid):
        reminders.cancel_by_token(session, LINKS, confirm)
    assert request.status == RequestStatus.SCHEDULED


def test_links_end_at_the_pickup_time(session: Session, make: Factory) -> None:
    """Once the car is due, the link no longer cancels: the rider must phone instead."""
    request = _scheduled(session, make)
    token = reminders.make_token(LINKS.secret_key, request.id, "cancel")
    assert request.confirmed_pickup_at is not None
    with pytest.raises(LinkExpired):
        reminders.cancel_by_token(session, LINKS, token, now=request.confirmed_pickup_at)
    assert request.status == RequestStatus.SCHEDULED


def test_confirming_an_unserved_trip_is_a_conflict(session: Session, make: Factory) -> None:
    """A trip that lost its car cannot be confirmed; the rider is told so."""
    request = _scheduled(session, make)
    lifecycle.move(request, RequestStatus.UNSERVED)
    token = reminders.make_token(LINKS.secret_key, request.id, "confirm")
    with pytest.raises(Conflict) as caught:
        reminders.confirm_by_token(session, LINKS, token)
    assert caught.value.code == "not_scheduled"


def test_queue_reminders_once_per_scheduled_trip_with_working_links(
    session: Session, make: Factory
) -> None:
    """Each scheduled rider gets one reminder in the outbox whose links confirm and cancel."""
    first, second = _scheduled(session, make), _scheduled(session, make)
    make.request()  # still waiting for a car: no reminder
    assert reminders.queue_reminders(session, tomorrow(), LINKS) == 2
    assert reminders.queue_reminders(session, tomorrow(), LINKS) == 0
    messages = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.kind, m.recipient_id) for m in messages] == [
        ("ride_reminder", first.rider_id),
        ("ride_reminder", second.rider_id),
    ]
    urls = re.findall(r"https://rural-cars\.example\.org/r/(\S+)", messages[0].body)
    assert len(urls) == 2
    assert reminders.answer_by_token(session, LINKS, urls[0]) == ("confirm", first)
    assert reminders.answer_by_token(session, LINKS, urls[1]) == ("cancel", first)
    assert first.status == RequestStatus.CANCELLED
