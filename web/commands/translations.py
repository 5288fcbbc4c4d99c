"""``rural-cars translations``: keep the six catalogues in step with the code."""

from __future__ import annotations

from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_keywords, parse_mapping_cfg
from babel.messages.pofile import write_po

from rides.models import UI_LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "rides" / "translations"
TEMPLATE = CATALOGUES / "messages.pot"
MAPPING = ROOT / "babel.cfg"
#: Besides _() and lazy_gettext(): domain messages are translated from where they are raised.
KEYWORDS = (
    "_", "_l", "lazy_gettext", "gettext", "ngettext:1,2", "fail:3", "DomainError",
    "ValidationError", "NotFound", "Conflict", "PermissionDenied", "InvalidTransition",
    "PlanRejected", "Unauthenticated", "LinkInvalid", "LinkExpired", "LimitReached", "LinkUsed",
)  # fmt: skip


def catalogue_from_code(root: Path = ROOT) -> Catalog:
    """Every message of the Python code and the templates, extracted in memory.

    The same mapping (babel.cfg) and keywords as the ``update`` command, so the tests can check
    the catalogues against the code as it is now, not against a template extracted earlier.
    """
    with MAPPING.open(encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(list(KEYWORDS))}
    catalogue = Catalog(project="rural-cars", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=keywords
    ):
        catalogue.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalogue


def extract() -> None:
    """Write messages.pot from the Python code and the templates."""
    with TEMPLATE.open("wb") as pot:
        write_po(pot, catalogue_from_code(), no_location=True, sort_output=True, width=76)


def init_missing() -> list[str]:
    """Start a catalogue for each UI language that has none yet (``update`` needs one)."""
    started = []
    for language in UI_LANGUAGES:
        if (CATALOGUES / language / "LC_MESSAGES" / "messages.po").exists():
            continue
        CommandLineInterface().run(
            ["pybabel", "-q", "init", "-i", str(TEMPLATE), "-d", str(CATALOGUES), "-l", language]
        )
        started.append(language)
    return started


@click.group("translations")
def translations() -> None:
    """Message catalogues (rides/translations)."""


@translations.command("update")
def update() -> None:
    """Extract the strings and merge them into every language's catalogue."""
    extract()
    started = init_missing()
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "update",
            "-i",
            str(TEMPLATE),
            "-d",
            str(CATALOGUES),
            "--no-fuzzy-matching",
        ]
    )
    if started:
        click.echo(f"new catalogues: {', '.join(started)}")
    click.echo(f"catalogues updated in {CATALOGUES}")


@translations.command("compile")
def compile_() -> None:
    """Compile .po to .mo (the install does this too)."""
    CommandLineInterface().run(["pybabel", "-q", "compile", "-d", str(CATALOGUES)])
    click.echo("catalogues compiled")


def register(main: click.Group, _bench: click.Group) -> None:
    """Mount the commands."""
    main.add_command(translations)
