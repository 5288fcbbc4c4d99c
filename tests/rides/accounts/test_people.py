"""Registering people: required fields, formats, duplicates."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from rides.accounts.passwords import verify_password
from rides.accounts.people import (
    PersonSpec,
    find_by_email,
    get_person,
    register_driver,
    register_newcomer,
)
from rides.errors import Conflict, NotFound
from rides.models import Role
from rides.validation import MIN_PASSWORD_LENGTH, InvalidInput, _common_passwords
from tests.factories import Factory


def _codes(session: Session, **fields) -> dict[str, str]:
    spec = PersonSpec(**{"first_name": "Amina", **fields})
    with pytest.raises(InvalidInput) as caught:
        register_newcomer(session, spec)
    return caught.value.codes


def test_a_coordinator_can_register_a_newcomer_with_only_a_first_name(
    session: Session, make: Factory
) -> None:
    """Phone bookings: no e-mail, no phone, no password is fine; the booker is audited."""
    person = register_newcomer(
        session, PersonSpec("Amina", preferred_language="ar"), actor=make.coordinator()
    )
    assert person.role == Role.NEWCOMER and person.email is None and person.password_hash is None
    assert person.languages == ["ar"]


def test_password_is_hashed_and_verifiable(session: Session) -> None:
    """The password is stored as an Argon2 hash that verifies, never as itself."""
    person = register_driver(
        session, PersonSpec("Luis", email="luis@example.org", password="long enough secret")
    )
    assert person.password_hash and "long enough" not in person.password_hash
    assert person.password_hash.startswith("$argon2id$")
    assert verify_password(person.password_hash, "long enough secret")
    assert not verify_password(person.password_hash, "wrong")


def test_invalid_fields_are_each_named(session: Session) -> None:
    """Each wrong field gets its own code."""
    assert _codes(session, first_name=" ") == {"first_name": "required"}
    assert _codes(session, first_name="x" * 81) == {"first_name": "too_long"}
    assert _codes(session, email="not-an-email") == {"email": "invalid_email"}
    assert _codes(session, phone="12") == {"phone": "invalid_phone"}
    assert _codes(session, password="short") == {"password": "too_short"}
    assert _codes(session, preferred_language="de") == {
        "preferred_language": "unsupported_language"
    }
    assert _codes(session, languages=("arabic",)) == {"languages": "invalid_language"}
    assert _codes(session, home_place_id=999_999) == {"home_place_id": "unknown_place"}
    assert _codes(session, last_name="y" * 121) == {"last_name": "too_long"}


def test_phone_is_normalised_to_e164(session: Session) -> None:
    """Spanish numbers without the prefix are understood and stored in one form."""
    person = register_newcomer(session, PersonSpec("Ioana", phone="612 34 56 78"))
    assert person.phone == "+34612345678"


def test_email_is_unique_case_insensitively(session: Session) -> None:
    """A second account with the same address in other case is a conflict."""
    register_newcomer(session, PersonSpec("A", email="someone@example.org"))
    with pytest.raises(Conflict) as caught:
        register_newcomer(session, PersonSpec("B", email="SomeOne@Example.org"))
    assert caught.value.code == "email_taken"
    assert find_by_email(session, "SOMEONE@example.org") is not None


def test_get_person_checks_the_role(session: Session, make: Factory) -> None:
    """Asking for a driver by a newcomer's id is NotFound, not the newcomer."""
    newcomer = make.newcomer()
    assert get_person(session, newcomer.id) is newcomer
    with pytest.raises(NotFound):
        get_person(session, newcomer.id, Role.DRIVER)


@pytest.mark.parametrize(
    "password",
    ["12345678", "123456789", " " * 8, " " * 12, "1234567890", "Password123", "contraseña2024",
     "qwertyuiop", "QWERTYUIOP!", "Guadalajara1", "aaaaaaaaaaaa", "\u3000" * 10, "p@ssw0rd123"],
)  # fmt: skip
def test_short_blank_and_common_passwords_are_refused(session: Session, password: str) -> None:
    """Shorter than 10, only spaces, one repeated character, or on the shipped list of common
    passwords (whatever the case): refused on the password field."""
    codes = _codes(session, password=password)
    assert codes in ({"password": "too_short"}, {"password": "common_password"})


def test_the_common_password_list_is_shipped_and_a_phrase_passes(session: Session) -> None:
    """The list has thousands of entries, each at least 10 characters; a phrase is fine."""
    common = _common_passwords()
    assert len(common) > 3000 and min(map(len, common)) >= MIN_PASSWORD_LENGTH
    assert {"password123", "contraseña1", "1234567890", "qwertyuiop"} <= common
    person = register_driver(
        session, PersonSpec("Luis", email="luis@example.org", password="green tractor at dawn")
    )
    assert person.password_hash
