"""Who is calling the API (bearer tokens only, so no cookie can be ridden: no CSRF) and
what role each endpoint needs. Every view is marked ``public`` or ``requires(...)``; a test
walks the URL map to check that none is forgotten and that each refuses the wrong caller."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, request

from rides.accounts.signin import person_for_token
from rides.errors import DomainError, PermissionDenied
from rides.models import Person, Role
from web.database import session

F = TypeVar("F", bound=Callable[..., Any])


class Unauthenticated(DomainError):
    """No valid credentials: 401 with a WWW-Authenticate header."""

    code = "unauthenticated"


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def current_person() -> Person:
    """The authenticated caller (``requires`` has already checked there is one)."""
    person: Person = g.api_person
    return person


def public(view: F) -> F:
    """Mark a view as open to anyone (login, health, the OpenAPI document)."""
    view.access_roles = None  # type: ignore[attr-defined]
    return view


def requires(*roles: Role) -> Callable[[F], F]:
    """Allow the view to callers with one of ``roles`` (coordinators are always allowed)."""
    allowed = frozenset(roles) | {Role.COORDINATOR}

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            token = bearer_token()
            person = person_for_token(session(), token) if token else None
            if person is None:
                raise Unauthenticated("Sign in: send 'Authorization: Bearer <token>'.")
            if person.role not in allowed:
                raise PermissionDenied("This is not available to a {role}.", role=person.role.value)
            g.api_person = person
            return view(*args, **kwargs)

        wrapper.access_roles = allowed  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


ANYONE = (Role.NEWCOMER, Role.DRIVER, Role.COORDINATOR)
