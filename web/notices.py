"""The notice a booking gets on the spot, with this app's cut-off, planning time and language."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from flask_babel import get_locale

from rides import clock
from rides.booking import notices
from rides.locales import DEFAULT_LANGUAGE
from rides.models import RideRequest
from web.config import booking_cutoff, planning_time


def booking_notice(request: RideRequest, language: str | None = None) -> notices.BookingNotice:
    """``rides.booking.notices.booking_notice`` for now, in ``language`` (by default the
    page's: the signed-in person's)."""
    return notices.booking_notice(request, clock.now(), **_settings(language))


def waiting_notice(request: RideRequest) -> notices.BookingNotice | None:
    """``rides.booking.notices.waiting_notice`` now, in the page's language: what "My rides"
    says under a trip still waiting for a car."""
    return notices.waiting_notice(request, clock.now(), **_settings(None))


class _Settings(TypedDict):
    cutoff: dt.time
    planning_time: dt.time
    language: str


def _settings(language: str | None) -> _Settings:
    """This app's cut-off and planning time, and the language (the page's if None): what both
    notices are told, from one place."""
    return _Settings(
        cutoff=booking_cutoff(),
        planning_time=planning_time(),
        language=language or str(get_locale() or DEFAULT_LANGUAGE),
    )
