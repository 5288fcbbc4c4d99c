"""The API's blueprint class: query strings are held to their schema like JSON bodies are."""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import Request, current_app
from marshmallow import Schema
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request


class StrictParser(FlaskParser):
    """webargs ignores unknown query parameters by default; ours refuse them (422), as every
    input schema (``schemas.Strict``) says and the OpenAPI document promises."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,
        "querystring": None,
    }

    def _raw_load_json(self, req: Request) -> Any:
        """The body through the app's JSON provider (``web.bounds``: depth-limited, 422),
        not webargs' own ``json.loads``: one place parses JSON, with one set of limits."""
        if not is_json_request(req):
            return core.missing
        return current_app.json.loads(req.get_data(cache=True))


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint with the strict parser."""

    ARGUMENTS_PARSER = StrictParser()

    def arguments(self, schema: type[Schema] | Schema, *args: Any, **kwargs: Any) -> Any:
        """As flask-smorest's, with a schema class made an instance once, here: webargs would
        build a new instance of a class for every request (a measurable share of a booking)."""
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)
