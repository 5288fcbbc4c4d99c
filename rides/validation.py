"""Collects every problem with an input before refusing it, so a form can show them all at once."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rides import clock
from rides.errors import ValidationError


@dataclass(frozen=True)
class FieldError:
    """One wrong input: which field, a stable code and an English message."""

    field: str
    code: str
    message: str
    params: dict[str, Any]
    template: str = ""


@dataclass
class Checks:
    """Accumulates field errors; ``raise_if_any`` turns them into one ValidationError."""

    errors: list[FieldError] = field(default_factory=list)

    def fail(self, field_name: str, code: str, message: str, **params: Any) -> None:
        """Record that ``field_name`` is wrong (first problem per field wins)."""
        if any(error.field == field_name for error in self.errors):
            return
        self.errors.append(
            FieldError(field_name, code, message.format(**params), params, template=message)
        )

    def has(self, field_name: str) -> bool:
        """Whether the field already failed, to skip checks that depend on it."""
        return any(error.field == field_name for error in self.errors)

    def raise_if_any(self) -> None:
        """Raise one ValidationError naming every wrong field; do nothing when all is well."""
        if not self.errors:
            return
        raise InvalidInput(self.errors)


class InvalidInput(ValidationError):
    """Several field errors at once; ``code`` is the single error's code when there is one."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        code = first.code if len(self.errors) == 1 else "invalid"
        message = "; ".join(f"{e.field}: {e.message}" for e in self.errors)
        super().__init__(message, code=code, fields={e.field: e.message for e in self.errors})
        self.template = message

    @property
    def codes(self) -> dict[str, str]:
        """Field name -> error code, for clients and tests."""
        return {e.field: e.code for e in self.errors}


#: Characters that reorder the text around them (embeddings, overrides, isolates): in a name
#: they can make "Ana" read as someone else's name on a driver's sheet. The plain marks
#: (U+200E, U+200F, U+061C) only nudge neutral characters and are allowed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Letters and symbols that draw nothing (Hangul fillers, the blank Braille pattern).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _visible(char: str) -> bool:
    """Whether a character draws something: a letter, digit, punctuation or symbol."""
    return unicodedata.category(char)[0] in "LNPS" and char not in _BLANK_LETTERS


def _forbidden(char: str, multiline: bool) -> str | None:
    """The error code for a character a text may not hold, or None when it may."""
    if char in BIDI_CONTROLS:
        return "bidi_control"
    if multiline and char == "\n":
        return None
    if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp"):
        return "control_character"
    return None


def clean_text(
    checks: Checks,
    field_name: str,
    value: str | None,
    *,
    max_length: int,
    multiline: bool = False,
) -> str | None:
    """A name or free text as stored: NFC-normalised and trimmed; None when empty or refused
    (the caller decides whether an empty value is allowed).

    Refused (recorded in ``checks`` under ``field_name``): bidi embedding, override and isolate
    controls; control characters (NUL, tab, and newline unless ``multiline``); text with no
    visible character (only spaces or zero-width characters); more than ``max_length``
    characters. Pages, the API and the commands all pass through here, so none stores what
    another refuses.
    """
    text = unicodedata.normalize("NFC", value or "")
    if multiline:
        text = text.replace("\r\n", "\n")
    for char in text:
        code = _forbidden(char, multiline)
        named = f"U+{ord(char):04X}"
        if code == "bidi_control":
            checks.fail(field_name, code, "Remove the text-direction control character {char}.",
                        char=named)  # fmt: skip
            return None
        if code is not None:
            checks.fail(field_name, code, "Remove the control character {char}.", char=named)
            return None
    text = text.strip()
    if not any(_visible(char) for char in text):
        if text:
            checks.fail(field_name, "no_visible_character", "Write at least one visible character.")
        return None
    if len(text) > max_length:
        checks.fail(field_name, "too_long", "At most {max} characters.", max=max_length)
        return None
    return text


def clean_note(field_name: str, value: str | None, *, max_length: int = 300) -> str | None:
    """A free-text note given on its own (a reason, a meeting point): cleaned as
    ``clean_text`` does, lines allowed; InvalidInput naming the field when refused."""
    checks = Checks()
    text = clean_text(checks, field_name, value, max_length=max_length, multiline=True)
    checks.raise_if_any()
    return text


def check_wall_clock(
    checks: Checks, field_name: str, time: dt.time | None, days: list[dt.date]
) -> bool:
    """Whether ``time`` is a Madrid wall-clock time that happens on each of ``days``.

    A time with a UTC offset (``10:00+05:00``) is refused rather than converted: the rider
    means the time on the clock where they wait, and silently shifting it would book the wrong
    hour. A time in the spring-forward gap (02:00-02:59 on the last Sunday of March) is
    refused naming the day. Ambiguous autumn times are accepted: ``clock.local_datetime``
    says which of the two they mean.
    """
    if time is None:
        return True
    if time.tzinfo is not None:
        checks.fail(
            field_name,
            "time_with_offset",
            "Give the local time in Spain without a UTC offset, for example 10:30.",
        )
        return False
    for day in days:
        if not clock.exists(day, time):
            checks.fail(field_name, "nonexistent_time",
                        "{time} does not exist on {date}: the clocks go forward from 02:00 to "
                        "03:00 that night.", time=time.strftime("%H:%M"), date=day)  # fmt: skip
            return False
    return True


#: Shorter passwords are refused (NIST SP 800-63B asks for at least 8; a phrase of two or three
#: words is longer than 10 and easier to remember).
MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS = Path(__file__).parent / "accounts" / "common_passwords.txt"


@functools.cache
def _common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lower case, NFC), read once."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def check_password(checks: Checks, field_name: str, password: str | None) -> None:
    """A new password: at least MIN_PASSWORD_LENGTH characters, more than spaces or one
    repeated character, and not on the list of common passwords (compared without case)."""
    if password is None:
        return
    if len(password) < MIN_PASSWORD_LENGTH:
        checks.fail(field_name, "too_short", "At least {min} characters.",
                    min=MIN_PASSWORD_LENGTH)  # fmt: skip
        return
    folded = unicodedata.normalize("NFC", password).lower()
    if not folded.strip() or len(set(folded)) == 1 or folded in _common_passwords():
        checks.fail(field_name, "common_password",
                    "This password is too easy to guess; a few words in a row are easier to "
                    "remember and harder to guess.")  # fmt: skip
