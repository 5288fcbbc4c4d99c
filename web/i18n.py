"""Page language: the person's profile, else a chosen cookie, else the browser; Spanish default.

Catalogues live in ``rides/translations`` so notifications and pages share one translation.
Arabic pages are laid out right to left.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_babel import Babel
from flask_login import current_user

from rides.locales import DEFAULT_LANGUAGE, TRANSLATIONS_DIR
from rides.models import UI_LANGUAGES

RTL_LANGUAGES = frozenset({"ar"})
LANGUAGE_COOKIE = "lang"
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
    """Profile, then the ``lang`` cookie, then Accept-Language."""
    if "language" in g:
        return str(g.language)
    if current_user.is_authenticated:
        return str(current_user.person.preferred_language)
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in UI_LANGUAGES:
        return chosen
    return request.accept_languages.best_match(UI_LANGUAGES) or DEFAULT_LANGUAGE


def text_direction(language: str) -> str:
    """``rtl`` for Arabic, ``ltr`` for the others."""
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def init_app(app: Flask) -> None:
    """Attach Flask-Babel and expose the language to every template."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Madrid")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS_DIR)
    Babel(app, locale_selector=select_language)

    @app.context_processor
    def _language() -> dict[str, object]:
        language = select_language()
        return {
            "page_language": language,
            "page_direction": text_direction(language),
            "languages": LANGUAGE_NAMES,
        }
