"""The site's icon: browsers ask for /favicon.ico on every page, whatever the page links."""

from __future__ import annotations

from flask import Blueprint, current_app, send_from_directory
from flask.typing import ResponseReturnValue

from web.login import public_page

bp = Blueprint("favicon", __name__)


@bp.get("/favicon.ico")
@public_page
def favicon() -> ResponseReturnValue:
    """The car pictogram as SVG (every current browser takes an SVG icon), cached for a day."""
    return send_from_directory(current_app.static_folder or "static", "favicon.svg",
                               mimetype="image/svg+xml", max_age=86400)  # fmt: skip
