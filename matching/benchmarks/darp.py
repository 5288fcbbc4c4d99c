"""Cordeau DARP benchmark: read instances, solve them, check in full precision, tabulate.

Instances use Euclidean travel times and costs as unrounded doubles. The solver works in
integers: times are scaled and rounded up (so any integer schedule is feasible in real numbers)
and costs are scaled and rounded; cost and feasibility are then recomputed here in floating
point with an exact simple-temporal-network check (Bellman-Ford), independent of the solver.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from matching.problem import Problem, Request, Shift, Weights

#: Fixed-point scale of times and costs handed to the solver.
SCALE = 100_000
#: Tolerance of the floating-point feasibility check.
EPS = 1e-6


@dataclass(frozen=True)
class DarpInstance:
    """One Cordeau instance as read from its file (node 0 and 2n+1 are the depots)."""

    name: str
    vehicles: int
    requests: int
    max_duration: float
    capacity: int
    max_ride: float
    x: tuple[float, ...]
    y: tuple[float, ...]
    service: tuple[float, ...]
    load: tuple[int, ...]
    early: tuple[float, ...]
    late: tuple[float, ...]

    def travel(self, a: int, b: int) -> float:
        """Euclidean distance = travel time between nodes a and b."""
        return math.hypot(self.x[a] - self.x[b], self.y[a] - self.y[b])


def read_instance(path: Path) -> DarpInstance:
    """Parse a Cordeau instance file."""
    lines = [line.split() for line in path.read_text().splitlines() if line.strip()]
    m, n, horizon, capacity, ride = lines[0][:5]
    rows = [row for row in lines[1:] if len(row) >= 7]
    n_int = int(n)
    if len(rows) < 2 * n_int + 2:
        # some copies omit the end depot: it equals the start depot
        rows.append([str(2 * n_int + 1), *rows[0][1:]])
    rows = rows[: 2 * n_int + 2]
    return DarpInstance(
        name=path.stem,
        vehicles=int(m),
        requests=n_int,
        max_duration=float(horizon),
        capacity=int(capacity),
        max_ride=float(ride),
        x=tuple(float(r[1]) for r in rows),
        y=tuple(float(r[2]) for r in rows),
        service=tuple(float(r[3]) for r in rows),
        load=tuple(int(float(r[4])) for r in rows),
        early=tuple(float(r[5]) for r in rows),
        late=tuple(float(r[6]) for r in rows),
    )


def read_best_known(directory: Path) -> dict[str, float]:
    """best_known.csv beside the instances: name -> cost."""
    path = directory / "best_known.csv"
    if not path.exists():
        return {}
    with path.open() as handle:
        return {row["instance"]: float(row["best_known_cost"]) for row in csv.DictReader(handle)}


def to_problem(inst: DarpInstance, scale: int = SCALE) -> Problem:
    """The instance as a matching Problem in scaled integers (times rounded up)."""
    size = 2 * inst.requests + 2
    durations = [[0] * size for _ in range(size)]
    distances = [[0] * size for _ in range(size)]
    for a in range(size):
        for b in range(size):
            d = inst.travel(a, b) * scale
            durations[a][b] = math.ceil(d)
            distances[a][b] = round(d)
    n = inst.requests

    def scaled(value: float) -> int:
        return round(value * scale)

    requests = tuple(
        Request(
            id=i,
            pickup=i,
            dropoff=n + i,
            pickup_window=(scaled(inst.early[i]), scaled(inst.late[i])),
            dropoff_window=(scaled(inst.early[n + i]), scaled(inst.late[n + i])),
            max_ride_time=math.floor(inst.max_ride * scale),
            load=(inst.load[i],),
            pickup_service=math.ceil(inst.service[i] * scale),
            dropoff_service=math.ceil(inst.service[n + i] * scale),
        )
        for i in range(1, n + 1)
    )
    vehicles = tuple(
        Shift(
            id=k,
            start=0,
            end=2 * n + 1,
            window=(scaled(inst.early[0]), scaled(inst.late[0])),
            capacity=(inst.capacity,),
            max_duration=math.floor(inst.max_duration * scale),
        )
        for k in range(inst.vehicles)
    )
    return Problem(
        requests,
        vehicles,
        np.array(durations, dtype=np.int64),
        np.array(distances, dtype=np.int64),
        weights=Weights(unserved=10**12, language_bonus=0),
    )


def check_routes(inst: DarpInstance, routes: list[list[int]]) -> tuple[float, list[str]]:
    """Exact float cost of routes (node ids of the file) and every broken rule found."""
    n = inst.requests
    errors: list[str] = []
    if len(routes) > inst.vehicles:
        errors.append(f"{len(routes)} routes for {inst.vehicles} vehicles")
    seen = [node for route in routes for node in route]
    expected = set(range(1, 2 * n + 1))
    if sorted(seen) != sorted(expected):
        errors.append("not every pickup and drop-off is visited exactly once")
    cost = 0.0
    for number, route in enumerate(routes):
        path = [0, *route, 2 * n + 1]
        cost += sum(inst.travel(a, b) for a, b in itertools.pairwise(path))
        errors += [f"route {number}: {e}" for e in _route_errors(inst, path)]
    return cost, errors


def _route_errors(inst: DarpInstance, path: list[int]) -> list[str]:
    """Load, pairing and time feasibility (Bellman-Ford on the route's STN) of one route."""
    n = inst.requests
    errors: list[str] = []
    load = 0
    where: dict[int, int] = {}
    for pos, node in enumerate(path[1:-1], 1):
        if node <= n:
            where[node] = pos
        elif node - n not in where:
            errors.append(f"drop-off {node} before its pickup or on another route")
        load += inst.load[node]
        if load > inst.capacity:
            errors.append(f"load {load} > {inst.capacity} at node {node}")
    size = len(path)
    edges: list[tuple[int, int, float]] = []  # x_v - x_u <= w
    ref = size
    for pos in range(size - 1):
        a, b = path[pos], path[pos + 1]
        edges.append((pos + 1, pos, -(inst.service[a] + inst.travel(a, b))))
    for pos, node in enumerate(path):
        edges.append((ref, pos, inst.late[node]))
        edges.append((pos, ref, -inst.early[node]))
    for pos, node in enumerate(path[1:-1], 1):
        if node > n and node - n in where:
            p = where[node - n]
            edges.append((p, pos, inst.service[node - n] + inst.max_ride))
    edges.append((0, size - 1, inst.max_duration))
    dist = [0.0] * (size + 1)
    for _ in range(size + 2):
        changed = False
        for u, v, w in edges:
            if dist[u] + w < dist[v] - EPS:
                dist[v] = dist[u] + w
                changed = True
        if not changed:
            return errors
    errors.append("no feasible schedule (windows, ride times or duration)")
    return errors


@dataclass
class Outcome:
    """Result of one solver on one instance."""

    cost: float | None
    seconds: float
    valid: bool
    routes: list[list[int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    note: str = ""


#: (instance, time limit, seed, iteration cap or None) -> routes as file node ids, or None.
Runner = Callable[[DarpInstance, float, int, int | None], list[list[int]] | None]


def run_ours(
    inst: DarpInstance, time_limit: float, seed: int, iterations: int | None = None
) -> list[list[int]] | None:
    """Our solver: our regret insertion, then the large-neighbourhood search.

    With ``iterations`` the search stops after that many iterations, so that a fixed seed and
    iteration count give the same routes on any machine (the time limit should then be large
    enough not to bind).
    """
    from matching.solver import solve

    solution = solve(to_problem(inst), time_limit=time_limit, seed=seed, max_iterations=iterations)
    return _node_routes(inst, solution)


def run_ortools(
    inst: DarpInstance, time_limit: float, seed: int, iterations: int | None = None
) -> list[list[int]] | None:
    """The plain OR-Tools baseline (``matching.ortools_model``): its first-solution strategy,
    guided local search, drop penalties, re-timed and repaired like ``method="ortools"``.

    OR-Tools has no iteration cap: ``iterations`` is ignored and the time limit decides.
    """
    from matching.ortools_model import BASELINE_FIRST_SOLUTION
    from matching.solver import solve

    solution = solve(
        to_problem(inst),
        time_limit=time_limit,
        seed=seed,
        method="ortools",
        first_solution=BASELINE_FIRST_SOLUTION,
    )
    return _node_routes(inst, solution)


def _node_routes(inst: DarpInstance, solution: object) -> list[list[int]]:
    """Routes as file node ids (pickup i, drop-off n+i)."""
    from matching.solution import Solution

    assert isinstance(solution, Solution)
    n = inst.requests
    return [
        [s.request if s.kind == "pickup" else n + s.request for s in route.stops]
        for route in solution.routes
        if route.stops
    ]


def vroom_available() -> bool:
    """Whether pyvroom can be imported."""
    try:
        import vroom  # noqa: F401
    except ImportError:
        return False
    return True


def run_vroom(
    inst: DarpInstance, time_limit: float, seed: int, iterations: int | None = None
) -> list[list[int]] | None:
    """VROOM (pyvroom) on the same data; it has no ride-time limit (nor time or iteration cap)."""
    import vroom

    problem = to_problem(inst, scale=1000)
    n = inst.requests
    matrix = np.asarray(problem.durations, dtype=np.uint32)
    solver = vroom.Input()
    solver.set_durations_matrix(profile="car", matrix_input=matrix)
    solver.set_costs_matrix(
        profile="car", matrix_input=np.asarray(problem.distances, dtype=np.uint32)
    )
    for vehicle in problem.shifts:
        solver.add_vehicle(
            vroom.Vehicle(
                id=vehicle.id + 1,
                start=vehicle.start,
                end=vehicle.end,
                capacity=vroom.Amount(list(vehicle.capacity)),
                time_window=vroom.TimeWindow(*vehicle.window),
                max_travel_time=vehicle.max_duration,
            )
        )
    for request in problem.requests:
        solver.add_shipment(
            vroom.ShipmentStep(
                id=request.id,
                location=request.pickup,
                default_service=request.pickup_service,
                time_windows=[vroom.TimeWindow(*request.pickup_window)],
            ),
            vroom.ShipmentStep(
                id=request.id,
                location=request.dropoff,
                default_service=request.dropoff_service,
                time_windows=[vroom.TimeWindow(*request.dropoff_window)],
            ),
            amount=vroom.Amount(list(request.load)),
        )
    result = solver.solve(exploration_level=5, nb_threads=1)
    routes: dict[int, list[int]] = {}
    frame = result.routes
    for vehicle_id, kind, rid in zip(frame["vehicle_id"], frame["type"], frame["id"], strict=False):
        if kind == "pickup":
            routes.setdefault(int(vehicle_id), []).append(int(rid))
        elif kind == "delivery":
            routes.setdefault(int(vehicle_id), []).append(n + int(rid))
    return [r for r in routes.values() if r]


RUNNERS: dict[str, Runner] = {"ours": run_ours, "ortools": run_ortools, "vroom": run_vroom}


def run_one(
    name: str, inst: DarpInstance, time_limit: float, seed: int, iterations: int | None = None
) -> Outcome:
    """Run one solver on one instance and check its routes in full precision.

    ``iterations`` caps our search (reproducible runs); the other solvers ignore it.
    """
    if name == "vroom" and not vroom_available():
        return Outcome(None, 0.0, False, note="not installed")
    started = time.monotonic()
    routes = RUNNERS[name](inst, time_limit, seed, iterations)
    seconds = time.monotonic() - started
    if routes is None:
        return Outcome(None, seconds, False, note="no solution")
    cost, errors = check_routes(inst, routes)
    return Outcome(cost, seconds, not errors, routes, errors)


def default_directory() -> Path:
    """RURAL_CARS_DARP_DIR, else ../shared/benchmarks/darp/a from the repo root or the CWD."""
    env = os.environ.get("RURAL_CARS_DARP_DIR")
    if env:
        return Path(env)
    relative = Path("../shared/benchmarks/darp/a")
    repo_root = Path(__file__).resolve().parents[2]
    for base in (repo_root, Path.cwd()):
        candidate = (base / relative).resolve()
        if candidate.is_dir():
            return candidate
    return (repo_root / relative).resolve()


def instance_files(directory: Path) -> list[Path]:
    """Instance files of a folder, smallest first (by vehicles, then requests)."""

    def size(path: Path) -> tuple[int, int]:
        head = path.read_text().split()
        return int(head[1]), int(head[0])

    files = [p for p in directory.glob("*.txt") if p.name != "README.txt"]
    return sorted(files, key=lambda p: (size(p), p.name))


def write_solution(directory: Path, inst: DarpInstance, outcome: Outcome) -> None:
    """Write the README's JSON solution format."""
    directory.mkdir(parents=True, exist_ok=True)
    payload = {"instance": inst.name, "cost": outcome.cost, "routes": outcome.routes}
    (directory / f"{inst.name}.json").write_text(json.dumps(payload) + "\n")


def gap(cost: float | None, best: float | None) -> float | None:
    """Percentage above the best-known cost."""
    if cost is None or not best:
        return None
    return 100.0 * (cost - best) / best
