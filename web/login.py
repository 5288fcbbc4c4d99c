"""Signing in to the pages (session cookie) and the role each page needs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user

from rides.models import Person, Role
from web.database import session

F = TypeVar("F", bound=Callable[..., Any])

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to see this page.")
# "basic": a phone changing mobile network (new address) must not sign its owner out.
login_manager.session_protection = "basic"


class SignedIn(UserMixin):
    """The signed-in person as Flask-Login sees them."""

    def __init__(self, person: Person) -> None:
        self.person = person

    def get_id(self) -> str:
        return str(self.person.id)

    @property
    def role(self) -> Role:
        return self.person.role


@login_manager.user_loader
def _load(user_id: str) -> SignedIn | None:
    try:
        person = session().get(Person, int(user_id))
    except ValueError:
        return None
    return SignedIn(person) if person is not None and person.active else None


def current_person() -> Person:
    """The signed-in person (pages decorated with ``page_requires`` only)."""
    person: Person = current_user.person
    return person


def page_requires(*roles: Role) -> Callable[[F], F]:
    """Pages for ``roles`` and coordinators: visitors go to the sign-in page, others get 403."""
    allowed = frozenset(roles) | {Role.COORDINATOR}

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper.access_roles = allowed  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def public_page(view: F) -> F:
    """Mark a page as open to anyone."""
    view.access_roles = None  # type: ignore[attr-defined]
    return view


def init_app(app: Flask) -> None:
    """Attach Flask-Login."""
    login_manager.init_app(app)
