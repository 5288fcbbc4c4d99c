"""Third-party browser assets served by the app itself (no CDN): Leaflet from XStatic-Leaflet."""

from __future__ import annotations

from flask import Blueprint, send_from_directory
from flask.typing import ResponseReturnValue
from xstatic.pkg import leaflet

from web.login import public_page

bp = Blueprint("vendor", __name__, url_prefix="/vendor")


@bp.get("/leaflet/<path:filename>")
@public_page
def leaflet_asset(filename: str) -> ResponseReturnValue:
    """leaflet.js, leaflet.css and its marker images, cached for a day."""
    return send_from_directory(leaflet.BASE_DIR, filename, max_age=86400)
