"""The coordinators' phone on every page a newcomer or driver sees: the one number to call
when something goes wrong on the road or a ride cannot be booked on the phone's screen."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import phonenumbers
from flask import Flask, current_app


@dataclass(frozen=True)
class Phone:
    """A number as people read it and as a ``tel:`` link dials it."""

    shown: str
    tel: str


def coordinator_phone() -> Phone:
    """COORDINATOR_PHONE, written the international way, with its E.164 form for dialling."""
    return _phone(str(current_app.config["COORDINATOR_PHONE"]))


@functools.lru_cache(maxsize=4)
def _phone(text: str) -> Phone:
    """Parsed once per configured number, not on every page rendered."""
    try:
        number = phonenumbers.parse(text, "ES")
    except phonenumbers.NumberParseException:
        return Phone(text, "".join(c for c in text if c.isdigit() or c == "+"))
    return Phone(
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
    )


def shown_phone(text: str | None) -> str:
    """A stored E.164 number as people read it ("+34 612 34 56 78"), for cards and pages."""
    return _phone(text).shown if text else ""


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"coordinator_phone": coordinator_phone()})
    app.add_template_filter(shown_phone, "phone")
