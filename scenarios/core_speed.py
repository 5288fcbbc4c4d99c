"""How fast the search's core runs: iterations per second on a Cordeau instance and a large day.

Seconds on a shared machine move with its load; the CPU time of this process moves much less,
so both are shown, and iterations per CPU second is the figure to compare between two versions
of the code (run each in one sitting, one after the other). The Cordeau row runs a fixed
number of iterations, so its cost must be the same in both versions (the search is
deterministic for a fixed seed and iteration count); the large day runs for a fixed time on one
core (``solve_large`` with one worker), so its iteration count is what moves.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matching
from matching.benchmarks.darp import SCALE, read_instance, to_problem
from matching.decompose import solve_large
from scenarios.scale import build_day


@dataclass(frozen=True)
class Speed:
    """One measured search: what ran, its iterations, wall and CPU seconds and outcome."""

    case: str
    iterations: int
    wall: float
    cpu: float
    outcome: str

    @property
    def per_cpu_second(self) -> float:
        """Iterations per CPU second of this process."""
        return self.iterations / self.cpu if self.cpu else 0.0


def _timed(run: Callable[[], matching.Solution]) -> tuple[matching.Solution, float, float]:
    """The solution ``run`` returns, with the wall and CPU seconds it took."""
    wall, cpu = time.monotonic(), time.process_time()
    solution = run()
    return solution, time.monotonic() - wall, time.process_time() - cpu


def cordeau(path: Path, iterations: int, seed: int = 0) -> Speed:
    """A fixed number of iterations of the search on one Cordeau instance."""
    problem = to_problem(read_instance(path))
    solution, wall, cpu = _timed(
        lambda: matching.solve(problem, time_limit=3600, seed=seed, max_iterations=iterations)
    )
    outcome = f"cost {solution.distance / SCALE:.2f}"
    return Speed(path.stem, solution.stats.iterations, wall, cpu, outcome)


def large_day(n: int, seconds: float, seed: int = 2) -> Speed:
    """The generated day of n requests, solved on one core for a fixed time."""
    problem = build_day(n, seed, dt.date(2025, 3, 12))
    solution, wall, cpu = _timed(
        lambda: solve_large(problem, time_limit=seconds, seed=seed, workers=1)
    )
    served = f"served {len(solution.served)}/{len(problem.requests)}"
    return Speed(f"day of {n:,}", solution.stats.iterations, wall, cpu, served)


def table(rows: list[Speed]) -> str:
    """The measurements as a plain-text table."""
    head = f"{'case':<14}{'iterations':>11}{'wall s':>9}{'CPU s':>9}{'it/CPU s':>10}  outcome"
    lines = [head, "-" * (len(head) + 14)]
    for r in rows:
        lines.append(
            f"{r.case:<14}{r.iterations:>11}{r.wall:>9.1f}{r.cpu:>9.1f}"
            f"{r.per_cpu_second:>10.1f}  {r.outcome}"
        )
    return "\n".join(lines)


def main() -> None:
    """Measure a8-96 (1,000 iterations) and the 1,000-request day (60 s); print the table."""
    folder = Path(os.environ.get("RURAL_CARS_DARP_DIR", "../shared/benchmarks/darp/a"))
    rows = [cordeau(folder / "a8-96.txt", 1000), large_day(1000, 60.0)]
    print(table(rows))


if __name__ == "__main__":
    main()
