"""``rural-cars whatsapp templates``: the template bodies to submit to Meta for approval."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

from rides import clock
from rides.locales import local_date, local_time
from rides.messaging import whatsapp_templates as templates


def register(main: click.Group, _bench: click.Group) -> None:
    """Mount the commands."""
    main.add_command(whatsapp)


@click.group()
def whatsapp() -> None:
    """WhatsApp Business Cloud API."""


def sample_fields(language: str) -> dict[str, str]:
    """Example values for Meta's reviewers, written as the outbox writes them."""
    pickup = dt.datetime(2026, 12, 7, 9, 30, tzinfo=clock.LOCAL_TZ)
    return {
        "date": local_date(pickup.date(), language),
        "time": local_time(pickup, language),
        "place": "Hita (plaza Mayor)",
        "destination": "Guadalajara",
        "added": "1",
        "removed": "0",
        "moved": "2",
    }


def creation_request(kind: str, language: str) -> dict[str, Any]:
    """The Business Management API's body to create one template in one language."""
    component: dict[str, Any] = {"type": "BODY", "text": templates.body(kind, language)}
    example = templates.example(kind, language, sample_fields(language))
    if example:
        component["example"] = {"body_text": [example]}
    return {
        "name": templates.TEMPLATES[kind].name,
        "language": templates.LANGUAGE_CODES[language],
        "category": "UTILITY",
        "components": [component],
    }


@whatsapp.command("templates")
@click.option("--json", "as_json", is_flag=True, help="Template creation requests, one a line.")
def templates_command(as_json: bool) -> None:
    """Print each template's body in every language, with {{1}}, {{2}}... placeholders."""
    for kind, template in templates.TEMPLATES.items():
        if not as_json:
            click.echo(f"== {template.name} (category UTILITY; outbox messages {kind!r})")
        for language in templates.languages():
            if as_json:
                click.echo(json.dumps(creation_request(kind, language), ensure_ascii=False))
                continue
            code = templates.LANGUAGE_CODES[language]
            click.echo(f"-- {code}: {templates.body(kind, language)}")
            example = templates.example(kind, language, sample_fields(language))
            names = templates.parameter_names(kind, language)
            for number, (name, value) in enumerate(zip(names, example, strict=True), 1):
                click.echo(f"     {{{{{number}}}}} {name}, e.g. {value}")
            for problem in templates.problems(kind, language):
                click.echo(f"     WARNING: Meta will refuse it: {problem}")
        if not as_json:
            click.echo("")
