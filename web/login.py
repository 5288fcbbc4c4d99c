"""Signing in to the pages (session cookie) and the role each page needs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort
from flask import session as cookie
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

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


#: The session cookie's copy of the account's session version (absent counts as 0).
VERSION_KEY = "_session_version"


@login_manager.user_loader
def _load(user_id: str) -> SignedIn | None:
    """The cookie's person, if active and the cookie is as new as their last sign-out or
    password change."""
    try:
        person = session().get(Person, int(user_id))
    except ValueError:
        return None
    if person is None or not person.active:
        return None
    if cookie.get(VERSION_KEY, 0) != person.session_version:
        return None
    return SignedIn(person)


def start_session(person: Person) -> None:
    """Sign ``person`` in to the pages, the cookie carrying their current session version."""
    login_user(SignedIn(person))
    cookie[VERSION_KEY] = person.session_version


def end_session() -> None:
    """Forget the signed-in person in this browser (the version bump is the service's)."""
    logout_user()
    cookie.pop(VERSION_KEY, None)


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
