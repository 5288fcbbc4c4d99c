"""Stop numbers: how the search names the pickup and the drop-off of every request.

Request i (its index in ``Problem.requests``) has two stops, its pickup ``2*i`` and its drop-off
``2*i + 1``; the start and end of shift k follow the requests' stops as ``2n + 2k`` and
``2n + 2k + 1`` (``Instance.start_stop`` and ``end_stop``). Every per-stop list of
``matching.instance.Instance`` is indexed by these numbers, and routes are lists of them.

Spell the encoding with these helpers. The few loops that run millions of times (insertion
screening, exact timing, the request map of a plan) keep the arithmetic inline, marked
``stops.py encoding``: there ``s >> 1`` is ``request_of(s)`` and ``s & 1`` is ``is_dropoff(s)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from matching.problem import StopKind


def pickup(i: int) -> int:
    """Stop number of the pickup of request i."""
    return 2 * i


def dropoff(i: int) -> int:
    """Stop number of the drop-off of request i."""
    return 2 * i + 1


def request_of(s: int) -> int:
    """Request index of stop s (pickup or drop-off)."""
    return s >> 1


def is_pickup(s: int) -> bool:
    """Whether stop s is a pickup."""
    return not s & 1


def is_dropoff(s: int) -> bool:
    """Whether stop s is a drop-off."""
    return bool(s & 1)


def kind_of(s: int) -> StopKind:
    """``"pickup"`` or ``"dropoff"``, as the solution and the locks name stops."""
    return "dropoff" if s & 1 else "pickup"


def stop_of(i: int, kind: StopKind) -> int:
    """Stop number of request i's stop of this kind."""
    return 2 * i + (kind == "dropoff")


def renumber(s: int, index: Sequence[int] | Mapping[int, int]) -> int:
    """The same kind of stop for request ``index[request_of(s)]`` (between a day and its part)."""
    return 2 * index[s >> 1] + (s & 1)


def requests_on(stops: Iterable[int]) -> list[int]:
    """Request indices of a stop list, in pickup order."""
    return [s >> 1 for s in stops if not s & 1]


def start_of(n: int, k: int) -> int:
    """Stop number of the start of shift k, after the stops of n requests."""
    return 2 * (n + k)


def end_of(n: int, k: int) -> int:
    """Stop number of the end of shift k, after the stops of n requests."""
    return 2 * (n + k) + 1


def request_stops(n: int) -> slice:
    """Slice of a per-stop list that holds the stops of the n requests (the shifts' follow)."""
    return slice(0, 2 * n)


def pickups(n: int) -> slice:
    """Slice of a per-stop list (of n requests) that holds their pickups, request by request."""
    return slice(0, 2 * n, 2)


def dropoffs(n: int) -> slice:
    """Slice of a per-stop list (of n requests) that holds their drop-offs, request by request."""
    return slice(1, 2 * n, 2)
