"""Bounded requests: how much a request may send and how deeply its JSON may nest.

The body size is Flask's MAX_CONTENT_LENGTH (413 before anything is parsed). The depth is
checked in the app's JSON provider, the one function every JSON body goes through (the API's
parser, the rate limiter's account key, ``request.get_json``), before the standard parser
runs: a body nested 50,000 levels deep would otherwise be a ``RecursionError`` (a 500).
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider

from rides.errors import ValidationError

#: A JSON string, escapes included (an unterminated one runs to the end): brackets inside
#: strings do not nest anything.
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"?', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether ``text`` opens more than ``limit`` arrays/objects inside each other.

    No recursion however deep the input, and every step in C (regular expressions, then a
    running sum of +1/-1 per bracket), so a 1 MB body full of brackets costs milliseconds;
    with no more opening brackets than ``limit`` in the whole text it costs nothing.
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing bodies nested deeper than the app's MAX_JSON_DEPTH (422)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse ``s`` after checking its depth."""
        limit = int(self._app.config["MAX_JSON_DEPTH"])
        # The encoding json.loads itself will use: a UTF-16 body must not slip past.
        text = s.decode(json.detect_encoding(s), errors="replace") if isinstance(s, bytes) else s
        if json_depth_exceeds(text, limit):
            error = ValidationError(
                "The JSON body is nested more than {limit} levels deep.",
                code="too_deep",
                limit=limit,
            )
            error.fields = {"body": error.message}
            raise error
        return super().loads(s, **kwargs)


def init_app(app: Flask) -> None:
    """Use the bounded JSON provider; refuse a declared body over MAX_CONTENT_LENGTH before
    anything else runs (Flask alone would refuse it only when something reads the body, and
    a body sent in chunks, with no length declared, is cut off there)."""
    provider = BoundedJSONProvider(app)
    provider.sort_keys = app.json.sort_keys  # type: ignore[attr-defined]
    app.json = provider

    @app.before_request
    def _size() -> None:
        limit = app.config["MAX_CONTENT_LENGTH"]
        if limit and (request.content_length or 0) > int(limit):
            abort(413)
