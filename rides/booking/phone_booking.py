"""Booking on behalf of a newcomer who phoned: find or create them, name the places, book.

A coordinator types place names as they hear them ("siguenza", "centro de salud molina"); a
name that confidently means one place is taken, otherwise the closest places come back as
suggestions to choose from. Everything is one unit of work: when the booking is refused, the
caller's transaction (rolled back on error) leaves no half-made newcomer behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from rides.accounts import people
from rides.accounts.people import PersonSpec
from rides.booking import ride_requests
from rides.booking.ride_requests import RideSpec
from rides.errors import DomainError, NotFound
from rides.models import Person, Place, RideRequest, Role
from rides.places import lookup
from rides.validation import Checks, FieldError, InvalidInput

#: How many newcomers a search shows, and how many places are suggested for a name.
MAX_NEWCOMERS = 20
MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class Suggestion:
    """A place offered for a name that was not clear enough."""

    place_id: int
    label: str


@dataclass(frozen=True)
class PlaceAnswer:
    """A typed place name, and the suggestion the coordinator picked (if any)."""

    text: str
    picked_id: int | None = None


@dataclass(frozen=True)
class PhoneBooking:
    """A booking taken over the phone: an existing newcomer or a new one, and the ride.

    ``ride`` carries every field but the places (its ids are ignored): those come from
    ``origin`` and ``destination``.
    """

    ride: RideSpec
    origin: PlaceAnswer
    destination: PlaceAnswer
    rider_id: int | None = None
    newcomer: PersonSpec | None = None


class PlacesUnclear(InvalidInput):
    """Some input is wrong, and a typed place name needs a choice among ``suggestions``."""

    def __init__(self, errors: list[FieldError], suggestions: dict[str, list[Suggestion]]):
        super().__init__(errors)
        self.suggestions = suggestions


@dataclass
class _Resolved:
    ids: dict[str, int] = field(default_factory=dict)
    suggestions: dict[str, list[Suggestion]] = field(default_factory=dict)


@dataclass(frozen=True)
class BookingStart:
    """The booking page before any ride is typed: newcomers found, and the one chosen."""

    found: list[Person]
    rider: Person | None


def start_booking(session: Session, text: str | None, rider_id: int | None) -> BookingStart:
    """Newcomers matching ``text`` and the chosen newcomer (None when unknown or not given)."""
    rider = None
    if rider_id is not None:
        candidate = session.get(Person, rider_id)
        rider = candidate if candidate and candidate.role == Role.NEWCOMER else None
    return BookingStart(find_newcomers(session, text or ""), rider)


def find_newcomers(session: Session, text: str) -> list[Person]:
    """Newcomers whose first or last name, phone or e-mail contains ``text``, by name."""
    words = text.strip()
    if not words:
        return []
    pattern = f"%{words.lower()}%"
    digits = "".join(ch for ch in words if ch.isdigit())
    conditions = [
        func.lower(Person.first_name).like(pattern),
        func.lower(Person.last_name).like(pattern),
        func.lower(Person.email).like(pattern),
    ]
    if len(digits) >= 3:
        conditions.append(Person.phone.like(f"%{digits}%"))
    query = (
        select(Person)
        .where(Person.role == Role.NEWCOMER, Person.active.is_(True), or_(*conditions))
        .order_by(Person.first_name, Person.id)
        .limit(MAX_NEWCOMERS)
    )
    return list(session.scalars(query))


def resolve_place(session: Session, answer: PlaceAnswer) -> Place | list[Suggestion]:
    """The place a typed name (or picked suggestion) means, else the nearest suggestions."""
    if answer.picked_id is not None:
        picked = session.get(Place, answer.picked_id)
        if picked is not None and picked.active:
            return picked
    text = answer.text.strip()
    if not text:
        return []
    choice = lookup.resolve_place(session, text)
    if choice.place is not None:
        return choice.place
    return [Suggestion(m.place.id, m.label) for m in choice.suggestions[:MAX_SUGGESTIONS]]


def book_on_behalf(session: Session, order: PhoneBooking, *, actor: Person) -> list[RideRequest]:
    """Find or register the newcomer, then book their ride as ``ride_requests.book_ride`` does.

    All or nothing: raises PlacesUnclear (with suggestions) naming every wrong field of the
    places and the newcomer at once, then whatever ``book_ride`` raises; a newcomer registered
    for a refused booking is undone.
    """
    resolved = _resolve_places(session, order)
    checks = Checks()
    for name, suggestions in resolved.suggestions.items():
        if suggestions:
            checks.fail(name, "choose_place", "Choose one of the places below.")
        else:
            checks.fail(name, "unknown_place", "No place with a name like this.")
    savepoint = session.begin_nested()
    try:
        rider = _rider(session, order, actor, checks)
        if checks.errors or rider is None:
            raise PlacesUnclear(checks.errors, resolved.suggestions)
        spec = replace(
            order.ride,
            origin_id=resolved.ids["origin"],
            destination_id=resolved.ids["destination"],
        )
        requests = ride_requests.book_ride(session, actor, spec, rider=rider)
    except DomainError:
        savepoint.rollback()
        raise
    savepoint.commit()
    return requests


def _resolve_places(session: Session, order: PhoneBooking) -> _Resolved:
    resolved = _Resolved()
    for name, answer in (("origin", order.origin), ("destination", order.destination)):
        result = resolve_place(session, answer)
        if isinstance(result, Place):
            resolved.ids[name] = result.id
        else:
            resolved.suggestions[name] = result
    return resolved


def _rider(session: Session, order: PhoneBooking, actor: Person, checks: Checks) -> Person | None:
    """The chosen newcomer, or a new one registered from ``order.newcomer``."""
    if order.rider_id is not None:
        try:
            return people.get_person(session, order.rider_id, Role.NEWCOMER)
        except NotFound:
            checks.fail(
                "rider_id", "unknown_person", "No newcomer with id {id}.", id=order.rider_id
            )
            return None
    if order.newcomer is None:
        checks.fail("first_name", "required", "A first name is required.")
        return None
    try:
        return people.register_newcomer(session, order.newcomer, actor=actor)
    except InvalidInput as error:
        checks.errors.extend(error.errors)
        return None
