"""Signing in: passwords for people, bearer tokens for programs."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from rides import audit, clock
from rides.errors import NotFound
from rides.models import ApiToken, Person
from rides.passwords import hash_password, needs_rehash, verify_password
from rides.people import find_by_email
from rides.validation import Checks

TOKEN_LIFETIME = dt.timedelta(days=90)


def authenticate(session: Session, email: str, password: str) -> Person | None:
    """The active account with these credentials, else None (same answer and time either way)."""
    person = find_by_email(session, email) if email else None
    stored = person.password_hash if person is not None else None
    if not verify_password(stored, password) or person is None or not person.active:
        return None
    assert stored is not None
    if needs_rehash(stored):
        person.password_hash = hash_password(password)
    return person


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


def person_for_token(session: Session, secret: str) -> Person | None:
    """The active owner of a valid, unexpired, unrevoked token."""
    if not secret or len(secret) > 200:
        return None
    # The owner comes in the same query: every API request asks this, so one round trip less.
    query = select(ApiToken).options(joinedload(ApiToken.person))
    token = session.scalar(query.where(ApiToken.token_hash == _digest(secret)))
    now = clock.now()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    person = token.person
    return person if person.active else None


def revoke_token(session: Session, secret: str) -> None:
    """Sign a program out: the token stops working at once."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None or token.revoked_at is not None:
        raise NotFound("No such token.", code="not_found")
    token.revoked_at = clock.now()
    session.flush()


def set_password(session: Session, person: Person, password: str, *, actor: Person | None) -> None:
    """Give an account a (new) password, e.g. when a coordinator creates it over the phone."""
    checks = Checks()
    if len(password) < 8:
        checks.fail("password", "too_short", "At least {min} characters.", min=8)
    checks.raise_if_any()
    person.password_hash = hash_password(password)
    session.flush()
    audit.record(session, actor, "set_password", "person", person.id)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
