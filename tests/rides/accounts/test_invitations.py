"""Invitations and "forgot password": single-use, expiring links stored as hashes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rides.accounts import invitations, signin
from rides.accounts.invitations import LinkExpired, LinkInvalid, LinkUsed
from rides.errors import PermissionDenied
from rides.models import Invitation, OutboxMessage, Role
from rides.validation import InvalidInput
from tests.clocks import ServiceClock
from tests.factories import Factory

PASSWORD = "a long new password"


def _messages(session: Session, person_id: int) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.recipient_id == person_id)
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def test_a_coordinator_invites_and_only_a_hash_is_stored(session: Session, make: Factory) -> None:
    """The secret is in the message in the person's language, never in the invitations table."""
    coordinator = make.coordinator()
    spec = make.person_spec(first_name="Salma", preferred_language="ar")
    person, issued = invitations.create_and_invite(session, coordinator, Role.NEWCOMER, spec)
    stored = session.scalars(select(Invitation)).one()
    assert stored.person_id == person.id and issued.secret not in stored.token_hash
    assert len(stored.token_hash) == 64
    assert stored.expires_at - stored.created_at == dt.timedelta(days=7)
    (message,) = _messages(session, person.id)
    assert message.kind == "invitation" and message.language == "ar"
    assert message.body.endswith(issued.path) and "Salma" in message.body


def test_accepting_sets_the_password_and_the_language_once(session: Session, make: Factory) -> None:
    """The person chooses a password and a language; the link then stops working."""
    coordinator = make.coordinator()
    person, issued = invitations.create_and_invite(
        session, coordinator, Role.DRIVER, make.person_spec(email="luis@example.org")
    )
    accepted = invitations.accept(session, issued.secret, PASSWORD, "ro")
    assert accepted.id == person.id and person.preferred_language == "ro"
    assert signin.authenticate(session, "luis@example.org", PASSWORD) is person
    with pytest.raises(LinkUsed):
        invitations.accept(session, issued.secret, "another long password", "es")


def test_the_password_rules_apply(session: Session, make: Factory) -> None:
    """A weak password is a field error and the link stays usable."""
    person = make.newcomer()
    issued = invitations.invite(session, make.coordinator(), person)
    with pytest.raises(InvalidInput) as caught:
        invitations.accept(session, issued.secret, "short", "es")
    assert caught.value.codes == {"password": "too_short"}
    assert invitations.open_link(session, issued.secret).person_id == person.id


def test_a_link_expires(session: Session, make: Factory, service_clock: ServiceClock) -> None:
    """Seven days by default, or the lifetime the deployment sets."""
    service_clock.set(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    coordinator = make.coordinator()
    week = invitations.invite(session, coordinator, make.newcomer())
    short = invitations.invite(session, coordinator, make.newcomer(), lifetime=dt.timedelta(days=2))
    service_clock.advance(days=3)
    assert invitations.open_link(session, week.secret)
    with pytest.raises(LinkExpired):
        invitations.open_link(session, short.secret)
    service_clock.advance(days=5)
    with pytest.raises(LinkExpired):
        invitations.accept(session, week.secret, PASSWORD, "es")


def test_a_new_invitation_revokes_the_older_one(session: Session, make: Factory) -> None:
    """Re-inviting makes a lost card worthless."""
    coordinator, person = make.coordinator(), make.newcomer()
    first = invitations.invite(session, coordinator, person)
    second = invitations.invite(session, coordinator, person)
    with pytest.raises(LinkUsed):
        invitations.open_link(session, first.secret)
    assert invitations.open_link(session, second.secret).id == second.invitation.id
    with pytest.raises(LinkInvalid):
        invitations.open_link(session, "made-up")


def test_only_coordinators_invite(session: Session, make: Factory) -> None:
    """A driver cannot invite anyone."""
    with pytest.raises(PermissionDenied):
        invitations.invite(session, make.driver(), make.newcomer())


def test_someone_without_channel_gets_only_the_card(session: Session, make: Factory) -> None:
    """No e-mail, no phone: nothing goes to the outbox; the printed card is the invitation."""
    person = make.newcomer(email=None, phone=None)
    issued = invitations.invite(session, make.coordinator(), person)
    assert issued.url.endswith(issued.path)
    assert _messages(session, person.id) == []


def test_forgot_password_by_email_or_phone_sends_a_fresh_link(
    session: Session, make: Factory
) -> None:
    """A reset link goes on the person's channel; an unknown address does nothing visible."""
    by_mail = make.newcomer(email="amal@example.org", password=PASSWORD)
    by_phone = make.newcomer(email=None, phone="612 345 678", preferred_language="uk")
    invitations.request_reset(session, "AMAL@example.org")
    invitations.request_reset(session, "+34612345678")
    invitations.request_reset(session, "nobody@example.org")
    invitations.request_reset(session, "not a phone")
    (mail,) = _messages(session, by_mail.id)
    (text,) = _messages(session, by_phone.id)
    assert mail.kind == text.kind == "password_reset" and text.language == "uk"
    secret = mail.body.rsplit("/invite/", 1)[1]
    invitations.accept(session, secret, "another long password", "es")
    assert signin.authenticate(session, "amal@example.org", "another long password") is by_mail


def test_forgot_password_without_channel_puts_them_on_the_call_list(
    session: Session, make: Factory
) -> None:
    """Name and village find people with no e-mail and no phone; a coordinator's re-invitation
    takes them off the list; a second request before that is not listed twice."""
    coordinator = make.coordinator()
    village = make.place()
    salma = make.newcomer(first_name="Salma", email=None, home_place_id=village.id)
    make.newcomer(first_name="Salma", email="s@example.org", home_place_id=village.id)
    invitations.request_help(session, "salma", village.name.upper())
    invitations.request_help(session, "Salma", village.name)
    invitations.request_help(session, "Salma", "Nowhere")
    assert [r.person_id for r in invitations.call_list(session, coordinator)] == [salma.id]
    invitations.invite(session, coordinator, salma)
    assert invitations.call_list(session, coordinator) == []


def test_phone_sign_in_after_accepting(session: Session, make: Factory) -> None:
    """Newcomers without e-mail sign in with their phone number, written as they like."""
    person = make.newcomer(email=None, phone="+34 612 000 111")
    issued = invitations.invite(session, make.coordinator(), person)
    invitations.accept(session, issued.secret, PASSWORD, "fr")
    assert signin.authenticate(session, "612000111", PASSWORD) is person
    assert signin.authenticate(session, "612000111", "wrong password here") is None


def test_export_lists_links_and_erasure_removes_them(session: Session, make: Factory) -> None:
    """The right of access shows the links (never their secret); erasure deletes them."""
    from rides.accounts import privacy

    coordinator = make.coordinator()
    person = make.newcomer(email=None, phone=None, home_place_id=make.place().id)
    issued = invitations.invite(session, coordinator, person)
    invitations.request_help(session, person.first_name, person.home_place.name)
    export = privacy.export_person(session, person)
    assert [i["purpose"] for i in export["invitations"]] == ["invitation"]
    assert len(export["password_help_requests"]) == 1
    assert issued.secret not in str(export)
    privacy.erase_person(session, person, actor=coordinator)
    assert session.scalars(select(Invitation)).all() == []
    assert invitations.call_list(session, coordinator) == []
