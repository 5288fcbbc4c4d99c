"""``rural-cars check``: is this installation ready to run a day?"""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from web.deployment_checks import run_checks


def register(main: click.Group, bench: click.Group) -> None:
    main.add_command(check_command)


@click.command("check")
@with_appcontext
def check_command() -> None:
    """Check the database, secret key, public URL, SMTP, WhatsApp, rate-limit storage,
    scheduler and translations; one line each, exit status 1 if any fails. Sends and changes
    nothing."""
    results = run_checks()
    for result in results:
        click.echo(f"{'ok  ' if result.ok else 'FAIL'}  {result.name}: {result.detail}")
    failed = [r for r in results if not r.ok]
    if failed:
        click.echo(f"{len(failed)} of {len(results)} checks failed.", err=True)
        sys.exit(1)
    click.echo(f"all {len(results)} checks passed.")
