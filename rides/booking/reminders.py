"""The evening-before reminder and its one-click links: "I will be there" / "I no longer need it".

A link is ``<PUBLIC_URL>/r/<token>``; the token is signed with the app's SECRET_KEY (so nobody
can forge one for another request), carries the request id and the action, and expires after
``max_age`` seconds or once the pickup time has passed, whichever comes first. The riders who
get it often have no account and little Spanish: one tap, no login, no form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, cast

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides import audit, clock
from rides.booking.ride_requests import cancel_ride
from rides.errors import Conflict, DomainError
from rides.messaging import notifications
from rides.models import AuditEntry, RequestStatus, RideRequest

Action = Literal["confirm", "cancel"]
ACTIONS: tuple[Action, ...] = ("confirm", "cancel")
#: One salt per purpose: a reminder token is useless anywhere else the secret key signs.
SALT = "rural-cars/ride-reminder-link"
#: Links outlive the evening-before reminder by a day at most (the pickup time ends them sooner).
DEFAULT_MAX_AGE = 2 * 24 * 3600


class LinkInvalid(DomainError):
    """The link was altered, cut short, or is for another action or request."""

    code = "link_invalid"


class LinkExpired(DomainError):
    """The link is too old, or the ride it is about has already started."""

    code = "link_expired"


@dataclass(frozen=True)
class ReminderLinks:
    """What building and checking links needs (config SECRET_KEY and PUBLIC_URL)."""

    secret_key: str
    public_url: str = "http://localhost:5000"
    max_age: int = DEFAULT_MAX_AGE

    def url(self, request_id: int, action: Action) -> str:
        """The absolute one-click URL for this request and action."""
        return f"{self.public_url.rstrip('/')}/r/{make_token(self.secret_key, request_id, action)}"


def make_token(secret_key: str, request_id: int, action: Action) -> str:
    """A URL-safe signed token for (request, action), timestamped for expiry."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return str(_serializer(secret_key).dumps([request_id, action]))


def read_token(
    secret_key: str, token: str, *, max_age: int = DEFAULT_MAX_AGE
) -> tuple[int, Action]:
    """The (request id, action) a token was made for; raises LinkExpired or LinkInvalid."""
    try:
        payload = _serializer(secret_key).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise LinkExpired("This link has expired.") from error
    except BadSignature as error:
        raise LinkInvalid("This link is not valid.") from error
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not isinstance(payload[0], int)
        or payload[1] not in ACTIONS
    ):
        raise LinkInvalid("This link is not valid.")
    return payload[0], cast(Action, payload[1])


def confirm_by_token(
    session: Session, links: ReminderLinks, token: str, *, now: dt.datetime | None = None
) -> RideRequest:
    """The rider says they will be there: recorded in the audit log; clicking twice is fine."""
    return _confirm(session, _load(session, links, token, "confirm", now), via="reminder")


def cancel_by_token(
    session: Session, links: ReminderLinks, token: str, *, now: dt.datetime | None = None
) -> RideRequest:
    """The rider no longer needs the ride: cancelled (with its return), the seat freed."""
    request = _load(session, links, token, "cancel", now)
    return _cancel(session, request, reason="cancelled from the reminder link")


def answer_ride(
    session: Session,
    request: RideRequest,
    action: Action,
    *,
    via: str,
    now: dt.datetime | None = None,
) -> RideRequest:
    """Confirm or cancel a reminded ride on its rider's word given another way than a link (a
    "1" or "no" replied to the reminder): the very checks and changes a link makes, so both
    answer alike (cancelled, over, pickup passed, started: the same refusals)."""
    check_answerable(request, now)
    if action == "confirm":
        return _confirm(session, request, via=via)
    return _cancel(session, request, reason=f"cancelled by a {via} reply to the reminder")


def check_answerable(request: RideRequest, now: dt.datetime | None = None) -> None:
    """Refuse an answer to a ride that is cancelled, over, or whose pickup time has passed."""
    if request.status == RequestStatus.CANCELLED:
        raise Conflict("This trip is already cancelled.", code="already_cancelled")
    if request.status in (RequestStatus.DONE, RequestStatus.NO_SHOW):
        raise Conflict("This trip is over.", code="ride_over")
    if (now or clock.now()) >= pickup_of(request):
        raise LinkExpired("The pickup time has passed; please call the coordinator.")


def pickup_of(request: RideRequest) -> dt.datetime:
    """When the car comes: the confirmed pickup, else the time asked for."""
    return request.confirmed_pickup_at or clock.local_datetime(request.date, request.time)


def _confirm(session: Session, request: RideRequest, *, via: str) -> RideRequest:
    """Record the rider's "I will be there" once, however often they say it."""
    if request.status != RequestStatus.SCHEDULED:
        raise Conflict("This trip has no car booked any more.", code="not_scheduled")
    already = select(AuditEntry.id).where(
        AuditEntry.action == "confirm",
        AuditEntry.entity == "ride_request",
        AuditEntry.entity_id == request.id,
    )
    if session.scalar(already.limit(1)) is None:  # a replayed answer records nothing new
        audit.record(session, request.rider, "confirm", "ride_request", request.id, via=via)
        session.flush()
    return request


def _cancel(session: Session, request: RideRequest, *, reason: str) -> RideRequest:
    """Cancel as the rider (with the return trip); a started trip is refused by cancel_ride."""
    cancel_ride(session, request.rider, request.id, reason=reason)
    return request


def ride_of_link(session: Session, links: ReminderLinks, token: str) -> tuple[Action, RideRequest]:
    """What a link asks and about which ride, for the page shown before acting (nothing
    changes). A ride that is cancelled, over or already started is not shown: the link says
    so instead (the same checks as acting on it)."""
    _request_id, action = read_token(links.secret_key, token, max_age=links.max_age)
    return action, _load(session, links, token, action, None)


def answer_by_token(
    session: Session, links: ReminderLinks, token: str, *, now: dt.datetime | None = None
) -> tuple[Action, RideRequest]:
    """What ``/r/<token>`` does: confirm or cancel, as the token says."""
    _request_id, action = read_token(links.secret_key, token, max_age=links.max_age)
    if action == "confirm":
        return action, confirm_by_token(session, links, token, now=now)
    return action, cancel_by_token(session, links, token, now=now)


def queue_reminders(session: Session, day: dt.date, links: ReminderLinks) -> int:
    """Write a reminder to every rider with a confirmed pickup on ``day``; returns how many new."""
    query = (
        select(RideRequest)
        .where(RideRequest.date == day, RideRequest.status == RequestStatus.SCHEDULED)
        .where(RideRequest.confirmed_pickup_at.is_not(None))
        .order_by(RideRequest.id)
    )
    written = 0
    for request in session.scalars(query):
        message = notifications.ride_reminder(
            session, request, links.url(request.id, "confirm"), links.url(request.id, "cancel")
        )
        written += message is not None
    session.flush()
    return written


def _load(
    session: Session, links: ReminderLinks, token: str, action: Action, now: dt.datetime | None
) -> RideRequest:
    """The request a valid, current token of this action is about, or a clear domain error."""
    request_id, token_action = read_token(links.secret_key, token, max_age=links.max_age)
    request = session.get(RideRequest, request_id)
    if token_action != action or request is None:
        raise LinkInvalid("This link is not valid.")
    check_answerable(request, now)
    return request


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)
