"""Bearer tokens: which ones still open the door (every condition is checked in SQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from rides import clock
from rides.accounts.signin import issue_token, person_for_token, revoke_token
from rides.errors import NotFound
from tests.factories import Factory


def test_a_fresh_token_names_its_owner(session: Session, make: Factory) -> None:
    rider = make.newcomer()
    secret, _ = issue_token(session, rider)
    assert person_for_token(session, secret) is rider


def test_unknown_empty_and_oversized_secrets_name_nobody(session: Session, make: Factory) -> None:
    secret, _ = issue_token(session, make.newcomer())
    assert person_for_token(session, secret + "x") is None
    assert person_for_token(session, "") is None
    assert person_for_token(session, secret * 10) is None


def test_a_revoked_token_stops_at_once(session: Session, make: Factory) -> None:
    secret, _ = issue_token(session, make.newcomer())
    revoke_token(session, secret)
    assert person_for_token(session, secret) is None
    with pytest.raises(NotFound):
        revoke_token(session, secret)


def test_an_expired_token_names_nobody(session: Session, make: Factory) -> None:
    """Expiry is compared in the database: the stored instant against now, on both backends."""
    secret, token = issue_token(session, make.newcomer(), lifetime=dt.timedelta(minutes=5))
    assert person_for_token(session, secret) is not None
    token.expires_at = clock.now() - dt.timedelta(seconds=1)
    session.flush()
    assert person_for_token(session, secret) is None


def test_a_token_without_expiry_keeps_working(session: Session, make: Factory) -> None:
    secret, token = issue_token(session, make.newcomer())
    token.expires_at = None
    session.flush()
    assert person_for_token(session, secret) is not None


def test_a_deactivated_person_loses_their_tokens(session: Session, make: Factory) -> None:
    rider = make.newcomer()
    secret, _ = issue_token(session, rider)
    rider.active = False
    session.flush()
    assert person_for_token(session, secret) is None
