"""Every WhatsApp template exists in every language, in a form Meta accepts, and says what the
outbox message says."""

from __future__ import annotations

import re

import pytest

from rides.locales import translate
from rides.messaging import whatsapp_templates as templates
from rides.models import UI_LANGUAGES

FIELDS = {
    "date": "lunes, 7 de diciembre de 2026",
    "time": "09:30",
    "place": "Hita (plaza Mayor)",
    "destination": "Guadalajara",
    "added": "1",
    "removed": "0",
    "moved": "2",
}


@pytest.mark.parametrize("kind", sorted(templates.TEMPLATES))
@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_each_template_is_translated_numbered_in_order_and_acceptable(
    kind: str, language: str
) -> None:
    template = templates.TEMPLATES[kind]
    source = f"{template.heading}\n{template.source}" if template.heading else template.source
    text = templates.translated(kind, language)
    if language != "en":
        assert text != source, f"{kind} is not translated to {language}"
    names = templates.parameter_names(kind, language)
    assert sorted(names) == sorted(set(re.findall(r"%\((\w+)\)", source)))
    body = templates.body(kind, language)
    numbers = [int(n) for n in re.findall(r"\{\{(\d+)\}\}", body)]
    assert numbers == list(range(1, len(names) + 1))
    assert "%(" not in body
    assert templates.problems(kind, language) == []


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_the_filled_pickup_template_reads_exactly_as_the_outbox_message(language: str) -> None:
    filled = templates.fill("pickup_confirmed", language, FIELDS)
    text = templates.body("pickup_confirmed", language)
    for number, value in enumerate(filled.parameters, 1):
        text = text.replace(f"{{{{{number}}}}}", value)
    assert text == translate(language, templates.TEMPLATES["pickup_confirmed"].source, **FIELDS)
    assert filled.language_code == templates.LANGUAGE_CODES[language]


def test_a_route_change_says_which_day_on_its_first_line() -> None:
    filled = templates.fill("route_change", "es", FIELDS)
    assert templates.body("route_change", "es").startswith(
        "Un cambio en tu ruta del {{1}}\nPasajeros"
    )
    assert filled.parameters == (FIELDS["date"], "1", "0", "2")


def test_a_value_ending_in_a_full_stop_takes_the_sentence_s() -> None:
    fields = {**FIELDS, "destination": "Sigüenza (est.)."}
    filled = templates.fill("pickup_confirmed", "en", fields)
    assert filled.parameters[-1] == "Sigüenza (est.)"
    assert templates.fill("pickup_confirmed", "en", FIELDS).parameters[0] == FIELDS["date"]


def test_a_kind_or_language_without_a_template_is_refused() -> None:
    with pytest.raises(templates.NoTemplate):
        templates.fill("unserved_digest", "es", FIELDS)
    with pytest.raises(templates.NoTemplate):
        templates.fill("pickup_confirmed", "de", FIELDS)
    with pytest.raises(templates.NoTemplate, match="destination"):
        templates.fill("pickup_confirmed", "es", {"date": "x", "time": "y", "place": "z"})


def test_problems_spot_what_meta_refuses() -> None:
    templates.TEMPLATES["_test"] = templates.Template("t", "%(a)s and %(b)s %(c)s")
    try:
        assert templates.problems("_test", "en") == [
            "starts with a placeholder",
            "ends with a placeholder",
            "two placeholders in a row",
        ]
    finally:
        del templates.TEMPLATES["_test"]
