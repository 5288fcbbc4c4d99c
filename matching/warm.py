"""Compiling the solver's kernels before the first plan anyone waits for.

numba compiles a kernel once for each combination of argument types, and an array's type says
whether it is read-only: the problem's matrices are, and some of a route's arrays are, depending
on how the route was built. A call of each kernel on writable toy arrays of its own therefore
compiled versions the solver never used, and the first real plan compiled its own: with an
empty cache, a 5 s plan of 200 requests took 7.7 s right after that warm-up.

So the warm-up plans a tiny day through the solver's own code (the LNS of ``solve``, whose
routes and insertions are those of ``solve_large`` too), and each kernel is compiled, or loaded
from numba's cache, with exactly the types real plans use: after it, plans of 30, 200 and 1,000
requests by ``solve_large`` compiled nothing more.
"""

from __future__ import annotations

from matching.problem import Problem, Request, Shift
from matching.solver import solve

#: Six villages on a road, 10 km and 10 minutes apart.
_VILLAGES = 6
_LEG_M, _LEG_S = 10_000, 600
_HOUR = 3_600


def _toy_day() -> Problem:
    """A day of three cars and fourteen trips, two linked pairs among them, eight of them at
    nine: enough for the search's removals, repairs and tail swaps to run."""
    span = range(_VILLAGES)
    distances = [[abs(a - b) * _LEG_M for b in span] for a in span]
    durations = [[abs(a - b) * _LEG_S for b in span] for a in span]
    shifts = tuple(
        Shift(
            id=k,
            start=home,
            end=home,
            window=(8 * _HOUR, 14 * _HOUR),
            capacity=(2,),
            max_duration=5 * _HOUR,
            languages=frozenset(languages),
        )
        for k, (home, languages) in enumerate(((0, {"es"}), (5, {"es", "ar"}), (2, {"es"})))
    )
    requests = []
    for i in range(14):
        origin, destination = i % _VILLAGES, (i * 5 + 3) % _VILLAGES
        if origin == destination:
            destination = (destination + 1) % _VILLAGES
        start = 9 * _HOUR if i < 8 else (9 + i % 4) * _HOUR
        requests.append(
            Request(
                id=i,
                pickup=origin,
                dropoff=destination,
                pickup_window=(start, start + _HOUR),
                dropoff_window=(start, start + 2 * _HOUR),
                max_ride_time=_HOUR,
                load=(1,),
                priority=1 + i % 3,
                linked=(i ^ 1) if i >= 10 else None,
                languages=frozenset({"ar"} if i % 2 else {"es"}),
            )
        )
    return Problem(tuple(requests), shifts, durations, distances)


def warm_up() -> None:
    """Compile the solver's kernels (or load them from numba's cache) by planning a toy day.

    The first call in a fresh install takes seconds to tens of seconds; a long-running process
    calls this at start, in a thread, so that the first plan people ask for does not wait. Later
    processes load the compiled code from the cache in about a second.
    """
    # Bounded by the iterations, not the time: on a slow machine compiling alone can take a
    # minute, and a search cut short by its time limit would leave the later kernels cold.
    solve(_toy_day(), time_limit=600.0, max_iterations=40)
