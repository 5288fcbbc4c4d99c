"""Notifications: written to the outbox in the transaction that causes them, sent later once.

Riders hear their pickup time and meeting point (or that no car could be found); drivers hear
of the route offered to them. The text is rendered in the recipient's language at write time,
so what was promised is what is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides import clock
from rides.locales import local_date, local_time, translate, translate_plural
from rides.messaging.rider_notes import note_line, offer_notes, route_notes, stored_notes
from rides.models import (
    DayPlan,
    MessageStatus,
    OutboxMessage,
    Person,
    Place,
    RideRequest,
    Role,
    Route,
    RouteChange,
    Stop,
)


def _(message: str) -> str:
    """Mark a string for extraction; it is translated per recipient by ``translate``."""
    return message


def ngettext(singular: str, plural: str, n: int, language: str) -> str:
    """``singular`` or ``plural`` (in all the language's CLDR forms) for ``n``, extracted like
    ``_``; ``%(n)d`` is replaced by ``n``."""
    return translate_plural(language, singular, plural, n)


def passenger_count(n: int, language: str) -> str:
    """ "1 passenger", "2 passengers" in the reader's language (Arabic: six forms)."""
    return ngettext("%(n)d passenger", "%(n)d passengers", n, language)


#: Where people open the app: links in messages start with it. Set once at start-up from the
#: PUBLIC_URL setting (``use_public_url``); every process (web, scheduler, commands) does so.
_public_url = "http://127.0.0.1:5000"


def use_public_url(url: str) -> None:
    """Links in messages from now on point to this address."""
    global _public_url
    _public_url = url.rstrip("/")


def app_link(path: str) -> str:
    """The full address of a page of the app, for a message."""
    return f"{_public_url}{path}"


def compose(sentence: str, lines: Sequence[str], link: str | None) -> str:
    """A message's text: the sentence, the extra lines as one block, the link last, each
    separated by a blank line (what the outbox stores; the SMS of an offer is built the same
    way, its notes fitted to the room: rides/messaging/sms_text.py)."""
    parts = [sentence, "\n".join(lines), app_link(link) if link is not None else ""]
    return "\n\n".join(part for part in parts if part)


def enqueue(
    session: Session,
    recipient: Person,
    kind: str,
    dedup_key: str,
    subject: str,
    body: str,
    *,
    link: str | None = None,
    after: Sequence[str] = (),
    **params: Any,
) -> OutboxMessage | None:
    """Add a message unless one with the same key exists (re-runs never notify twice).

    ``link`` (a path of the app) goes on its own last line, outside the translated sentence, so
    a phone makes it tappable and no catalogue has to carry addresses. ``after``: lines
    between the sentence and the link, already in the recipient's language (riders' notes).
    """
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup_key)):
        return None
    language = recipient.preferred_language
    text = compose(translate(language, body, **params), after, link)
    message = OutboxMessage(
        recipient_id=recipient.id,
        kind=kind,
        language=language,
        subject=translate(language, subject, **params),
        body=text,
        payload={k: str(v) for k, v in params.items()},
        dedup_key=dedup_key[:120],
        status=MessageStatus.PENDING,
    )
    session.add(message)
    return message


def plan_published(
    session: Session,
    plan: DayPlan,
    changed: list[RideRequest],
    *,
    previous: DayPlan | None = None,
) -> None:
    """Tell riders whose pickup is new or changed, riders left unserved, and drivers offered a
    route that is new or differs from the one ``previous`` offered them."""
    for request in changed:
        if request.confirmed_pickup_at is not None:
            _pickup_confirmed(session, plan, request)
        else:
            _unserved(session, plan, request)
    offered_before = {
        route.shift_id: _itinerary(route)
        for route in (previous.routes if previous is not None else [])
        if route.status.value == "offered"
    }
    for route in plan.routes:
        if offered_before.get(route.shift_id) != _itinerary(route):
            _route_offered(session, plan, route)
    _unserved_digest(session, plan)


def _unserved_digest(session: Session, plan: DayPlan) -> None:
    """One message per published version to each coordinator: the trips without a car, each
    with the planner's reason and what to do, so none is discovered by a phone call."""
    from rides.planning.unserved_reasons import reason_sentence

    left = sorted(plan.unserved, key=lambda u: (u.request.time, u.request_id))
    if not left:
        return
    for coordinator in _coordinators(session):
        language = coordinator.preferred_language
        lines = [
            f"- {u.request.time:%H:%M} {u.request.rider.first_name}, {u.request.origin.name} → "
            f"{u.request.destination.name}: {translate(language, reason_sentence(u.reason))}"
            for u in left
        ]
        header = translate(
            language,
            _("Trips without a car on %(date)s: %(n)d. What happened and what you can do:"),
            date=local_date(plan.date, language), n=len(left),
        )  # fmt: skip
        enqueue(
            session, coordinator, "unserved_digest",
            f"unserved_digest:{plan.id}:{coordinator.id}",
            _("Trips without a car on %(date)s: %(n)d"),
            "%(text)s",
            text="\n".join([header, "", *lines]),
            date=local_date(plan.date, language), n=len(left),
            link=f"/coordinator/?date={plan.date.isoformat()}",
        )  # fmt: skip


def _itinerary(route: Route) -> tuple[tuple[int, str, dt.datetime], ...]:
    return tuple((s.request_id, s.kind.value, s.planned_at) for s in route.stops)


def _pickup_place(place: Place) -> str:
    """The village with its meeting point when one is set: "Hita (delante del ayuntamiento)"."""
    return f"{place.name} ({place.meeting_point})" if place.meeting_point else place.name


def _pickup_confirmed(session: Session, plan: DayPlan, request: RideRequest) -> None:
    rider = request.rider
    language = rider.preferred_language
    assert request.confirmed_pickup_at is not None
    enqueue(
        session, rider, "pickup_confirmed",
        # The plan is in the key: a time that goes back to an earlier value is told again.
        f"pickup:{request.id}:{plan.id}:{request.confirmed_pickup_at.isoformat()}",
        _("Your ride on %(date)s"),
        _("A car will pick you up on %(date)s at %(time)s at %(place)s "
          "to go to %(destination)s."),
        date=local_date(plan.date, language),
        time=local_time(request.confirmed_pickup_at, language),
        place=_pickup_place(request.origin),
        destination=request.destination.name,
        # For the short SMS text (rides/messaging/sms_text.py), which may shorten the meeting
        # point but never the village.
        day=plan.date.isoformat(),
        village=request.origin.name,
        meeting=request.origin.meeting_point or "",
        link="/newcomer/",
    )  # fmt: skip


def _unserved(session: Session, plan: DayPlan, request: RideRequest) -> None:
    rider = request.rider
    enqueue(
        session, rider, "unserved", f"unserved:{request.id}:{plan.id}",
        _("No car found for %(date)s"),
        _("We could not find a car for your trip to %(destination)s on %(date)s. "
          "A coordinator will call you."),
        date=local_date(plan.date, rider.preferred_language),
        destination=request.destination.name,
    )  # fmt: skip


#: The route offer's sentence; its SMS is written again from it (rides/messaging/sms_text.py).
ROUTE_OFFERED = _(
    "%(passengers)s, first pickup at %(time)s in %(place)s. "
    "Please accept or decline it on your routes page."
)
#: Where the offer's link leads: the driver's routes page.
ROUTE_OFFERED_LINK = "/driver/"


def _route_offered(session: Session, plan: DayPlan, route: Route) -> None:
    if not route.stops or route.status.value != "offered":
        return
    driver = route.driver
    language = driver.preferred_language
    first = route.stops[0]
    notes = route_notes(route)
    enqueue(
        session, driver, "route_offered", f"route:{route.id}",
        _("A route for you on %(date)s"), ROUTE_OFFERED,
        date=local_date(plan.date, language),
        passengers=passenger_count(route.people_carried(), language),
        time=local_time(first.planned_at, language),
        place=first.place.name,
        link=ROUTE_OFFERED_LINK,
        after=[note_line(language, n.name, n.text) for n in notes],
        **({"notes": stored_notes(notes)} if notes else {}),
    )  # fmt: skip


def forget_offer_notes(message: OutboxMessage, request_ids: Collection[int]) -> None:
    """An offer without the notes of these trips (their rider is erased): the text is written
    again from the values stored with it, the other riders' notes kept."""
    notes = offer_notes(message.payload)
    erased = set(request_ids)
    kept = [n for n in notes if n.request_id not in erased]
    if len(kept) == len(notes):
        return
    payload = {k: v for k, v in message.payload.items() if k != "notes"}
    if kept:
        payload["notes"] = stored_notes(kept)
    lines = [note_line(message.language, n.name, n.text) for n in kept]
    sentence = translate(message.language, ROUTE_OFFERED, **payload)
    message.body = compose(sentence, lines, ROUTE_OFFERED_LINK)
    message.payload = payload


def passenger_cancelled(
    session: Session,
    route: Route,
    request: RideRequest,
    pickup_at: dt.datetime | None,
    *,
    named: bool = True,
) -> None:
    """Tell the driver of an accepted route that a passenger no longer rides with them; an
    erased rider (``named`` false) is not named, the stop is enough for the driver."""
    driver = route.driver
    language = driver.preferred_language
    when = {
        "place": request.origin.name,
        "time": local_time(pickup_at, language) if pickup_at else "-",
        "date": local_date(route.plan.date, language),
    }
    key, subject = f"cancelled:{request.id}:{route.id}", _("One passenger less on %(date)s")
    if not named:
        enqueue(session, driver, "passenger_cancelled", key, subject,
                _("A passenger will not ride with you: the pickup at %(time)s in %(place)s is "
                  "cancelled. Your other stops stay as they are."), **when)  # fmt: skip
        return
    enqueue(
        session, driver, "passenger_cancelled", key, subject,
        _("%(name)s will not ride with you: the pickup at %(time)s in %(place)s is cancelled. "
          "Your other stops stay as they are."),
        name=request.rider.first_name, **when,
    )  # fmt: skip


def route_change_proposed(session: Session, change: RouteChange) -> None:
    """Ask the driver of an accepted route to look at a change (nothing moves until they do)."""
    driver = change.driver
    summary = change.summary
    enqueue(
        session, driver, "route_change", f"route_change:{change.id}",
        _("A change to your route on %(date)s"),
        _("Passengers added: %(added)d, removed: %(removed)d; stops at another time: %(moved)d. "
          "Your accepted route stays as it is until you accept or decline the change on your "
          "routes page."),
        date=local_date(change.date, driver.preferred_language),
        added=len(summary.get("added", [])),
        removed=len(summary.get("removed", [])),
        moved=len(summary.get("moved", [])),
        link=f"/driver/changes/{change.id}",
    )  # fmt: skip


def route_change_declined(session: Session, change: RouteChange, reason: str | None) -> None:
    """Tell the coordinators that a driver kept their accepted route instead of a change."""
    for coordinator in _coordinators(session):
        enqueue(
            session, coordinator, "route_change_declined",
            f"route_change_declined:{change.id}:{coordinator.id}",
            _("%(driver)s declined a change on %(date)s"),
            _("%(driver)s keeps the accepted route of %(date)s. Reason: %(reason)s"),
            driver=change.driver.first_name,
            date=local_date(change.date, coordinator.preferred_language),
            reason=reason or "-",
        )  # fmt: skip


def rider_late(session: Session, request: RideRequest, route: Route | None) -> list[OutboxMessage]:
    """A rider says "I'll be late": the coordinators and the accepted route's driver hear it,
    each in their language, once per trip (pressing again adds nothing: same keys)."""
    rider = request.rider
    assert request.confirmed_pickup_at is not None
    recipients = _coordinators(session) + ([route.driver] if route is not None else [])
    sent = []
    for person in recipients:
        language = person.preferred_language
        message = enqueue(
            session, person, "rider_late", f"late:{request.id}:{person.id}",
            _("%(name)s will be late"),
            _("%(name)s will be a few minutes late for the pickup at %(time)s in %(place)s."),
            name=rider.first_name,
            time=local_time(request.confirmed_pickup_at, language),
            place=_pickup_place(request.origin),
            link=(f"/coordinator/requests/{request.id}" if person.role == Role.COORDINATOR
                  else f"/driver/?day={request.date.isoformat()}"),
        )  # fmt: skip
        if message is not None:
            sent.append(message)
    return sent


def passenger_not_here(session: Session, stop: Stop) -> list[OutboxMessage]:
    """The driver is at a pickup and the passenger is not: the coordinators hear it at once
    (name, stop, time, the rider's phone), once per stop, so one of them can call the rider
    while the driver waits."""
    request, driver = stop.request, stop.route.driver
    rider = request.rider
    sent = []
    for coordinator in _coordinators(session):
        language = coordinator.preferred_language
        message = enqueue(
            session, coordinator, "passenger_not_here",
            f"not_here:{request.id}:{stop.id}:{coordinator.id}",
            _("%(name)s is not at the pickup"),
            _("%(driver)s is at %(place)s for the pickup at %(time)s, and %(name)s is not "
              "there. Phone to call: %(phone)s."),
            name=rider.first_name,
            driver=driver.first_name,
            place=_pickup_place(stop.place),
            time=local_time(stop.planned_at, language),
            phone=rider.phone or "-",
            link=f"/coordinator/requests/{request.id}",
        )  # fmt: skip
        if message is not None:
            sent.append(message)
    return sent


def rider_note_changed(session: Session, pickup: Stop) -> OutboxMessage | None:
    """The rider of this pickup, on a route its driver accepted, changed their note for the
    driver: the driver reads the new note (or that there is none now) before the day."""
    request, driver = pickup.request, pickup.route.driver
    language = driver.preferred_language
    earlier = select(func.count()).where(OutboxMessage.dedup_key.like(f"rider_note:{request.id}:%"))
    when = {
        "name": request.rider.first_name,
        "time": local_time(pickup.planned_at, language),
        "place": _pickup_place(pickup.place),
        "date": local_date(request.date, language),
    }
    key = f"rider_note:{request.id}:{(session.scalar(earlier) or 0) + 1}"
    subject = _("A new note from %(name)s")
    link = f"/driver/?day={request.date.isoformat()}"
    if request.driver_note is None:
        body = _("%(name)s took back the note for the pickup at %(time)s in %(place)s on "
                 "%(date)s.")  # fmt: skip
        return enqueue(session, driver, "rider_note", key, subject, body, link=link, **when)
    body = _("Note from %(name)s for the pickup at %(time)s in %(place)s on %(date)s: %(note)s")
    return enqueue(session, driver, "rider_note", key, subject, body, link=link,
                   note=request.driver_note, **when)  # fmt: skip


def _coordinators(session: Session) -> list[Person]:
    query = select(Person).where(Person.role == Role.COORDINATOR, Person.active.is_(True))
    return list(session.scalars(query.order_by(Person.id)))


def reminder_key_prefix(request_id: int) -> str:
    """How every reminder of a request starts its dedup key: replies find the rides that had one."""
    return f"reminder:{request_id}:"


def ride_reminder(
    session: Session, request: RideRequest, confirm_url: str, cancel_url: str
) -> OutboxMessage | None:
    """The evening before: pickup time and place, with one-click links to confirm or cancel."""
    rider = request.rider
    language = rider.preferred_language
    assert request.confirmed_pickup_at is not None
    return enqueue(
        session, rider, "ride_reminder",
        f"{reminder_key_prefix(request.id)}{request.confirmed_pickup_at.isoformat()}",
        _("Reminder: your ride on %(date)s at %(time)s"),
        _("A car will pick you up on %(date)s at %(time)s at %(place)s "
          "to go to %(destination)s.\n\nI will be there: %(confirm_url)s\n"
          "I no longer need the ride: %(cancel_url)s\nOr reply 1 to confirm, 2 to cancel."),
        date=local_date(request.date, language),
        time=local_time(request.confirmed_pickup_at, language),
        place=_pickup_place(request.origin),
        destination=request.destination.name,
        confirm_url=confirm_url,
        cancel_url=cancel_url,
    )  # fmt: skip


def pending(
    session: Session, now: dt.datetime | None = None, limit: int = 100
) -> list[OutboxMessage]:
    """Messages due for a (re)try, oldest first."""
    now = now or clock.now()
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(session.scalars(query))
