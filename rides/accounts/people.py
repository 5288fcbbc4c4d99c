"""Registering people: newcomers (often by a coordinator over the phone), drivers, coordinators."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rides import audit, status_texts
from rides.access import require_coordinator
from rides.accounts.passwords import hash_password
from rides.errors import Conflict, NotFound
from rides.models import UI_LANGUAGES, Channel, Person, PersonLanguage, Place, PlaceKind, Role
from rides.validation import Checks, check_password, clean_text

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class PersonSpec:
    """What is asked when someone registers; only first name is required (phone bookings)."""

    first_name: str
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    password: str | None = None
    preferred_language: str = "es"
    languages: tuple[str, ...] = field(default_factory=tuple)
    home_place_id: int | None = None
    #: How to reach the person, best first ("whatsapp,sms,call"); "" is the default order,
    #: None leaves it as it is.
    channels: str | None = None


def register_newcomer(session: Session, spec: PersonSpec, *, actor: Person | None = None) -> Person:
    """Create a rider account; a coordinator may create one without e-mail, phone or password."""
    return _register(session, spec, Role.NEWCOMER, actor)


def register_driver(session: Session, spec: PersonSpec, *, actor: Person | None = None) -> Person:
    """Create a volunteer driver account (cars and shifts are added with ``availability``)."""
    return _register(session, spec, Role.DRIVER, actor)


def register_coordinator(
    session: Session, spec: PersonSpec, *, actor: Person | None = None
) -> Person:
    """Create a coordinator account."""
    return _register(session, spec, Role.COORDINATOR, actor)


def set_language(session: Session, person: Person, language: str) -> Person:
    """Change the language of this person's messages (their explicit choice on the "Message
    language" page; pages use it too until a language is chosen with the switcher)."""
    checks = Checks()
    if language not in UI_LANGUAGES:
        checks.fail(
            "language", "unsupported_language", "Choose one of {choices}.",
            choices=", ".join(UI_LANGUAGES),
        )  # fmt: skip
    checks.raise_if_any()
    person.preferred_language = language
    if language not in person.languages:
        person.spoken.append(PersonLanguage(language=language))
    session.flush()
    return person


def register(
    session: Session, role: Role, spec: PersonSpec, *, actor: Person | None = None
) -> Person:
    """Create an account of any role (coordinators manage people)."""
    return _register(session, spec, role, actor)


def list_people(session: Session, role: Role | None = None) -> list[Person]:
    """Everyone, or everyone of one role, by first name."""
    query = select(Person)
    if role is not None:
        query = query.where(Person.role == role)
    return list(session.scalars(query.order_by(Person.first_name, Person.id)))


def get_person(session: Session, person_id: int, role: Role | None = None) -> Person:
    """The person with this id (and role, when given), or NotFound."""
    person = session.get(Person, person_id)
    if person is None or (role is not None and person.role != role):
        what = role.value if role else "person"
        message = status_texts.not_found(what)
        raise NotFound(message, id=person_id, fields={"id": "unknown"})
    return person


def find_by_email(session: Session, email: str) -> Person | None:
    """The account with this e-mail address, compared case-insensitively."""
    return session.scalar(select(Person).where(func.lower(Person.email) == email.strip().lower()))


def _register(session: Session, spec: PersonSpec, role: Role, actor: Person | None) -> Person:
    checks = Checks()
    details = _checked_details(session, checks, spec)
    check_password(checks, "password", spec.password)
    checks.raise_if_any()
    _refuse_taken_email(session, details.email, None)
    person = Person(
        role=role,
        first_name=details.first_name,
        last_name=details.last_name,
        email=details.email,
        phone=details.phone,
        channels=details.channels or None,
        password_hash=hash_password(spec.password) if spec.password else None,
        preferred_language=spec.preferred_language,
        home_place_id=spec.home_place_id,
    )
    person.spoken = [PersonLanguage(language=code) for code in details.languages]
    session.add(person)
    session.flush()
    audit.record(session, actor, "register", "person", person.id, role=role.value)
    return person


def update_person(session: Session, actor: Person, person: Person, spec: PersonSpec) -> Person:
    """A coordinator corrects a person's details (names, e-mail, phone, languages, village).

    The password is not changed here: a person chooses their own through an invitation.
    """
    require_coordinator(actor)
    checks = Checks()
    details = _checked_details(session, checks, spec)
    checks.raise_if_any()
    _refuse_taken_email(session, details.email, person.id)
    person.first_name = details.first_name
    person.last_name = details.last_name
    person.email = details.email
    person.phone = details.phone
    person.preferred_language = spec.preferred_language
    person.home_place_id = spec.home_place_id
    if spec.channels is not None:
        person.channels = details.channels or None
    wanted = set(details.languages)
    person.spoken = [entry for entry in person.spoken if entry.language in wanted] + [
        PersonLanguage(language=code) for code in details.languages if code not in person.languages
    ]
    session.flush()
    audit.record(session, actor, "update", "person", person.id)
    return person


def distinguishing_details(person: Person) -> str:
    """What tells two people of the same first name apart without showing everything: the
    last name's initial, the home village and the last three digits of the phone."""
    parts = [person.display_name]
    if person.home_place is not None:
        parts.append(person.home_place.name)
    if person.phone:
        parts.append(f"···{person.phone[-3:]}")
    return " · ".join(parts)


@dataclass(frozen=True)
class _Details:
    first_name: str
    last_name: str | None
    email: str | None
    phone: str | None
    languages: list[str]
    channels: str | None = None


def _checked_details(session: Session, checks: Checks, spec: PersonSpec) -> _Details:
    """The person's details cleaned, every problem added to ``checks``."""
    first_name = clean_text(checks, "first_name", spec.first_name, max_length=80)
    if first_name is None and not checks.has("first_name"):
        checks.fail("first_name", "required", "A first name is required.")
    last_name = clean_text(checks, "last_name", spec.last_name, max_length=120)
    email = _check_email(checks, spec.email)
    phone = check_phone(checks, spec.phone)
    if spec.preferred_language not in UI_LANGUAGES:
        checks.fail(
            "preferred_language",
            "unsupported_language",
            "Choose one of {choices}.",
            choices=", ".join(UI_LANGUAGES),
        )
    languages = sorted({code.strip().lower() for code in spec.languages if code.strip()})
    if bad := [code for code in languages if not _LANGUAGE_CODE.match(code)]:
        checks.fail(
            "languages", "invalid_language", "Not a language code: {codes}.", codes=", ".join(bad)
        )
    if spec.home_place_id is not None and session.get(Place, spec.home_place_id) is None:
        checks.fail(
            "home_place_id", "unknown_place", "No place with id {id}.", id=spec.home_place_id
        )
    spoken = sorted(set(languages) | {spec.preferred_language})
    channels = _check_channels(checks, spec.channels)
    return _Details(first_name or "", last_name, email, phone, spoken, channels)


def _check_channels(checks: Checks, channels: str | None) -> str | None:
    """A channel order: known names, each once ("" or None: the default order)."""
    names = [name.strip().lower() for name in (channels or "").split(",") if name.strip()]
    known = {channel.value for channel in Channel}
    if bad := [name for name in names if name not in known]:
        checks.fail("channels", "unknown_channel", "Not a channel: {names}. Use {known}.",
                    names=", ".join(bad), known=", ".join(c.value for c in Channel))  # fmt: skip
    elif len(set(names)) != len(names):
        checks.fail("channels", "repeated_channel", "Each channel once.")
    return ",".join(names)


def _refuse_taken_email(session: Session, email: str | None, own_id: int | None) -> None:
    if email is None:
        return
    holder = find_by_email(session, email)
    if holder is not None and holder.id != own_id:
        raise Conflict(
            "An account with this e-mail address already exists.",
            code="email_taken",
            fields={"email": "already registered"},
        )


def _check_email(checks: Checks, email: str | None) -> str | None:
    """Normalised e-mail, or None; syntax only (the machine may be offline: no DNS check)."""
    if email is None or not email.strip():
        return None
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        checks.fail("email", "invalid_email", "Not a valid e-mail address: {why}", why=str(error))
        return None


def check_phone(checks: Checks, phone: str | None) -> str | None:
    """Phone in E.164, Spanish numbers accepted without the +34 prefix (a bad number is a
    field error on ``phone``)."""
    if phone is None or not phone.strip():
        return None
    try:
        number = phonenumbers.parse(phone, "ES")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        checks.fail("phone", "invalid_phone", "Not a valid phone number.")
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalised_phone(phone: str) -> str | None:
    """The number in E.164 as stored, or None when it is not a valid number."""
    checks = Checks()
    return check_phone(checks, phone)


def find_by_phone(session: Session, phone: str) -> list[Person]:
    """Accounts with this phone number (a family may share one), oldest first."""
    number = normalised_phone(phone)
    if number is None:
        return []
    return list(session.scalars(select(Person).where(Person.phone == number).order_by(Person.id)))


def edit_person(
    session: Session, actor: Person, person: Person, spec: PersonSpec, village: str | None
) -> Person:
    """``update_person`` with the home village typed by name (the People page's form): an
    empty name clears it, an unknown one is a field error."""
    name = (village or "").strip()
    place_id = None
    if name:
        place = session.scalar(
            select(Place)
            .where(func.lower(Place.name) == name.lower(), Place.kind == PlaceKind.MUNICIPALITY)
            .limit(1)
        )
        if place is None:
            checks = Checks()
            checks.fail("home_village", "unknown_place", "No village called {name}.", name=name)
            checks.raise_if_any()
        place_id = place.id if place is not None else None
    return update_person(session, actor, person, replace(spec, home_place_id=place_id))
