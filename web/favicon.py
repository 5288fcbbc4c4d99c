"""The site's icon: browsers ask for /favicon.ico on every page, whatever the page links."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue

from web.login import public_page

bp = Blueprint("favicon", __name__)


@cache
def _icon(folder: str) -> bytes:
    """The icon's bytes, read once: a file handed to the server for every page would stay open
    when the browser drops the request on leaving the page (a ResourceWarning in the tests)."""
    return (Path(folder) / "favicon.svg").read_bytes()


@bp.get("/favicon.ico")
@public_page
def favicon() -> ResponseReturnValue:
    """The car pictogram as SVG (every current browser takes an SVG icon), cached for a day."""
    response = Response(_icon(current_app.static_folder or "static"), mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    response.add_etag()
    return response.make_conditional(request)
