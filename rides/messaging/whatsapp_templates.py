"""The WhatsApp message templates: which outbox messages may go by WhatsApp, and how.

WhatsApp only lets a business start a conversation with a template Meta has approved, one per
name and language, whose body has numbered placeholders ({{1}}, {{2}}...) filled at send time.
Each template's body is the sentence the outbox already sends, taken from the catalogues, so a
rider reads the same words on every channel; the placeholders are numbered in the order they
appear in each language, so a translation that puts the time before the date still gets the
numbers in order (Meta refuses templates whose numbers are out of order).

A message kind without a template here cannot go by WhatsApp: the sender says so and delivery
moves on to the person's next channel. After changing the translation of one of these sentences,
submit the template again (``rural-cars whatsapp templates`` prints every body).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rides.locales import catalogue
from rides.models import UI_LANGUAGES


def _(message: str) -> str:
    """Mark a string for extraction; it is translated per language when the body is built."""
    return message


@dataclass(frozen=True)
class Template:
    """A template as registered in WhatsApp Manager: its name and the sentence it says."""

    name: str
    #: The catalogue's source sentence, placeholders written %(name)s as in the outbox.
    source: str
    #: A first line when the sentence alone does not say which day (the e-mail's subject).
    heading: str | None = None


#: Outbox message kinds that may go by WhatsApp (rides/messaging/notifications.py). A rider's
#: changed pickup time goes out again as ``pickup_confirmed``; ``route_change`` is the driver's.
TEMPLATES: dict[str, Template] = {
    "pickup_confirmed": Template(
        "rural_cars_pickup",
        _("A car will pick you up on %(date)s at %(time)s at %(place)s to go to %(destination)s."),
    ),
    # The e-mail reminder carries two links; on WhatsApp the rider answers 1 or 2 instead
    # (a template may not end with a placeholder, and a reply needs no browser).
    "ride_reminder": Template(
        "rural_cars_reminder",
        _(
            "A car will pick you up on %(date)s at %(time)s at %(place)s to go to "
            "%(destination)s. Reply 1 if you will be there, or 2 if you no longer need the ride."
        ),
    ),
    "route_change": Template(
        "rural_cars_route_change",
        _(
            "Passengers added: %(added)d, removed: %(removed)d; stops at another time: "
            "%(moved)d. Your accepted route stays as it is until you accept or decline the "
            "change on your routes page."
        ),
        heading=_("A change to your route on %(date)s"),
    ),
}

#: The template language of each UI language, from WhatsApp's list of supported languages
#: (Spanish of Spain is ``es_ES``; English, Arabic, French, Romanian, Ukrainian have one code).
LANGUAGE_CODES: dict[str, str] = {
    "es": "es_ES",
    "ar": "ar",
    "ro": "ro",
    "fr": "fr",
    "en": "en",
    "uk": "uk",
}

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
#: What WhatsApp refuses inside a parameter: new lines, tabs, more than four spaces in a row
#: (a no-break space, as in dates, is kept: it is what the other channels show).
_SPACES = re.compile(r"[\r\n\t]+| {2,}")


class NoTemplate(LookupError):
    """This message cannot go by WhatsApp: no template for its kind or language, or a value
    the template needs is missing."""


@dataclass(frozen=True)
class Filled:
    """A template ready to send: name, language code and body parameters in order."""

    name: str
    language_code: str
    parameters: tuple[str, ...]


def translated(kind: str, language: str) -> str:
    """The template's text in ``language`` (heading line, then the sentence), placeholders
    still written %(name)s."""
    template = TEMPLATES.get(kind)
    if template is None:
        raise NoTemplate(f"no WhatsApp template for {kind!r} messages")
    if language not in LANGUAGE_CODES:
        raise NoTemplate(f"no WhatsApp template language for {language!r}")
    gettext = catalogue(language).gettext
    sentence = gettext(template.source)
    return f"{gettext(template.heading)}\n{sentence}" if template.heading else sentence


def parameter_names(kind: str, language: str) -> tuple[str, ...]:
    """The message's field names in the order of {{1}}, {{2}}... in this language's body."""
    names: list[str] = []
    for name in _PLACEHOLDER.findall(translated(kind, language)):
        if name not in names:
            names.append(name)
    return tuple(names)


def body(kind: str, language: str) -> str:
    """The body to submit to WhatsApp for approval: the sentence with {{1}}, {{2}}..."""
    numbers = {name: index for index, name in enumerate(parameter_names(kind, language), 1)}
    return _PLACEHOLDER.sub(
        lambda match: f"{{{{{numbers[match.group(1)]}}}}}", translated(kind, language)
    )


def example(kind: str, language: str, fields: Mapping[str, str]) -> list[str]:
    """Sample values in placeholder order (Meta asks for one per placeholder)."""
    return [fields.get(name, name) for name in parameter_names(kind, language)]


def problems(kind: str, language: str) -> list[str]:
    """What would make Meta refuse this body: a placeholder first or last, two in a row."""
    text = body(kind, language).strip()
    found = []
    if text.startswith("{{"):
        found.append("starts with a placeholder")
    if text.endswith("}}"):
        found.append("ends with a placeholder")
    if re.search(r"\}\}\s*\{\{", text):
        found.append("two placeholders in a row")
    return found


def fill(kind: str, language: str, fields: Mapping[str, str]) -> Filled:
    """The template for this message with its parameters taken from the message's fields."""
    template = TEMPLATES.get(kind)
    text = translated(kind, language)  # raises NoTemplate for an unknown kind or language
    assert template is not None
    parameters = []
    for name in parameter_names(kind, language):
        if name not in fields:
            raise NoTemplate(f"the {template.name} template needs {name!r}, the message has none")
        value = _SPACES.sub(" ", str(fields[name])).strip() or "-"
        # As the outbox text does: a value with its own full stop takes the sentence's ("р.").
        if value.endswith(".") and re.search(rf"%\({name}\)[sd]\.", text):
            value = value[:-1]
        parameters.append(value)
    return Filled(template.name, LANGUAGE_CODES[language], tuple(parameters))


def languages() -> tuple[str, ...]:
    """The UI languages templates exist in (all of them)."""
    return tuple(language for language in UI_LANGUAGES if language in LANGUAGE_CODES)
