"""Signing in: passwords for people, bearer tokens for programs."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from rides import audit, clock
from rides.accounts.passwords import hash_password, needs_rehash, verify_password
from rides.accounts.people import find_by_email, find_by_phone
from rides.errors import NotFound
from rides.models import ApiToken, Person
from rides.validation import Checks, check_password

TOKEN_LIFETIME = dt.timedelta(days=90)


def authenticate(session: Session, email: str, password: str) -> Person | None:
    """The active account with these credentials, else None (same answer and time either way).

    ``email`` may also be a phone number: newcomers often have no e-mail. People who share a
    phone (a family) each have their own password, which tells them apart.
    """
    identifier = email.strip() if email else ""
    candidates: list[Person] = []
    if "@" in identifier:
        found = find_by_email(session, identifier)
        candidates = [found] if found is not None else []
    elif identifier:
        candidates = find_by_phone(session, identifier)
    hashed = [p for p in candidates if p.password_hash]
    if not hashed:
        verify_password(None, password)  # the same time as a real check
        return None
    for person in hashed:
        stored = person.password_hash
        assert stored is not None
        if verify_password(stored, password) and person.active:
            if needs_rehash(stored):
                person.password_hash = hash_password(password)
            return person
    return None


def end_sessions(session: Session, person: Person) -> None:
    """Sign ``person`` out of the pages everywhere: every session cookie issued so far carries
    an older session version and stops working, so a copied cookie cannot be replayed."""
    person.session_version = (person.session_version or 0) + 1
    session.flush()


def change_password(session: Session, actor: Person, current: str, new: str) -> None:
    """The signed-in person changes their own password (knowing the current one); their
    page sessions end, as a change after a suspected break-in must lock the intruder out."""
    checks = Checks()
    if not verify_password(actor.password_hash, current):
        checks.fail("current_password", "wrong", "This is not your current password.")
    check_password(checks, "password", new)
    checks.raise_if_any()
    actor.password_hash = hash_password(new)
    end_sessions(session, actor)
    audit.record(session, actor, "change_password", "person", actor.id)


def issue_token(
    session: Session, person: Person, name: str = "api", lifetime: dt.timedelta = TOKEN_LIFETIME
) -> tuple[str, ApiToken]:
    """A new bearer token; the secret is returned once and only its hash is kept."""
    secret = secrets.token_urlsafe(32)
    token = ApiToken(
        person_id=person.id,
        name=name[:80] or "api",
        token_hash=_digest(secret),
        expires_at=clock.now() + lifetime,
    )
    session.add(token)
    session.flush()
    audit.record(session, person, "issue", "api_token", token.id)
    return secret, token


#: The owner of a usable token, every condition in SQL: one round trip and one entity to load
#: (every API request asks, so the statement is built once).
_TOKEN_OWNER = (
    select(Person)
    .join(ApiToken, ApiToken.person_id == Person.id)
    .where(
        ApiToken.token_hash == bindparam("digest"),
        ApiToken.revoked_at.is_(None),
        or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > bindparam("now")),
        Person.active.is_(True),
    )
)


def person_for_token(session: Session, secret: str) -> Person | None:
    """The active owner of a valid, unexpired, unrevoked token."""
    if not secret or len(secret) > 200:
        return None
    found: Person | None = session.scalar(
        _TOKEN_OWNER, {"digest": _digest(secret), "now": clock.now()}
    )
    return found


def revoke_token(session: Session, secret: str) -> None:
    """Sign a program out: the token stops working at once."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None or token.revoked_at is not None:
        raise NotFound("No such token.", code="not_found")
    token.revoked_at = clock.now()
    session.flush()


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
