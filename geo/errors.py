"""Errors raised by geo: each names the problem so a caller can show it as is."""

from __future__ import annotations

from collections.abc import Sequence


class GeoError(ValueError):
    """Base of every error geo raises on bad input or data."""


class UnknownMunicipalityError(GeoError, KeyError):
    """An INE code that is not one of the province's municipalities."""

    def __init__(self, ine_code: str) -> None:
        self.ine_code = ine_code
        super().__init__(f"unknown municipality INE code {ine_code!r}: not in the gazetteer")

    def __str__(self) -> str:
        """Show the message, not KeyError's quoted repr of it."""
        return str(self.args[0])


class InvalidPointError(GeoError):
    """A point whose coordinates are missing, not finite or out of range."""


class PlaceNotFound(GeoError, LookupError):
    """No place is close enough to what was typed; carries the nearest names."""

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions: tuple[str, ...] = tuple(suggestions)
        message = f"place {query!r} not found"
        if self.suggestions:
            message += f", did you mean {_or_list(self.suggestions)}?"
        super().__init__(message)


class AmbiguousPlace(GeoError, LookupError):
    """Two or more places are equally close to what was typed."""

    def __init__(self, query: str, candidates: Sequence[str]) -> None:
        self.query = query
        self.candidates: tuple[str, ...] = tuple(candidates)
        self.suggestions = self.candidates
        super().__init__(f"place {query!r} is ambiguous: it could be {_or_list(self.candidates)}")


class MatrixFileError(GeoError):
    """A precomputed travel matrix file is malformed or does not fit the places."""


class PlacesFileError(GeoError):
    """A file of extra places (named stops) is malformed."""


class RoutingEngineError(GeoError):
    """A routing engine failed or answered nonsense: names the engine, its URL and the pair.

    Attributes:
        engine: ``"osrm"`` or ``"valhalla"``.
        url: the engine's base URL.
        pair: ``(from, to)`` place keys (or ``"lat,lon"`` text) the problem is about, if one.
    """

    def __init__(
        self, engine: str, url: str, problem: str, pair: tuple[str, str] | None = None
    ) -> None:
        self.engine = engine
        self.url = url
        self.pair = pair
        where = f" for {pair[0]} -> {pair[1]}" if pair else ""
        super().__init__(f"{engine} at {url}{where}: {problem}")


class GeocoderUnavailable(GeoError):
    """A configured geocoder could not answer (timeout, refused connection, HTTP error): the
    address may well exist, so the caller says "try later", not "not found"."""


class UnroutablePairError(RoutingEngineError):
    """The engine found no road between two places (never silently taken as 0 s)."""


def _or_list(names: Sequence[str]) -> str:
    """Join names as 'A, B or C' for messages."""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]
