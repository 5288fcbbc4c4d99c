"""Planning at province scale: our large solve against plain OR-Tools on the same days.

For each size N the same seeded day (``scenarios.demand.generate(N, N // 8, seed)``, built into a
problem by the planning rules) is solved by each method in its own child process, started with
``spawn`` so that its peak memory is its own. A method's record holds the solve seconds, peak
resident memory (for ours with worker processes: the parent plus ``workers`` times the largest
worker, an upper bound of what they held together), the share of all requests served (the same
denominator for both methods, requests nobody could serve included), kilometres, kilometres
per served request, and whether ``matching.validate`` accepts the plan.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import queue
import resource
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

import matching
from matching.decompose import solve_large
from matching.ortools_model import BASELINE_FIRST_SOLUTION

Method = Literal["ours", "ortools"]
METHODS: tuple[Method, ...] = ("ours", "ortools")
DEFAULT_SIZES: tuple[int, ...] = (50, 200, 500, 1000, 2000, 5000)
#: A fixed weekday, so a run can be repeated to the byte whatever the calendar says.
DEFAULT_DATE = dt.date(2025, 3, 12)
#: Seed 2 builds at every default size (see docs/benchmarks-scale.md for the others).
DEFAULT_SEED = 2
#: Sizes up to this use one core for ours (the 1,000-request target is on one core).
ONE_CORE_UP_TO = 1000

#: Called with (n, method, elapsed seconds, best objective or None, served, phase).
Listener = Callable[[int, str, float, int | None, int, str], None]


@dataclass(frozen=True)
class Record:
    """One method on one day: the JSON record of ``--json``."""

    n: int
    method: str
    seconds: float | None
    peak_mb: float | None
    served_pct: float | None
    km: float | None
    valid: bool
    drivers: int
    served: int | None
    km_per_served: float | None
    workers: int
    time_limit: float
    seed: int
    servable_pct: float | None
    error: str | None = None
    #: OR-Tools' first-solution strategy (None for ours, and in records written before it).
    first_solution: str | None = None
    #: Riders served by a driver who speaks one of their languages (None before it was kept).
    language_matches: int | None = None
    #: The day's reward per such rider, in metres (None before it was kept). Both methods weigh
    #: it (OR-Tools' model only up to 500 requests in records before issue 20's ninth stop).
    language_bonus: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON object."""
        return asdict(self)


@dataclass(frozen=True)
class Job:
    """What a child process solves."""

    n: int
    method: Method
    time_limit: float
    seed: int
    date: dt.date
    workers: int
    first_solution: str = BASELINE_FIRST_SOLUTION
    #: Reward per rider in their own language for this run (None: the generated day's).
    language_bonus: int | None = None


def build_day(n: int, seed: int, date: dt.date) -> matching.Problem:
    """The generated day of n requests and n // 8 drivers as a solver problem."""
    from scenarios.as_problem import scenario_problem
    from scenarios.demand import generate

    scenario = generate(n, n // 8, seed, date=date)
    return scenario_problem(scenario).problem


def _peak_mb(workers: int) -> float:
    """Peak resident memory of this process, plus its worker processes if it had any."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    total = own + (workers * children if workers > 1 else 0)
    return round(total / 1024, 1)  # Linux reports kilobytes


def solve_job(job: Job, report: Callable[[tuple[Any, ...]], None]) -> Record:
    """Build the day, solve it with the job's method, check it, and measure it."""
    problem = build_day(job.n, job.seed, job.date)
    if job.language_bonus is not None:
        weights = replace(problem.weights, language_bonus=job.language_bonus)
        problem = replace(problem, weights=weights)
    drivers = len(problem.shifts)
    # The service compiles (or loads) the solver's kernels once at start (``warm_up``); each
    # job is a fresh process, which without this paid the load (about 1 s) in its time
    # limit, and the first job after an install the whole compile (about 10 s).
    matching.warm_up()
    started = time.monotonic()
    if job.method == "ours":

        def progress(elapsed: float, objective: int, served: int, phase: str) -> None:
            report(("progress", elapsed, objective, served, phase))

        solution = solve_large(
            problem,
            time_limit=job.time_limit,
            seed=job.seed,
            workers=job.workers,
            progress=progress,
        )
    else:
        report(("progress", 0.0, None, 0, "ortools"))
        solution = matching.solve(
            problem,
            method="ortools",
            first_solution=job.first_solution,
            metaheuristic="GUIDED_LOCAL_SEARCH",
            time_limit=job.time_limit,
            seed=job.seed,
        )
    seconds = time.monotonic() - started
    violations = matching.validate(problem, solution)
    served = len(solution.served)
    total = max(1, len(problem.requests))
    servable = sum(1 for u in solution.unassigned if not u.reason.infeasible_alone)
    return Record(
        n=job.n,
        method=job.method,
        seconds=round(seconds, 1),
        peak_mb=_peak_mb(job.workers if job.method == "ours" else 1),
        served_pct=round(100 * served / total, 1),
        km=round(solution.distance / 1000, 1),
        valid=not violations,
        drivers=drivers,
        served=served,
        km_per_served=round(solution.distance / 1000 / served, 2) if served else None,
        workers=job.workers if job.method == "ours" else 1,
        time_limit=job.time_limit,
        seed=job.seed,
        servable_pct=round(100 * (served + servable) / total, 1),
        error=None if not violations else f"{len(violations)} violations: {violations[0]}",
        first_solution=job.first_solution if job.method == "ortools" else None,
        language_matches=language_matches(problem, solution),
        language_bonus=problem.weights.language_bonus,
    )


def language_matches(problem: matching.Problem, solution: matching.Solution) -> int:
    """Riders whose driver speaks one of their languages: what the day's language bonus buys,
    shown next to the distance it costs."""
    requests = {r.id: r for r in problem.requests}
    shifts = {s.id: s for s in problem.shifts}
    return sum(
        1
        for route in solution.routes
        for rid in route.requests
        if requests[rid].languages & shifts[route.shift].languages
    )


def _child(job: Job, out: Any) -> None:
    """Child process body: solve and send the record (or the error) back."""
    try:
        out.put(("record", solve_job(job, out.put).to_json()))
    except Exception as exc:
        out.put(("error", f"{type(exc).__name__}: {exc}"))


def _failed(job: Job, error: str) -> Record:
    """Record of a method that produced no plan."""
    workers = job.workers if job.method == "ours" else 1
    return Record(job.n, job.method, None, None, None, None, False, job.n // 8, None, None,
                  workers, job.time_limit, job.seed, None, error)  # fmt: skip


def run_job(job: Job, listener: Listener | None = None, timeout: float | None = None) -> Record:
    """Solve one job in a spawned child process; its progress goes to ``listener``."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    child = context.Process(target=_child, args=(job, out), daemon=False)
    started = time.monotonic()
    child.start()
    limit = timeout if timeout is not None else 5 * job.time_limit + 300
    result: Record | None = None
    best: int | None = None
    served = 0
    phase = "start"
    try:
        while result is None:
            elapsed = time.monotonic() - started
            if elapsed > limit:
                result = _failed(job, f"timed out after {limit:.0f} s")
                break
            try:
                message = out.get(timeout=0.5)
            except queue.Empty:
                if not child.is_alive() and out.empty():
                    result = _failed(job, f"child exited with code {child.exitcode}")
                    break
                if listener is not None:
                    listener(job.n, job.method, elapsed, best, served, phase)
                continue
            kind = message[0]
            if kind == "progress":
                _, _, objective, served, phase = message
                best = objective if objective is not None else best
                if listener is not None:
                    listener(job.n, job.method, elapsed, best, served, phase)
            elif kind == "record":
                result = Record(**message[1])
            else:
                result = _failed(job, str(message[1]))
    finally:
        if child.is_alive():
            child.join(timeout=10)
        if child.is_alive():
            child.terminate()
            child.join()
    return result


def workers_for(n: int, workers: int | None) -> int:
    """Worker processes for ours: as asked, else one core up to 1,000 requests, then two."""
    if workers is not None:
        return workers
    return 1 if n <= ONE_CORE_UP_TO else 2


def run(
    sizes: Sequence[int] = DEFAULT_SIZES,
    *,
    time_limit: float = 60.0,
    seed: int = DEFAULT_SEED,
    date: dt.date = DEFAULT_DATE,
    workers: int | None = None,
    methods: Sequence[Method] = METHODS,
    listener: Listener | None = None,
    on_record: Callable[[Record], None] | None = None,
    first_solution: str = BASELINE_FIRST_SOLUTION,
    language_bonus: int | None = None,
) -> list[Record]:
    """Solve each size with each method, one child process at a time; return the records.

    ``first_solution`` is OR-Tools' first-solution strategy (the baseline's by default; on a
    loaded machine only ``LOCAL_CHEAPEST_INSERTION`` finishes inside the limit).
    ``language_bonus`` replaces the day's reward per rider in their own language (0: both
    methods plan on distance alone)."""
    records = []
    for n in sizes:
        for method in methods:
            job = Job(n, method, time_limit, seed, date, workers_for(n, workers), first_solution,
                      language_bonus)  # fmt: skip
            record = run_job(job, listener)
            records.append(record)
            if on_record is not None:
                on_record(record)
    return records


def write_json(records: Sequence[Record], path: Path) -> None:
    """Write the records as a JSON list."""
    path.write_text(json.dumps([r.to_json() for r in records], indent=2) + "\n", encoding="utf-8")


def cell(value: object, digits: int = 1) -> str:
    """A table cell: numbers rounded, missing values as a dash."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def _share(part: int | None, whole: int | None) -> float | None:
    """Percentage, or None if either count is missing or the whole is 0."""
    return None if part is None or not whole else round(100 * part / whole, 1)


def table(records: Sequence[Record]) -> str:
    """A Markdown table of the records (pipes, so it pastes into the docs)."""
    head = ("N", "drivers", "method", "workers", "seconds", "peak MB", "served %", "km",
            "km/served", "own language %", "valid")  # fmt: skip
    rows = [
        (
            str(r.n),
            str(r.drivers),
            r.method,
            str(r.workers),
            cell(r.seconds),
            cell(r.peak_mb, 0),
            cell(r.served_pct),
            cell(r.km, 0),
            cell(r.km_per_served, 2),
            cell(_share(r.language_matches, r.served)),
            cell(r.valid),
        )
        for r in records
    ]
    widths = [max(len(h), *(len(row[c]) for row in rows)) if rows else len(h)
              for c, h in enumerate(head)]  # fmt: skip
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += [
        "| " + " | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    return "\n".join(lines)


def read_json(path: Path) -> list[Record]:
    """Records written by ``write_json``."""
    return [Record(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


def plot(records: Sequence[Record], path: Path) -> None:
    """Served % and km per served request against N, one line per method (matplotlib PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (served_axis, km_axis) = plt.subplots(1, 2, figsize=(10, 4), dpi=110)
    for method, marker in (("ours", "o"), ("ortools", "s")):
        rows = sorted((r for r in records if r.method == method), key=lambda r: r.n)
        sizes = [r.n for r in rows]
        served_axis.plot(sizes, [r.served_pct if r.served_pct is not None else float("nan")
                                 for r in rows], marker=marker, label=method)  # fmt: skip
        km_axis.plot(sizes, [r.km_per_served if r.km_per_served is not None else float("nan")
                             for r in rows], marker=marker, label=method)  # fmt: skip
    for axis, title in ((served_axis, "served % of all requests"),
                        (km_axis, "km per served request")):  # fmt: skip
        axis.set_xscale("log")
        axis.set_xlabel("requests (drivers = N / 8)")
        axis.set_title(title)
        axis.grid(True, alpha=0.3)
        axis.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
