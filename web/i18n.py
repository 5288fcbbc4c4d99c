"""Page language and the page's formats of dates, numbers, distances and lists.

The page language is, in order: a page that speaks for someone (``g.language``: a reminder
link speaks the rider's language), the language chosen with the switcher in this browser
session (chosen on the sign-in page, it holds after signing in), the person's profile, the
``lang`` cookie of an earlier visit, the browser's Accept-Language; Spanish by default.

Switching the page language never changes the language of a person's messages: that is the
profile's ``preferred_language``, chosen on its own page (``auth.messages_language``).

Catalogues live in ``rides/translations`` so notifications and pages share one translation;
the filters below call the same ``rides.locales`` functions the messages use. Dates and times
use Flask-Babel's own filters (``dateformat``, ``timeformat``, ``datetimeformat``), numbers
``numberformat``/``decimalformat``; distances ``km``, months ``monthformat``, lists
``listformat``. Arabic pages are laid out right to left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask import Flask, g, request, session
from flask_babel import Babel, get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from rides.locales import DEFAULT_LANGUAGE, TRANSLATIONS_DIR, local_km, local_list, local_month
from rides.models import UI_LANGUAGES

RTL_LANGUAGES = frozenset({"ar"})
LANGUAGE_COOKIE = "lang"
#: Where the switcher's choice is kept for the browser session (it survives signing in).
SESSION_LANGUAGE = "language"
#: Each language's name in itself, for the switcher.
LANGUAGE_NAMES = {
    "es": "Español",
    "ar": "العربية",
    "ro": "Română",
    "fr": "Français",
    "en": "English",
    "uk": "Українська",
}


def select_language() -> str:
    """Speaking for someone, then this session's choice, the profile, the cookie, the browser."""
    if "language" in g:
        return str(g.language)
    chosen = session.get(SESSION_LANGUAGE)
    if chosen in UI_LANGUAGES:
        return str(chosen)
    if current_user.is_authenticated:
        return str(current_user.person.preferred_language)
    remembered = request.cookies.get(LANGUAGE_COOKIE)
    if remembered in UI_LANGUAGES:
        return remembered
    return request.accept_languages.best_match(UI_LANGUAGES) or DEFAULT_LANGUAGE


def choose_page_language(language: str) -> None:
    """The switcher's choice: pages in ``language`` for the rest of this browser session."""
    session[SESSION_LANGUAGE] = language


def text_direction(language: str) -> str:
    """``rtl`` for Arabic, ``ltr`` for the others."""
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def _page_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


def km_filter(value: float) -> str:
    """``{{ route.km | km }}``: the distance to a tenth in the page's language ("201,5")."""
    return local_km(value, _page_language())


def month_filter(month: dt.date | str) -> str:
    """``{{ "2026-12" | monthformat }}``: "diciembre de 2026", "décembre 2026"."""
    return local_month(month, _page_language())


def list_filter(items: Iterable[object]) -> Markup:
    """``{{ names | listformat }}``: "Amina, Ioana y Olena"; Arabic joins with its own "و".
    Items are escaped unless they are markup already (an icon beside a word), so the joined
    list is safe markup (CLDR's joining words hold no HTML)."""
    joined = local_list((escape(item) for item in items), _page_language())
    return Markup(joined)  # noqa: S704 - every item was escaped just above


def init_app(app: Flask) -> None:
    """Attach Flask-Babel, the format filters, and expose the language to every template."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Madrid")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS_DIR)
    Babel(app, locale_selector=select_language)
    app.add_template_filter(km_filter, "km")
    app.add_template_filter(month_filter, "monthformat")
    app.add_template_filter(list_filter, "listformat")

    @app.context_processor
    def _language() -> dict[str, object]:
        language = select_language()
        return {
            "page_language": language,
            "page_direction": text_direction(language),
            "languages": LANGUAGE_NAMES,
        }
