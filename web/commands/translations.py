"""``rural-cars translations``: keep the six catalogues in step with the code."""

from __future__ import annotations

from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "rides" / "translations"
#: Besides _() and lazy_gettext(): domain messages are translated from where they are raised.
KEYWORDS = (
    "_", "_l", "lazy_gettext", "gettext", "ngettext:1,2", "fail:3", "DomainError",
    "ValidationError", "NotFound", "Conflict", "PermissionDenied", "InvalidTransition",
    "PlanRejected", "Unauthenticated",
)  # fmt: skip


def extract() -> None:
    """Write messages.pot from the Python code and the templates."""
    args = [
        "pybabel",
        "-q",
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "--no-location",
        "--sort-output",
        "--project",
        "rural-cars",
        "-o",
        str(CATALOGUES / "messages.pot"),
    ]
    for keyword in KEYWORDS:
        args += ["-k", keyword]
    CommandLineInterface().run([*args, str(ROOT)])


@click.group("translations")
def translations() -> None:
    """Message catalogues (rides/translations)."""


@translations.command("update")
def update() -> None:
    """Extract the strings and merge them into every language's catalogue."""
    extract()
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "update",
            "-i",
            str(CATALOGUES / "messages.pot"),
            "-d",
            str(CATALOGUES),
            "--no-fuzzy-matching",
        ]
    )
    click.echo(f"catalogues updated in {CATALOGUES}")


@translations.command("compile")
def compile_() -> None:
    """Compile .po to .mo (the install does this too)."""
    CommandLineInterface().run(["pybabel", "-q", "compile", "-d", str(CATALOGUES)])
    click.echo("catalogues compiled")


def register(main: click.Group, _bench: click.Group) -> None:
    """Mount the commands."""
    main.add_command(translations)
