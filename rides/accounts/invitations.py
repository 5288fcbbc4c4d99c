"""Invitations and "forgot password": single-use links to choose a password.

A coordinator who creates an account gets an invitation: a random secret whose SHA-256 alone is
stored (as for API tokens), sent on the person's channel through the outbox and printed on a
card with a QR code. Opening it lets the person choose a password and confirm their language;
the link then stops working. A newer link for the same person revokes the older ones, so a
lost card is worthless once the coordinator re-invites.

"Forgot password" sends a fresh link the same way; someone with neither e-mail nor phone goes
on the coordinators' call list instead. The answer on the page is the same whatever happened,
so it never tells whether an account exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from rides import audit, clock
from rides.access import require_coordinator
from rides.accounts import people
from rides.accounts.passwords import hash_password
from rides.accounts.signin import end_sessions
from rides.errors import Conflict, DomainError, NotFound
from rides.locales import local_date
from rides.messaging.notifications import app_link, enqueue
from rides.models import (
    Invitation,
    LinkPurpose,
    PasswordHelpRequest,
    Person,
    Place,
    Role,
)
from rides.validation import Checks, check_password

#: How long an invitation works unless the deployment says otherwise (INVITATION_DAYS).
INVITATION_LIFETIME = dt.timedelta(days=7)
#: A "forgot password" link is asked for by the person, who uses it at once: one day.
RESET_LIFETIME = dt.timedelta(days=1)
#: Where a link leads: ``/invite/<secret>`` (the page is the same for both purposes).
LINK_PATH = "/invite/"


def _(message: str) -> str:
    """Mark a string for extraction; it is translated per recipient by ``enqueue``."""
    return message


class LinkInvalid(NotFound):
    """No link with this secret (mistyped, cut short, or made up)."""

    code = "link_invalid"


class LinkUsed(Conflict):
    """The link was used already, or replaced by a newer one."""

    code = "link_used"


class LinkExpired(Conflict):
    """The link is older than its lifetime."""

    code = "link_expired"


@dataclass(frozen=True)
class IssuedLink:
    """A new link: the secret is here once (for the message and the card), never stored."""

    secret: str
    invitation: Invitation

    @property
    def path(self) -> str:
        """The link as a path of the app."""
        return f"{LINK_PATH}{self.secret}"

    @property
    def url(self) -> str:
        """The full address, for the card's QR code."""
        return app_link(self.path)


def create_and_invite(
    session: Session,
    actor: Person,
    role: Role,
    spec: people.PersonSpec,
    *,
    lifetime: dt.timedelta = INVITATION_LIFETIME,
) -> tuple[Person, IssuedLink]:
    """A coordinator creates an account and its invitation in one step."""
    require_coordinator(actor)
    person = people.register(session, role, spec, actor=actor)
    return person, invite(session, actor, person, lifetime=lifetime)


def invite(
    session: Session,
    actor: Person,
    person: Person,
    *,
    lifetime: dt.timedelta = INVITATION_LIFETIME,
) -> IssuedLink:
    """A fresh invitation for ``person`` (older links stop working), sent on their channel;
    asking for it answers any "forgot password" call they made."""
    require_coordinator(actor)
    if not person.active:
        raise DomainError(
            "{name}'s account is deactivated: reactivate it first.",
            code="inactive", name=person.first_name,
        )  # fmt: skip
    issued = _issue(session, person, LinkPurpose.INVITATION, lifetime, actor)
    session.execute(
        update(PasswordHelpRequest)
        .where(PasswordHelpRequest.person_id == person.id, PasswordHelpRequest.handled_at.is_(None))
        .values(handled_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if has_channel(person):
        enqueue(
            session, person, "invitation", f"invitation:{issued.invitation.id}",
            _("Your rural-cars account"),
            _("Hello %(name)s, you are invited to rural-cars, the rides between villages. "
              "Open this link to choose your password (it works once, until %(until)s):"),
            name=person.first_name,
            until=local_date(
                issued.invitation.expires_at.astimezone(clock.LOCAL_TZ).date(),
                person.preferred_language,
            ),
            link=issued.path,
        )  # fmt: skip
    audit.record(session, actor, "invite", "person", person.id)
    return issued


def has_channel(person: Person) -> bool:
    """Whether a message can reach the person (e-mail today; phone through the outbox's
    other channels), rather than only a coordinator's call or a card."""
    return bool(person.email or person.phone)


def revoke_links(session: Session, person: Person) -> None:
    """Every unused link of ``person`` stops working."""
    session.execute(
        update(Invitation)
        .where(
            Invitation.person_id == person.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=clock.now())
        .execution_options(synchronize_session=False)
    )


def open_link(session: Session, secret: str) -> Invitation:
    """The usable link with this secret; LinkInvalid, LinkUsed or LinkExpired otherwise (the
    last two name the person, so the page can speak their language)."""
    invitation = _find(session, secret)
    if invitation.used_at is not None or invitation.revoked_at is not None:
        raise LinkUsed("This link was used already or replaced by a newer one.")
    if not invitation.person.active:
        raise LinkUsed("This link was used already or replaced by a newer one.")
    if invitation.expires_at <= clock.now():
        raise LinkExpired("This link has expired.")
    return invitation


def link_person(session: Session, secret: str) -> Person | None:
    """Whose link this is, used or not (to answer in their language), or None."""
    try:
        return _find(session, secret).person
    except LinkInvalid:
        return None


def accept(session: Session, secret: str, password: str, language: str) -> Person:
    """The person chooses a password and confirms their language; the link is used up, every
    other link of theirs revoked, and their older sessions end."""
    invitation = open_link(session, secret)
    person = invitation.person
    checks = Checks()
    check_password(checks, "password", password)
    checks.raise_if_any()
    people.set_language(session, person, language)
    person.password_hash = hash_password(password)
    invitation.used_at = clock.now()
    revoke_links(session, person)
    end_sessions(session, person)
    audit.record(session, person, "accept", "invitation", invitation.id)
    return person


def request_reset(session: Session, identifier: str) -> None:
    """ "Forgot password" by e-mail or phone: every active account it names gets a fresh link
    on its channel. Nothing is said of what was found."""
    identifier = identifier.strip()[:254]
    if not identifier:
        return
    found: list[Person] = []
    if "@" in identifier:
        person = people.find_by_email(session, identifier)
        found = [person] if person is not None else []
    else:
        found = people.find_by_phone(session, identifier)
    for person in found:
        if person.active:
            _send_reset(session, person)


def request_help(session: Session, first_name: str, village: str) -> None:
    """ "Forgot password" for people with neither e-mail nor phone: those with this first name
    and home village go on the coordinators' call list (once until a coordinator acts)."""
    first_name, village = first_name.strip()[:80], village.strip()[:160]
    if not first_name or not village:
        return
    matches = session.scalars(
        select(Person)
        .join(Place, Person.home_place_id == Place.id)
        .where(
            func.lower(Person.first_name) == first_name.lower(),
            func.lower(Place.name) == village.lower(),
            Person.email.is_(None),
            Person.phone.is_(None),
            Person.active.is_(True),
        )
    )
    for person in matches:
        _ask_for_call(session, person)


def call_list(session: Session, actor: Person) -> list[PasswordHelpRequest]:
    """People who asked for a new password and can only be reached by a coordinator."""
    require_coordinator(actor)
    query = (
        select(PasswordHelpRequest)
        .where(PasswordHelpRequest.handled_at.is_(None))
        .order_by(PasswordHelpRequest.created_at, PasswordHelpRequest.id)
    )
    return list(session.scalars(query))


def _send_reset(session: Session, person: Person) -> None:
    if not has_channel(person):
        _ask_for_call(session, person)
        return
    issued = _issue(session, person, LinkPurpose.RESET, RESET_LIFETIME, None)
    enqueue(
        session, person, "password_reset", f"password_reset:{issued.invitation.id}",
        _("A new password for rural-cars"),
        _("Hello %(name)s, open this link to choose a new password (it works once, for one "
          "day). If you did not ask for it, do nothing:"),
        name=person.first_name, link=issued.path,
    )  # fmt: skip


def _ask_for_call(session: Session, person: Person) -> None:
    open_request = session.scalar(
        select(PasswordHelpRequest.id).where(
            PasswordHelpRequest.person_id == person.id, PasswordHelpRequest.handled_at.is_(None)
        )
    )
    if open_request is None:
        session.add(PasswordHelpRequest(person_id=person.id, created_at=clock.now()))
        session.flush()


def _issue(
    session: Session,
    person: Person,
    purpose: LinkPurpose,
    lifetime: dt.timedelta,
    actor: Person | None,
) -> IssuedLink:
    revoke_links(session, person)
    secret = secrets.token_urlsafe(24)
    now = clock.now()
    invitation = Invitation(
        person_id=person.id,
        purpose=purpose,
        token_hash=_digest(secret),
        created_by_id=actor.id if actor is not None else None,
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(invitation)
    session.flush()
    return IssuedLink(secret, invitation)


def _find(session: Session, secret: str) -> Invitation:
    if not secret or len(secret) > 200:
        raise LinkInvalid("This link is not valid.")
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == _digest(secret)))
    if invitation is None:
        raise LinkInvalid("This link is not valid.")
    return invitation


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
