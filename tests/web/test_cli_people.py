"""``rural-cars people add``: the first coordinator of a deployment, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from rides.accounts.signin import authenticate
from rides.models import AuditEntry, Person, Role
from web import create_app
from web.commands.people import people
from web.database import database


@pytest.fixture
def app(db_url: str) -> Iterator[Flask]:
    app = create_app({"DATABASE_URL": db_url, "SECRET_KEY": "test-secret"})
    yield app
    database(app).engine.dispose()


def _add(app: Flask, *args: str, password: str | None = "a-long-enough-passphrase"):
    stdin = f"{password}\n" if password is not None else None
    flags = ["--password-stdin"] if password is not None else []
    return app.test_cli_runner().invoke(people, ["add", *args, *flags], input=stdin)


def _count(app: Flask) -> int:
    with database(app).sessions() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


def test_the_first_coordinator_can_sign_in(app: Flask) -> None:
    result = _add(app, "--role", "coordinator", "--email", "ana@example.org",
                  "--first-name", "Ana", "--language", "ar")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "coordinator Ana created with id" in result.output
    with database(app).sessions() as session:
        person = authenticate(session, "ana@example.org", "a-long-enough-passphrase")
        assert person is not None and person.role == Role.COORDINATOR
        assert person.preferred_language == "ar"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "register")).one()
        assert entry.entity_id == person.id and entry.actor_id is None


def test_the_password_is_asked_twice_when_not_piped(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        people, ["add", "--role", "driver", "--email", "d@example.org", "--first-name", "Juan"],
        input="first-passphrase-1\nsecond-passphrase\nfirst-passphrase-1\nfirst-passphrase-1\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "match" in result.output.lower()  # the mismatch was caught and asked again
    with database(app).sessions() as session:
        assert authenticate(session, "d@example.org", "first-passphrase-1") is not None


def test_a_duplicate_email_creates_nothing(app: Flask) -> None:
    assert _add(app, "--role", "coordinator", "--email", "ana@example.org",
                "--first-name", "Ana").exit_code == 0  # fmt: skip
    again = _add(app, "--role", "driver", "--email", "ANA@example.org", "--first-name", "Ana")
    assert again.exit_code == 1
    assert "already exists" in again.output and _count(app) == 1


def test_bad_input_names_each_option_and_creates_nothing(app: Flask) -> None:
    result = _add(app, "--role", "coordinator", "--email", "not-an-address",
                  "--first-name", " ", "--phone", "12", password="short")  # fmt: skip
    assert result.exit_code == 1
    for option in ("--first-name", "--email", "--phone", "--password"):
        assert option in result.output
    assert _count(app) == 0


def test_coordinators_and_drivers_need_an_email_newcomers_do_not(app: Flask) -> None:
    refused = _add(app, "--role", "coordinator", "--first-name", "Ana")
    assert refused.exit_code == 2 and "--email is required" in refused.output
    newcomer = _add(app, "--role", "newcomer", "--first-name", "Amina", "--phone", "612345678",
                    password=None)  # fmt: skip
    assert newcomer.exit_code == 0, newcomer.output
    with database(app).sessions() as session:
        amina = session.scalars(select(Person)).one()
        assert amina.phone == "+34612345678" and amina.password_hash is None


def test_an_empty_password_on_stdin_is_refused(app: Flask) -> None:
    result = _add(app, "--role", "coordinator", "--email", "a@example.org", "--first-name", "A",
                  password="")  # fmt: skip
    assert result.exit_code == 2 and _count(app) == 0
