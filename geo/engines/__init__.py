"""Road times from a routing engine: OSRM's ``/table`` and Valhalla's ``/sources_to_targets``.

Both engines sit behind one small interface, :class:`MatrixEngine`: ``table(sources,
destinations)`` sends ONE request of at most ``chunk_size`` x ``chunk_size`` places and
answers seconds and metres, NaN where the engine found no road. Everything else is shared:
:func:`engine_matrix` splits a matrix of any size into such requests and assembles them,
:func:`fill_unroutable` applies the one policy for pairs without a road, and
:class:`RoutingEngineProvider` makes an engine a :class:`geo.TravelTimeProvider`.

Unroutable pairs (an island, a place snapped onto a private road) are never taken as 0 s,
which would make the solver send a car there for free. The policy is: fail, naming the
engine, URL and pair, unless the caller gives a fallback provider (the CLI's
``--allow-unroutable``); then those pairs take the fallback's times (the travel model) and the
pairs are reported: listed in the matrix file's provenance, or logged by the live provider.

Requests are retried with exponential backoff on timeouts, connection errors, HTTP 429 and
5xx; a 4xx is the request's fault and is reported at once. HTTP is httpx's.

The response formats are the engines' documented ones:

* OSRM: https://github.com/Project-OSRM/osrm-backend/blob/master/docs/http.md#table-service
  (``code``, ``durations`` in s, ``distances`` in m, ``null`` where no route; errors as
  ``{"code": ..., "message": ...}`` with HTTP 400). osrm-routed refuses tables of more than
  ``--max-table-size`` squared cells (100 x 100 by default): hence the chunk size.
* Valhalla: https://valhalla.github.io/valhalla/api/matrix/api-reference/ (row-ordered
  ``sources_to_targets`` of ``{from_index, to_index, time, distance}``, time in s,
  distance in ``units``, kilometres by default, ``null`` where no route; errors as
  ``{"error_code", "error", "status_code", "status"}``; error 442 when no pair of the request
  has a route). Its ``max_matrix_location_pairs`` is 2,500 by default: hence 50 x 50.
"""

from __future__ import annotations

from geo.engines.http import (
    DEFAULT_BACKOFF_S,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT_S,
    HttpEngine,
)
from geo.engines.osrm import OsrmEngine
from geo.engines.valhalla import ValhallaEngine

#: What ``rural-cars geo matrix --engine`` accepts.
ENGINES = ("osrm", "valhalla")


def make_engine(
    engine: str,
    url: str,
    *,
    profile: str | None = None,
    chunk_size: int | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    retries: int = DEFAULT_RETRIES,
    backoff_s: float = DEFAULT_BACKOFF_S,
) -> HttpEngine:
    """Return the client for an engine by name (what the CLI and the settings give).

    Args:
        engine: ``"osrm"`` or ``"valhalla"``.
        url: the engine's base URL.
        profile: OSRM profile / Valhalla costing (``driving`` / ``auto`` by default).
        chunk_size: most sources and destinations per request (100 OSRM, 50 Valhalla).
        timeout_s: seconds to wait for one answer.
        retries: attempts after the first on timeouts, connection errors, 429 and 5xx.
        backoff_s: first wait between attempts, doubled each time.

    Returns:
        An :class:`OsrmEngine` or :class:`ValhallaEngine`; close it when done.

    Raises:
        ValueError: an unknown engine name or a setting out of range.
    """
    kinds: dict[str, type[HttpEngine]] = {"osrm": OsrmEngine, "valhalla": ValhallaEngine}
    if engine not in kinds:
        raise ValueError(f"unknown routing engine {engine!r}; use one of {', '.join(ENGINES)}")
    return kinds[engine](
        url,
        profile=profile,
        chunk_size=chunk_size,
        timeout_s=timeout_s,
        retries=retries,
        backoff_s=backoff_s,
    )
