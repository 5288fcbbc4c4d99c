"""Translations and formats outside a web request: notifications go out in each recipient's
language.

The catalogues in ``rides/translations`` are shared with the web pages (Flask-Babel reads the
same directory), so a sentence is translated once for both. Dates, times, numbers, distances
and lists are written here the way each language writes them (CLDR data through Babel); the
pages' Jinja filters (``web/i18n.py``) call these same functions, so a page and a message say
"201,5 km" or "diciembre de 2026" alike.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_skeleton, format_time
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from babel.units import format_unit

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


def translate_plural(language: str, singular: str, plural: str, n: int, **params: Any) -> str:
    """The form of ``singular``/``plural`` that ``n`` takes in ``language`` (CLDR plural rules:
    Arabic has six forms, Ukrainian and Romanian three), with ``n`` and ``params`` substituted."""
    text = catalogue(language).ngettext(singular, plural, n)
    return text % {"n": n, "num": n, **params}


def local_time(moment: dt.datetime, language: str) -> str:
    """A wall-clock time as people of that language write it (24-hour in Spain)."""
    return format_time(moment.astimezone(clock.LOCAL_TZ), "HH:mm", locale=language)


def local_date(day: dt.date, language: str) -> str:
    """A date written out in the language ("martes, 1 de diciembre")."""
    return format_date(day, "full", locale=language)


def local_day(day: dt.date, language: str) -> str:
    """A date in a sentence, short and unambiguous ("1 dic 2026", "1 déc. 2026")."""
    return format_date(day, "medium", locale=language)


def local_month(month: dt.date | str, language: str) -> str:
    """A month and its year ("diciembre de 2026"); ``month`` is a date or ``YYYY-MM``."""
    if isinstance(month, str):
        month = dt.date.fromisoformat(f"{month}-01")
    return format_skeleton("yMMMM", month, locale=language)


def local_number(value: float, language: str, decimals: int = 0) -> str:
    """A number with the language's decimal sign and grouping ("1.907,5" in Spanish)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, pattern, locale=language)


def local_km(value: float, language: str) -> str:
    """A distance in kilometres, to a tenth ("201,5" in French; the unit is the sentence's)."""
    return local_number(value, language, decimals=1)


def local_duration(seconds: int, language: str) -> str:
    """A duration to the minute in the language's short units ("1 h 12 min", "45 min")."""
    hours, minutes = divmod(round(seconds / 60), 60)
    parts = [format_unit(hours, "duration-hour", length="short", locale=language)] if hours else []
    if minutes or not hours:
        parts.append(format_unit(minutes, "duration-minute", length="short", locale=language))
    return " ".join(parts)


def local_list(items: Iterable[object], language: str) -> str:
    """Items joined as the language joins them ("Amina, Ioana y Olena", "أ وب وج")."""
    return format_list([str(item) for item in items], locale=language)
