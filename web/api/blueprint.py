"""The API's blueprint class: query strings are held to their schema like JSON bodies are."""

from __future__ import annotations

import flask_smorest
from webargs.flaskparser import FlaskParser


class StrictParser(FlaskParser):
    """webargs ignores unknown query parameters by default; ours refuse them (422), as every
    input schema (``schemas.Strict``) says and the OpenAPI document promises."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,
        "querystring": None,
    }


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint with the strict parser."""

    ARGUMENTS_PARSER = StrictParser()
