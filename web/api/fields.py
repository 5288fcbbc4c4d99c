"""Input fields that never let a value through that the database could choke on."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

MAX_INT = 2**31 - 1


def ident(*, strict: bool = True, **kwargs: Any) -> fields.Integer:
    """A database id: a positive 32-bit integer, so PostgreSQL never overflows.

    Strict in JSON bodies (``"1"`` is refused); query strings are text, so not there.
    """
    return fields.Integer(strict=strict, validate=validate.Range(1, MAX_INT), **kwargs)


def count(low: int = -1000, high: int = 1000, **kwargs: Any) -> fields.Integer:
    """A small integer; the service judges its meaning (e.g. "at least one adult")."""
    return fields.Integer(strict=True, validate=validate.Range(low, high), **kwargs)


#: Printable text: no control characters (PostgreSQL refuses NUL), no lone surrogates.
PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]*$"


class Text(fields.String):
    """A string of bounded length and printable characters; both are in the OpenAPI document."""

    def __init__(self, max_length: int, *, min_length: int | None = None, **kwargs: Any) -> None:
        rules = [
            validate.Length(min=min_length, max=max_length),
            validate.Regexp(PRINTABLE, error="Control characters are not allowed."),
        ]
        super().__init__(validate=rules, **kwargs)
