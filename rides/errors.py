"""Domain errors: one small hierarchy that the web layer maps to HTTP in one place.

Each error carries a stable ``code`` (for clients and translations), an English ``message``
with ``params`` to format it, and ``fields`` naming the inputs that are wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DomainError(Exception):
    """A rule of the service was broken; nothing was written."""

    code = "domain_error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: Mapping[str, str] | None = None,
        **params: Any,
    ) -> None:
        self.template = message
        self.params = params
        self.message = message.format(**params) if params else message
        if code is not None:
            self.code = code
        self.fields = dict(fields or {})
        super().__init__(self.message)


class ValidationError(DomainError):
    """The input is not acceptable (bad value, impossible combination)."""

    code = "invalid"


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    code = "not_found"


class Conflict(DomainError):
    """The request clashes with the current state (already accepted, changed meanwhile...)."""

    code = "conflict"


class PermissionDenied(DomainError):
    """The caller may not do this."""

    code = "forbidden"


class LimitReached(DomainError):
    """The caller has done this too often lately (however they came: page, token, phone)."""

    code = "too_many_requests"


class InvalidTransition(Conflict):
    """A status change that the lifecycle does not allow."""

    code = "invalid_transition"
