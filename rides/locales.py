"""Translations outside a web request: notifications go out in each recipient's language.

The catalogues in ``rides/translations`` are shared with the web pages (Flask-Babel reads the
same directory), so a sentence is translated once for both.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_time
from babel.support import NullTranslations, Translations

from rides import clock
from rides.models import UI_LANGUAGES

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DEFAULT_LANGUAGE = "es"


@functools.cache
def catalogue(language: str) -> NullTranslations:
    """The compiled catalogue of a language; English source strings when there is none."""
    if language not in UI_LANGUAGES:
        language = DEFAULT_LANGUAGE
    return Translations.load(str(TRANSLATIONS_DIR), [language])


def translate(language: str, message: str, **params: Any) -> str:
    """``message`` in ``language``, with ``params`` substituted by name."""
    text = catalogue(language).gettext(message)
    if not params:
        return text
    for name, value in params.items():
        # A value that ends a sentence with its own full stop (a Ukrainian date ends in "р.")
        # takes the sentence's place: never "р..".
        if isinstance(value, str) and value.endswith("."):
            text = text.replace(f"%({name})s.", f"%({name})s")
    return text % params


def local_time(moment: dt.datetime, language: str) -> str:
    """A wall-clock time as people of that language write it (24-hour in Spain)."""
    return format_time(moment.astimezone(clock.LOCAL_TZ), "HH:mm", locale=language)


def local_date(day: dt.date, language: str) -> str:
    """A date written out in the language ("martes, 1 de diciembre")."""
    return format_date(day, "full", locale=language)
