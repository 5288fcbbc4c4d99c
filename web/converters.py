"""URL converters: an id in a path is a database id, so PostgreSQL never sees one it cannot hold."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

from web.api.fields import MAX_INT


class DatabaseId(IntegerConverter):
    """``<int:...>`` up to 2**31 - 1: a larger id matches no route (404) instead of reaching
    an INTEGER column on PostgreSQL ("integer out of range", a 500)."""

    def __init__(
        self,
        url_map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = MAX_INT,
        signed: bool = False,
    ) -> None:
        super().__init__(url_map, fixed_digits, min, max, signed)


def openapi_schema(converter: DatabaseId) -> dict[str, Any]:
    """How the OpenAPI document describes such a path parameter."""
    return {"type": "integer", "minimum": max(converter.min or 0, 0), "maximum": converter.max}
