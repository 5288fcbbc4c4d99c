"""Deactivating an account: no sign-in, no links, nothing of theirs planned."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from rides.accounts import deactivation, invitations, signin
from rides.accounts.invitations import LinkUsed
from rides.accounts.people import PersonSpec, distinguishing_details, update_person
from rides.errors import Conflict, DomainError, PermissionDenied
from rides.models import RequestStatus
from rides.validation import InvalidInput
from tests.factories import Factory

PASSWORD = "a long enough password"


def test_a_deactivated_rider_cannot_sign_in_and_their_trips_are_cancelled(
    session: Session, make: Factory
) -> None:
    coordinator = make.coordinator()
    rider = make.newcomer(email="r@example.org", password=PASSWORD)
    trip = make.request(rider)
    issued = invitations.invite(session, coordinator, rider)
    deactivation.deactivate(session, coordinator, rider)
    assert signin.authenticate(session, "r@example.org", PASSWORD) is None
    assert trip.status == RequestStatus.CANCELLED
    with pytest.raises(LinkUsed):
        invitations.open_link(session, issued.secret)
    with pytest.raises(DomainError):
        invitations.invite(session, coordinator, rider)
    deactivation.reactivate(session, coordinator, rider)
    assert signin.authenticate(session, "r@example.org", PASSWORD) is rider


def test_a_deactivated_driver_has_no_shift_left_to_plan(session: Session, make: Factory) -> None:
    coordinator, driver = make.coordinator(), make.driver()
    shift = make.shift(driver)
    deactivation.deactivate(session, coordinator, driver)
    assert shift.withdrawn


def test_only_coordinators_deactivate(session: Session, make: Factory) -> None:
    with pytest.raises(PermissionDenied):
        deactivation.deactivate(session, make.driver(), make.newcomer())


def test_editing_a_person_validates_and_stores_the_phone_in_e164(
    session: Session, make: Factory
) -> None:
    coordinator, village = make.coordinator(), make.place()
    person = make.newcomer(first_name="Salma")
    spec = PersonSpec(
        "Salma", last_name="Benali", phone="612 345 678", preferred_language="ar",
        languages=("fr",), home_place_id=village.id,
    )  # fmt: skip
    update_person(session, coordinator, person, spec)
    assert person.phone == "+34612345678" and person.email is None
    assert person.languages == ["ar", "fr"]
    assert distinguishing_details(person) == f"Salma B. · {village.name} · ···678"
    with pytest.raises(InvalidInput) as caught:
        update_person(session, coordinator, person, PersonSpec("Salma", phone="12345"))
    assert caught.value.codes == {"phone": "invalid_phone"}
    other = make.newcomer(email="taken@example.org")
    with pytest.raises(Conflict):
        update_person(session, coordinator, person, PersonSpec("Salma", email=other.email))
