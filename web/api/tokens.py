"""Signing in and out of the API."""

from __future__ import annotations

from typing import Any

from rides.accounts import signin
from web.api import schemas
from web.api.auth import ANYONE, Unauthenticated, bearer_token, current_person, public, requires
from web.api.blueprint import Blueprint
from web.database import session
from web.limits import limited, sign_in_limits

bp = Blueprint("tokens", __name__, url_prefix="/api/v1", description="Sign in and out")


@bp.post("/tokens")
@public
@limited(sign_in_limits)
@bp.arguments(schemas.LoginIn)
@bp.response(201, schemas.TokenOut)
def sign_in(args: dict[str, Any]) -> dict[str, Any]:
    """Exchange e-mail and password for a bearer token (shown once)."""
    person = signin.authenticate(session(), args["email"], args["password"])
    if person is None:
        raise Unauthenticated("Wrong e-mail or password.", code="bad_credentials")
    secret, token = signin.issue_token(session(), person, args["name"])
    return {"token": secret, "expires_at": token.expires_at, "person": person}


@bp.delete("/tokens/current")
@requires(*ANYONE)
@bp.response(204)
def sign_out() -> None:
    """Revoke the token this request was made with."""
    signin.revoke_token(session(), bearer_token() or "")


@bp.get("/me")
@requires(*ANYONE)
@bp.response(200, schemas.PersonOut)
def me() -> Any:
    """The signed-in account."""
    return current_person()
