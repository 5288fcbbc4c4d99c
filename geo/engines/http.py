"""What the routing-engine clients share: one chunk's answer, the engine interface, HTTP.

:class:`HttpEngine` holds the httpx client, the retries with exponential backoff (timeouts,
connection errors, HTTP 429 and 5xx; a 4xx is the request's fault and is reported at once)
and the naming of errors; :mod:`geo.engines.osrm` and :mod:`geo.engines.valhalla` add each
engine's request and response format.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

import httpx
import numpy as np

from geo.errors import RoutingEngineError
from geo.points import Place

log = logging.getLogger(__name__)

#: Seconds to wait for one answer; a 100 x 100 table takes well under a second on a province.
DEFAULT_TIMEOUT_S = 60.0
#: Retries after the first attempt, on timeouts, connection errors, 429 and 5xx.
DEFAULT_RETRIES = 3
#: First wait between attempts, doubled each time.
DEFAULT_BACKOFF_S = 1.0

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class EngineTable:
    """An engine's answer for sources x destinations: float seconds and metres, NaN = no road.

    Attributes:
        time_s: S x D driving times in seconds.
        distance_m: S x D road distances in metres.
    """

    time_s: np.ndarray
    distance_m: np.ndarray

    @property
    def unroutable(self) -> np.ndarray:
        """Boolean mask of the pairs the engine found no road for."""
        return ~(np.isfinite(self.time_s) & np.isfinite(self.distance_m))


@runtime_checkable
class MatrixEngine(Protocol):
    """A routing engine that answers one chunk of a travel-time matrix per call."""

    @property
    def name(self) -> str:
        """The engine's name, e.g. ``"osrm"``, for messages and provenance."""
        ...

    @property
    def url(self) -> str:
        """Its base URL."""
        ...

    @property
    def profile(self) -> str:
        """The profile or costing asked for (``"driving"``, ``"auto"``)."""
        ...

    @property
    def chunk_size(self) -> int:
        """The most sources and the most destinations one request may carry."""
        ...

    def table(self, sources: Sequence[Place], destinations: Sequence[Place]) -> EngineTable:
        """Return times and distances from each source to each destination (one request)."""
        ...


def chunk_span(places: Sequence[Place]) -> str:
    """Name a chunk's places in a message: one key, or the first and last."""
    if len(places) == 1:
        return places[0].key
    return f"{places[0].key}..{places[-1].key} ({len(places)} places)"


def _excerpt(response: httpx.Response) -> str:
    """Return the start of a response body for an error message."""
    text = " ".join(response.text.split())
    return text[:200] + ("..." if len(text) > 200 else "")


class HttpEngine:
    """What both engines share: the HTTP client, retries with backoff and error naming."""

    name: ClassVar[str] = ""
    default_profile: ClassVar[str] = ""
    default_chunk_size: ClassVar[int] = 50

    def __init__(
        self,
        url: str,
        *,
        profile: str | None = None,
        chunk_size: int | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        retries: int = DEFAULT_RETRIES,
        backoff_s: float = DEFAULT_BACKOFF_S,
    ) -> None:
        """Check the settings and open a connection pool (closed by :meth:`close`).

        Args:
            url: the engine's base URL, e.g. ``http://localhost:5000``.
            profile: OSRM profile / Valhalla costing; the engine's car profile by default.
            chunk_size: most sources and most destinations per request (the engine's limit).
            timeout_s: seconds to wait for an answer before trying again.
            retries: attempts after the first, on timeouts, connection errors, 429 and 5xx.
            backoff_s: wait before the first retry, doubled before each next one.

        Raises:
            ValueError: a setting is out of range or the URL is not http(s).
        """
        if not re.match(r"^https?://[^/\s]+", url):
            raise ValueError(f"{self.name} URL must start with http:// or https://, got {url!r}")
        self.url = url.rstrip("/")
        self.profile = profile or self.default_profile
        self.chunk_size = self.default_chunk_size if chunk_size is None else chunk_size
        if self.chunk_size < 1 or retries < 0 or not timeout_s > 0 or backoff_s < 0:
            raise ValueError(
                f"chunk_size must be >= 1, retries >= 0, timeout_s > 0 and backoff_s >= 0; got "
                f"{self.chunk_size}, {retries}, {timeout_s} and {backoff_s}"
            )
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s
        self.requests = 0
        self._client = httpx.Client(timeout=timeout_s, headers={"User-Agent": "rural-cars"})

    def __repr__(self) -> str:
        """Show the engine and where it is."""
        return f"{type(self).__name__}({self.url!r}, profile={self.profile!r})"

    def __enter__(self) -> HttpEngine:
        """Use the engine in a ``with`` block that closes its connections."""
        return self

    def __exit__(self, *_: object) -> None:
        """Close the connections."""
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def table(self, sources: Sequence[Place], destinations: Sequence[Place]) -> EngineTable:
        """Return times and distances from each source to each destination (one request)."""
        raise NotImplementedError

    def error(self, problem: str, pair: tuple[str, str] | None = None) -> RoutingEngineError:
        """Build the error naming this engine, its URL and the pair."""
        return RoutingEngineError(self.name, self.url, problem, pair)

    def send(self, request: httpx.Request, pair: tuple[str, str]) -> httpx.Response:
        """Send a request, retrying on timeouts, connection errors, 429 and 5xx.

        Returns:
            The first response that is not a 429 or 5xx (a 4xx is returned for the engine
            to read its error body).

        Raises:
            RoutingEngineError: every attempt failed; names the last failure.
        """
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
            self.requests += 1
            try:
                response = self._client.send(request)
            except httpx.TimeoutException:
                problem = f"no answer within {self.timeout_s:g} s"
            except httpx.TransportError as error:
                problem = f"connection failed ({type(error).__name__}: {error})"
            else:
                if response.status_code != 429 and response.status_code < 500:
                    return response
                problem = f"HTTP {response.status_code}: {_excerpt(response)}"
            log.warning("%s at %s, attempt %d: %s", self.name, self.url, attempt + 1, problem)
        raise self.error(f"{problem} (after {self.retries + 1} attempts)", pair)

    def json_of(self, response: httpx.Response, pair: tuple[str, str]) -> dict[str, Any]:
        """Read a JSON object body, or name the answer that is not one."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise self.error(
                f"HTTP {response.status_code} answer is not a JSON object: {_excerpt(response)}",
                pair,
            )
        return body

    def matrix_of(
        self,
        rows: object,
        shape: tuple[int, int],
        what: str,
        pair: tuple[str, str],
        scale: float = 1.0,
    ) -> np.ndarray:
        """Read a row-major list of lists of numbers or nulls (NaN) of the expected shape."""
        if (
            not isinstance(rows, list)
            or len(rows) != shape[0]
            or any(not isinstance(row, list) or len(row) != shape[1] for row in rows)
        ):
            raise self.error(f"answer's {what} is not a {shape[0]} x {shape[1]} table", pair)
        try:
            values = np.array(
                [[math.nan if v is None else float(v) * scale for v in row] for row in rows],
                dtype=np.float64,
            ).reshape(shape)
        except (TypeError, ValueError):
            raise self.error(f"answer's {what} holds something other than numbers", pair) from None
        if (values < 0).any() or np.isinf(values).any():
            raise self.error(f"answer's {what} holds negative or infinite values", pair)
        return values
