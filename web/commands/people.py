"""``rural-cars people add``: the accounts a deployment starts with, first of all a coordinator.

The password never appears in the command line (shell history, process list): it is read from
a hidden prompt, or from standard input for scripts.
"""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from rides.accounts import people as accounts
from rides.accounts.people import PersonSpec
from rides.db import unit_of_work
from rides.errors import Conflict
from rides.models import UI_LANGUAGES, Role
from rides.validation import InvalidInput
from web.commands.schema import require_schema
from web.database import database


def register(main: click.Group, bench: click.Group) -> None:
    main.add_command(people)


@click.group()
def people() -> None:
    """Accounts."""


@people.command("add")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--first-name", required=True)
@click.option("--last-name")
@click.option("--email", help="Required for coordinators and drivers: they sign in with it.")
@click.option("--phone", help="Spanish numbers may omit +34.")
@click.option("--language", type=click.Choice(UI_LANGUAGES), default="es", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def people_add(
    role: str,
    first_name: str,
    last_name: str | None,
    email: str | None,
    phone: str | None,
    language: str,
    password_stdin: bool,
) -> None:
    """Create an account (all of it or nothing) and print its id."""
    require_schema()
    kind = Role(role)
    if kind != Role.NEWCOMER and not email:
        raise click.UsageError(f"--email is required for a {kind.value}: it is how they sign in.")
    password = _password(password_stdin) if kind != Role.NEWCOMER or password_stdin else None
    spec = PersonSpec(first_name=first_name, last_name=last_name, email=email, phone=phone,
                      password=password, preferred_language=language)  # fmt: skip
    try:
        with unit_of_work(database().sessions) as session:
            person = accounts.register(session, kind, spec)
            person_id = person.id
    except InvalidInput as error:
        lines = "\n".join(f"  --{e.field.replace('_', '-')}: {e.message}" for e in error.errors)
        raise click.ClickException(f"nothing created:\n{lines}") from error
    except Conflict as error:
        raise click.ClickException(f"nothing created: {error.message}") from error
    click.echo(f"{kind.value} {first_name} created with id {person_id}")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise click.UsageError("--password-stdin: standard input gave no password.")
        return line
    entered: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return entered
