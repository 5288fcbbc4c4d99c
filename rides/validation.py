"""Collects every problem with an input before refusing it, so a form can show them all at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
