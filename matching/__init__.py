"""Dial-a-ride matching of volunteer drivers and riders: pure data in, routes out.

Knows nothing of the web, the database or the gazetteer: it takes integer seconds and metres.
"""

from matching.decompose import solve_large
from matching.fitting import Fit, fits, time_locked
from matching.problem import LockedRoute, Problem, Request, Shift, Weights
from matching.reasons import Reason
from matching.solution import Route, Solution, SolveStats, Stop, Unassigned
from matching.solver import solve
from matching.validate import Violation, validate
from matching.warm import warm_up

__all__ = [
    "Fit",
    "LockedRoute",
    "Problem",
    "Reason",
    "Request",
    "Route",
    "Shift",
    "Solution",
    "SolveStats",
    "Stop",
    "Unassigned",
    "Violation",
    "Weights",
    "fits",
    "solve",
    "solve_large",
    "time_locked",
    "validate",
    "warm_up",
]
