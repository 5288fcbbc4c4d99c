"""Open data for journey planners: the GTFS-Flex feed of the service."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app
from flask.typing import ResponseReturnValue

from rides.reporting.gtfs_flex import FeedSettings, feed_zip, served_places
from web.config import booking_cutoff
from web.database import session
from web.login import public_page

bp = Blueprint("feeds", __name__)


def feed_settings(app: Flask) -> FeedSettings:
    """The feed's operator details and booking rule from the app's configuration."""
    config = app.config
    return FeedSettings(
        agency_name=str(config["AGENCY_NAME"]),
        agency_url=str(config["PUBLIC_URL"]),
        phone=str(config["COORDINATOR_PHONE"]),
        cutoff=booking_cutoff(app),
    )


@bp.get("/gtfs-flex.zip")
@public_page
def gtfs_flex() -> ResponseReturnValue:
    """The feed (no personal data in it), for trip planners to fetch."""
    data = feed_zip(served_places(session()), feed_settings(current_app))
    disposition = 'attachment; filename="gtfs-flex.zip"'
    return Response(data, mimetype="application/zip", headers={"Content-Disposition": disposition})
