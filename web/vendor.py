"""Third-party browser assets served by the app itself (no CDN): Leaflet from XStatic-Leaflet,
and the IGN municipal boundaries the coordinator's map draws the province with."""

from __future__ import annotations

from flask import Blueprint, send_from_directory
from flask.typing import ResponseReturnValue
from xstatic.pkg import leaflet

from geo import boundaries_file
from web.login import public_page

bp = Blueprint("vendor", __name__, url_prefix="/vendor")


@bp.get("/leaflet/<path:filename>")
@public_page
def leaflet_asset(filename: str) -> ResponseReturnValue:
    """leaflet.js, leaflet.css and its marker images, cached for a day."""
    return send_from_directory(leaflet.BASE_DIR, filename, max_age=86400)


@bp.get("/municipality-boundaries.geojson")
@public_page
def municipality_boundaries() -> ResponseReturnValue:
    """The province's 288 municipal outlines (public data, no one's details), cached for a
    day and revalidated by ETag: the map's background when no tile server is configured."""
    path = boundaries_file()
    return send_from_directory(
        path.parent, path.name, mimetype="application/geo+json", max_age=86400
    )
