"""The notice a booking gets on the spot, with this app's cut-off, planning time and language."""

from __future__ import annotations

from flask_babel import get_locale

from rides import clock
from rides.booking import notices
from rides.locales import DEFAULT_LANGUAGE
from rides.models import RideRequest
from web.config import booking_cutoff, planning_time


def booking_notice(request: RideRequest, language: str | None = None) -> notices.BookingNotice:
    """``rides.booking.notices.booking_notice`` for now, in ``language`` (by default the
    page's: the signed-in person's)."""
    return notices.booking_notice(
        request,
        clock.now(),
        cutoff=booking_cutoff(),
        planning_time=planning_time(),
        language=language or str(get_locale() or DEFAULT_LANGUAGE),
    )


def waiting_notice(request: RideRequest) -> notices.BookingNotice | None:
    """``rides.booking.notices.waiting_notice`` now, in the page's language: what "My rides"
    says under a trip still waiting for a car."""
    return notices.waiting_notice(
        request,
        clock.now(),
        cutoff=booking_cutoff(),
        planning_time=planning_time(),
        language=str(get_locale() or DEFAULT_LANGUAGE),
    )
